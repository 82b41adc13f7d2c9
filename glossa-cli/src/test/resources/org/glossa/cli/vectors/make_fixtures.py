"""Writes the reference fixtures of glossa-cli's VectorsCommandTest with gensim (Debian python3-gensim 4.2.0)
and numpy; see README.md here. Run from this directory: /usr/bin/python3 make_fixtures.py
"""
import json

import numpy as np
from gensim.models import KeyedVectors

rng = np.random.default_rng(20261128)
DIM = 12

# Country -> capital and adjective -> adverb pairs with a planted offset plus noise, so that some analogies
# come out right and some wrong; filler words around them.
capitals = [("Greece", "Athens"), ("Germany", "Berlin"), ("France", "Paris"), ("Italy", "Rome"), ("Spain", "Madrid"),
            ("Japan", "Tokyo"), ("Norway", "Oslo"), ("Egypt", "Cairo")]
adverbs = [("quick", "quickly"), ("slow", "slowly"), ("calm", "calmly"), ("rare", "rarely"), ("sure", "surely"),
           ("loud", "loudly")]
capital_offset = rng.normal(0, 1, DIM)
adverb_offset = rng.normal(0, 1, DIM)
rows = {}
for country, capital in capitals:
    base = rng.normal(0, 1, DIM)
    rows[country] = base
    rows[capital] = base + capital_offset + rng.normal(0, 0.6, DIM)
for adjective, adverb in adverbs:
    base = rng.normal(0, 1, DIM)
    rows[adjective] = base
    rows[adverb] = base + adverb_offset + rng.normal(0, 0.6, DIM)
for i in range(30):
    rows[f"filler{i:02d}"] = rng.normal(0, 1, DIM)
# "paris" in lower case, after "Paris": case-insensitive matching must take the first (more frequent) row.
rows["paris"] = rng.normal(0, 1, DIM)
words = list(rows)
order = rng.permutation(len(words) - 1)  # shuffled frequency order, "paris" kept last
words = [words[i] for i in order] + ["paris"]
vectors = np.array([rows[w] for w in words], dtype=np.float32)
kv = KeyedVectors(DIM)
kv.add_vectors(words, vectors)
kv.save_word2vec_format("vectors.txt", binary=False)
kv.save_word2vec_format("vectors.bin", binary=True)
kv.save_word2vec_format("vectors-noheader.txt", binary=False, write_header=False)

# Questions: every ordered pair of pairs per section, in lower case as in some files, plus questions with an
# unknown word (Lisbon, Portugal; fast, fastly) that must be skipped.
sections = {"capital-common-countries": capitals + [("Portugal", "Lisbon")],
            "gram3-comparative-is-not-here": [],
            "gram1-adjective-to-adverb": adverbs + [("fast", "fastly")]}
lines = []
counts = {}
for name, pairs in sections.items():
    if not pairs:
        continue
    lines.append(": " + name)
    n = 0
    for a, b in pairs:
        for c, d in pairs:
            if (a, b) != (c, d):
                lines.append(" ".join(w.lower() if name.startswith("capital") else w for w in (a, b, c, d)))
                n += 1
    counts[name] = n
with open("questions.txt", "w") as f:
    f.write("\n".join(lines) + "\n")

pairs = [("Greece", "Athens", 8.5), ("Germany", "Berlin", 8.0), ("France", "Paris", 9.0), ("quick", "quickly", 7.5),
         ("slow", "slowly", 7.0), ("quick", "slow", 3.0), ("Tokyo", "Oslo", 2.5), ("calm", "loud", 1.5),
         ("filler00", "filler01", 0.5), ("rare", "surely", 1.0), ("Egypt", "Cairo", 8.8), ("unknownword", "quick", 5.0),
         ("Italy", "rome", 8.2), ("Spain", "filler03", 0.7)]
with open("pairs.tsv", "w") as f:
    f.write("# word1\tword2\tscore (made up for this test)\n")
    for a, b, s in pairs:
        f.write(f"{a}\t{b}\t{s}\n")

reference = {"words": len(words), "dimension": DIM, "section_questions": counts}
reference["similar Greece"] = kv.most_similar(positive=["Greece"], topn=5)
reference["similar Paris Germany -France"] = kv.most_similar(positive=["Paris", "Germany"], negative=["France"], topn=5)
reference["cosmul Paris Germany -France"] = kv.most_similar_cosmul(positive=["Paris", "Germany"], negative=["France"], topn=5)
reference["analogy quick quickly slow"] = kv.most_similar(positive=["quickly", "slow"], negative=["quick"], topn=3)
reference["similar Greece restrict 20"] = kv.most_similar(positive=["Greece"], topn=5, restrict_vocab=20)
for restrict in (300000, 30):
    score, result = kv.evaluate_word_analogies("questions.txt", restrict_vocab=restrict)
    reference[f"analogies {restrict}"] = {
        "score": score,
        "sections": [{"section": s["section"], "correct": len(s["correct"]), "incorrect": len(s["incorrect"])}
                     for s in result],
    }
pearson, spearman, oov = kv.evaluate_word_pairs("pairs.tsv")
reference["pairs"] = {"pearson": float(pearson[0]), "pearson_p": float(pearson[1]), "spearman": float(spearman[0]),
                      "spearman_p": float(spearman[1]), "oov_percent": float(oov)}

# PCA of a few words as scikit-learn computes it: centred rows, SVD, each component's sign set so that the
# coordinate of largest magnitude is positive (sklearn's svd_flip on U).
plotted = ["Greece", "Athens", "France", "Paris", "quick", "quickly"]
x = np.array([kv[w] for w in plotted], dtype=np.float64)
x -= x.mean(axis=0)
u, s, vt = np.linalg.svd(x, full_matrices=False)
signs = np.sign(u[np.argmax(np.abs(u), axis=0), range(u.shape[1])])
scores = (u * s) * signs
variance = s ** 2 / (len(plotted) - 1)
reference["pca"] = {"words": plotted, "points": scores[:, :2].tolist(),
                    "variance_ratio": (variance[:2] / variance.sum()).tolist()}
with open("gensim-reference.json", "w") as f:
    json.dump(reference, f, indent=1)
