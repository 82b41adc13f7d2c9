package org.glossa.tasks.classify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Classification scores, with the definitions (and the zero-division convention: 0) of scikit-learn.
 *
 * <p>Single-label: the confusion matrix C (C[i][j] counts texts of true label i predicted as j), accuracy,
 * Matthews correlation coefficient in its multi-class form (Gorodkin 2004, as {@code matthews_corrcoef}; for two
 * classes the usual (TP·TN − FP·FN) / √(…)), per-label precision, recall, F1 and support, macro-averaged F1.
 *
 * <p>Multi-label (each label a yes/no decision): per-label precision, recall, F1 and support, micro-averaged
 * precision/recall/F1 (over all decisions), macro F1, and subset accuracy (texts with every label right).
 */
public final class Metrics {
    private final List<String> labels;
    private final boolean multiLabel;
    private final long examples;
    private final long[][] confusion; // single-label only
    private final long[] truePositives;
    private final long[] falsePositives;
    private final long[] falseNegatives;
    private final double accuracy;
    private final double mcc;

    private Metrics(List<String> labels, boolean multiLabel, long examples, long[][] confusion, long[] tp, long[] fp,
                    long[] fn, double accuracy, double mcc) {
        this.labels = List.copyOf(labels);
        this.multiLabel = multiLabel;
        this.examples = examples;
        this.confusion = confusion;
        this.truePositives = tp;
        this.falsePositives = fp;
        this.falseNegatives = fn;
        this.accuracy = accuracy;
        this.mcc = mcc;
    }

