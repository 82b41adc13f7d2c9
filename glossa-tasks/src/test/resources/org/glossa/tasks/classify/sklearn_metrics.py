"""Reference scores for MetricsTest, from scikit-learn (Debian python3-sklearn 1.2.1):
/usr/bin/python3 glossa-tasks/src/test/resources/org/glossa/tasks/classify/sklearn_metrics.py
Prints, per case, the values MetricsTest holds (zero_division=0: a score with an empty denominator is 0)."""
import json
from sklearn.metrics import matthews_corrcoef, accuracy_score, precision_recall_fscore_support, f1_score, confusion_matrix
import numpy as np
cases = {
 "binary": ([1,1,0,1,0,0,1,1,1,0,1,0,1,1,0,1,1,1,0,1], [1,0,0,1,0,1,1,1,0,0,1,1,1,1,0,0,1,1,0,1], 2),
 "three": ([i*7 % 3 for i in range(30)], [(i*7 + (i % 4 == 0) + (i % 5 == 0)) % 3 for i in range(30)], 3),
 "unpredicted": ([0,1,2,2,1,0,2,1], [0,0,1,0,0,1,1,0], 3),
 "constant": ([0,1,1,0,1], [1,1,1,1,1], 2),
}
out = {}
for name, (t, p, k) in cases.items():
    labels = list(range(k))
    P, R, F, S = precision_recall_fscore_support(t, p, labels=labels, zero_division=0)
    out[name] = dict(truth=t, pred=p, mcc=matthews_corrcoef(t, p), accuracy=accuracy_score(t, p),
        precision=P.tolist(), recall=R.tolist(), f1=F.tolist(), support=S.tolist(),
        macro_f1=f1_score(t, p, labels=labels, average="macro", zero_division=0),
        confusion=confusion_matrix(t, p, labels=labels).tolist())
T = np.array([[1,0,1],[0,1,0],[1,1,0],[0,0,0],[1,0,0],[0,1,1],[1,1,1],[0,0,1]])
Pm = np.array([[1,0,0],[0,1,0],[1,0,0],[0,0,1],[1,0,0],[0,1,1],[1,1,0],[0,0,0]])
P, R, F, S = precision_recall_fscore_support(T, Pm, zero_division=0)
out["multilabel"] = dict(truth=T.tolist(), pred=Pm.tolist(), precision=P.tolist(), recall=R.tolist(), f1=F.tolist(),
    support=S.tolist(), micro_f1=f1_score(T, Pm, average="micro", zero_division=0),
    macro_f1=f1_score(T, Pm, average="macro", zero_division=0), subset_accuracy=accuracy_score(T, Pm))
for k, v in out.items():
    print(k, json.dumps({a: b for a, b in v.items() if a not in ("truth", "pred")}))
    print("  truth", v["truth"]); print("  pred ", v["pred"])