    /** Scores of single-label predictions: {@code truth[i]} and {@code predicted[i]} are label ids. */
    public static Metrics singleLabel(List<String> labels, int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true labels but " + predicted.length + " predictions");
        }
        int k = labels.size();
        long[][] confusion = new long[k][k];
        for (int i = 0; i < truth.length; i++) {
            confusion[truth[i]][predicted[i]]++;
        }
        long[] tp = new long[k];
        long[] fp = new long[k];
        long[] fn = new long[k];
        long[] trueCount = new long[k];
        long[] predictedCount = new long[k];
        long correct = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                trueCount[i] += confusion[i][j];
                predictedCount[j] += confusion[i][j];
            }
            correct += confusion[i][i];
        }
        for (int i = 0; i < k; i++) {
            tp[i] = confusion[i][i];
            fp[i] = predictedCount[i] - tp[i];
            fn[i] = trueCount[i] - tp[i];
        }
        double n = truth.length;
        // sklearn: cov(y, ŷ) / √(cov(y, y) · cov(ŷ, ŷ)) from the confusion matrix, in doubles; 0 when either is constant.
        double sumTrueTimesPredicted = 0;
        double sumTrueSquared = 0;
        double sumPredictedSquared = 0;
        for (int i = 0; i < k; i++) {
            sumTrueTimesPredicted += (double) trueCount[i] * predictedCount[i];
            sumTrueSquared += (double) trueCount[i] * trueCount[i];
            sumPredictedSquared += (double) predictedCount[i] * predictedCount[i];
        }
        double covariance = correct * n - sumTrueTimesPredicted;
        double trueVariance = n * n - sumTrueSquared;
        double predictedVariance = n * n - sumPredictedSquared;
        double mcc = trueVariance * predictedVariance == 0 ? 0 : covariance / Math.sqrt(trueVariance * predictedVariance);
        return new Metrics(labels, false, truth.length, confusion, tp, fp, fn, n == 0 ? 0 : correct / n, mcc);
    }

    /** Scores of multi-label predictions: {@code truth[i][j]} says whether text i has label j. */
    public static Metrics multiLabel(List<String> labels, boolean[][] truth, boolean[][] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true label sets but " + predicted.length + " predictions");
        }
        int k = labels.size();
        long[] tp = new long[k];
        long[] fp = new long[k];
        long[] fn = new long[k];
        long exact = 0;
        for (int i = 0; i < truth.length; i++) {
            boolean allRight = true;
            for (int j = 0; j < k; j++) {
                boolean t = truth[i][j];
                boolean p = predicted[i][j];
                if (t && p) {
                    tp[j]++;
                } else if (p) {
                    fp[j]++;
                } else if (t) {
                    fn[j]++;
                }
                allRight &= t == p;
            }
            if (allRight) {
                exact++;
            }
        }
        double subsetAccuracy = truth.length == 0 ? 0 : (double) exact / truth.length;
        return new Metrics(labels, true, truth.length, null, tp, fp, fn, subsetAccuracy, Double.NaN);
    }

    public List<String> labels() {
        return labels;
    }

    public boolean isMultiLabel() {
        return multiLabel;
    }

    public long examples() {
        return examples;
    }

    /** Single-label: the share predicted right; multi-label: the share with every label right (subset accuracy). */
    public double accuracy() {
        return accuracy;
    }

    /** Matthews correlation coefficient (single-label; NaN for multi-label, where sklearn does not define it). */
    public double mcc() {
        return mcc;
    }

    /** C[i][j]: texts of true label i predicted as j (single-label; null for multi-label). */
    public long[][] confusion() {
        if (confusion == null) {
            return null;
        }
        long[][] copy = new long[confusion.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    public double precision(int label) {
        return ratio(truePositives[label], truePositives[label] + falsePositives[label]);
    }

    public double recall(int label) {
        return ratio(truePositives[label], truePositives[label] + falseNegatives[label]);
    }

    /** 2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall; 0 when the label never occurs nor is predicted. */
    public double f1(int label) {
        return ratio(2 * truePositives[label], 2 * truePositives[label] + falsePositives[label] + falseNegatives[label]);
    }

    /** Texts whose true labels include {@code label}. */
    public long support(int label) {
        return truePositives[label] + falseNegatives[label];
    }

    /** The unweighted mean of the per-label F1 scores. */
    public double macroF1() {
        double sum = 0;
        for (int i = 0; i < labels.size(); i++) {
            sum += f1(i);
        }
        return sum / labels.size();
    }

    /** F1 of all decisions pooled (multi-label; for single-label it equals the accuracy). */
    public double microF1() {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < labels.size(); i++) {
            tp += truePositives[i];
            fp += falsePositives[i];
            fn += falseNegatives[i];
        }
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }

    /**
     * The scores as flat named values (what {@code metrics.jsonl} holds), with {@code prefix}: {@code mcc},
     * {@code accuracy}, {@code macro_f1} (multi-label: {@code micro_f1}, {@code subset_accuracy}), then per label
     * {@code precision/<label>}, {@code recall/<label>}, {@code f1/<label>}, and the confusion matrix as
     * {@code confusion/<true label>/<predicted label>}.
     */
    public Map<String, Double> toMap(String prefix) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (multiLabel) {
            out.put(prefix + "micro_f1", microF1());
            out.put(prefix + "macro_f1", macroF1());
            out.put(prefix + "subset_accuracy", accuracy);
        } else {
            out.put(prefix + "mcc", mcc);
            out.put(prefix + "accuracy", accuracy);
            out.put(prefix + "macro_f1", macroF1());
        }
        for (int i = 0; i < labels.size(); i++) {
            out.put(prefix + "precision/" + labels.get(i), precision(i));
            out.put(prefix + "recall/" + labels.get(i), recall(i));
            out.put(prefix + "f1/" + labels.get(i), f1(i));
        }
        if (confusion != null) {
            for (int i = 0; i < labels.size(); i++) {
                for (int j = 0; j < labels.size(); j++) {
                    out.put(prefix + "confusion/" + labels.get(i) + "/" + labels.get(j), (double) confusion[i][j]);
                }
            }
        }
        return out;
    }

    /** A report for people: the headline scores, a table per label, and the confusion matrix. */
    public String report() {
        StringBuilder out = new StringBuilder();
        if (multiLabel) {
            out.append(String.format(Locale.ROOT, "%d examples: micro F1 %.4f, macro F1 %.4f, subset accuracy %.4f%n",
                    examples, microF1(), macroF1(), accuracy));
        } else {
            out.append(String.format(Locale.ROOT, "%d examples: MCC %.4f, accuracy %.4f, macro F1 %.4f%n", examples, mcc,
                    accuracy, macroF1()));
        }
        int width = Math.max(5, labels.stream().mapToInt(String::length).max().orElse(5));
        out.append(String.format(Locale.ROOT, "%-" + width + "s %9s %9s %9s %9s%n", "label", "precision", "recall", "f1",
                "support"));
        for (int i = 0; i < labels.size(); i++) {
            out.append(String.format(Locale.ROOT, "%-" + width + "s %9.4f %9.4f %9.4f %9d%n", labels.get(i), precision(i),
                    recall(i), f1(i), support(i)));
        }
        if (confusion != null) {
            out.append("confusion matrix (rows: true label, columns: predicted):\n");
            out.append(String.format(Locale.ROOT, "%-" + width + "s", ""));
            int cell = Math.max(8, width);
            for (String label : labels) {
                out.append(String.format(Locale.ROOT, " %" + cell + "s", label));
            }
            out.append('\n');
            for (int i = 0; i < labels.size(); i++) {
                out.append(String.format(Locale.ROOT, "%-" + width + "s", labels.get(i)));
                for (int j = 0; j < labels.size(); j++) {
                    out.append(String.format(Locale.ROOT, " %" + cell + "d", confusion[i][j]));
                }
                out.append('\n');
            }
        }
        return out.toString().stripTrailing();
    }
}
