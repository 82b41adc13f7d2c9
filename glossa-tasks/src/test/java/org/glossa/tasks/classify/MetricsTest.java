package org.glossa.tasks.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link Metrics} against scikit-learn on fixed vectors. The expected values were printed by
 * {@code /usr/bin/python3 glossa-tasks/src/test/resources/org/glossa/tasks/classify/sklearn_metrics.py}
 * (scikit-learn 1.2.1, Debian's python3-sklearn): matthews_corrcoef, accuracy_score,
 * precision_recall_fscore_support(zero_division=0), f1_score(average="macro"/"micro"), confusion_matrix.
 */
@Tag("unit")
class MetricsTest {
    static final double EXACT = 1e-12;

    record Reference(int[] truth, int[] predicted, double mcc, double accuracy, double[] precision, double[] recall,
                     double[] f1, long[] support, double macroF1, long[][] confusion) {}

    static final Map<String, Reference> SKLEARN = Map.of(
            "binary", new Reference(
                    new int[] {1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1},
                    new int[] {1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1},
                    0.47075654176200415, 0.75, new double[] {0.625, 0.8333333333333334},
                    new double[] {0.7142857142857143, 0.7692307692307693}, new double[] {0.6666666666666666, 0.8},
                    new long[] {7, 13}, 0.7333333333333334, new long[][] {{5, 2}, {3, 10}}),
            "three", new Reference(
                    new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2},
                    new int[] {2, 1, 2, 0, 2, 0, 0, 1, 0, 0, 2, 2, 1, 1, 2, 1, 2, 2, 0, 1, 1, 0, 1, 2, 1, 2, 2, 0, 2, 2},
                    0.4047499544129308, 0.6, new double[] {0.75, 0.5555555555555556, 0.5384615384615384},
                    new double[] {0.6, 0.5, 0.7}, new double[] {0.6666666666666665, 0.5263157894736842, 0.608695652173913},
                    new long[] {10, 10, 10}, 0.6005593694380879, new long[][] {{6, 3, 1}, {0, 5, 5}, {2, 1, 7}}),
            // Label 2 is never predicted: its precision has an empty denominator (0 by zero_division=0).
            "unpredicted", new Reference(
                    new int[] {0, 1, 2, 2, 1, 0, 2, 1}, new int[] {0, 0, 1, 0, 0, 1, 1, 0},
                    -0.3098898934004561, 0.125, new double[] {0.2, 0.0, 0.0}, new double[] {0.5, 0.0, 0.0},
                    new double[] {0.28571428571428575, 0.0, 0.0}, new long[] {2, 3, 3}, 0.09523809523809525,
                    new long[][] {{1, 1, 0}, {3, 0, 0}, {1, 2, 0}}),
            // A constant prediction: MCC is 0 by definition (sklearn's convention), not NaN.
            "constant", new Reference(
                    new int[] {0, 1, 1, 0, 1}, new int[] {1, 1, 1, 1, 1},
                    0.0, 0.6, new double[] {0.0, 0.6}, new double[] {0.0, 1.0}, new double[] {0.0, 0.7499999999999999},
                    new long[] {2, 3}, 0.37499999999999994, new long[][] {{0, 2}, {0, 3}}));

    @Test
    void singleLabelScoresMatchScikitLearn() {
        SKLEARN.forEach((name, expected) -> {
            int k = expected.precision().length;
            List<String> labels = k == 2 ? List.of("no", "yes") : List.of("a", "b", "c");
            Metrics metrics = Metrics.singleLabel(labels, expected.truth(), expected.predicted());
            assertEquals(expected.mcc(), metrics.mcc(), EXACT, name + " MCC");
            assertEquals(expected.accuracy(), metrics.accuracy(), EXACT, name + " accuracy");
            assertEquals(expected.macroF1(), metrics.macroF1(), EXACT, name + " macro F1");
            assertArrayEquals(expected.confusion(), metrics.confusion(), name + " confusion");
            for (int i = 0; i < k; i++) {
                assertEquals(expected.precision()[i], metrics.precision(i), EXACT, name + " precision " + i);
                assertEquals(expected.recall()[i], metrics.recall(i), EXACT, name + " recall " + i);
                assertEquals(expected.f1()[i], metrics.f1(i), EXACT, name + " F1 " + i);
                assertEquals(expected.support()[i], metrics.support(i), name + " support " + i);
            }
        });
    }

    @Test
    void multiLabelScoresMatchScikitLearn() {
        int[][] truth = {{1, 0, 1}, {0, 1, 0}, {1, 1, 0}, {0, 0, 0}, {1, 0, 0}, {0, 1, 1}, {1, 1, 1}, {0, 0, 1}};
        int[][] predicted = {{1, 0, 0}, {0, 1, 0}, {1, 0, 0}, {0, 0, 1}, {1, 0, 0}, {0, 1, 1}, {1, 1, 0}, {0, 0, 0}};
        Metrics metrics = Metrics.multiLabel(List.of("a", "b", "c"), bools(truth), bools(predicted));
        assertEquals(0.761904761904762, metrics.microF1(), EXACT);
        assertEquals(0.7301587301587302, metrics.macroF1(), EXACT);
        assertEquals(0.375, metrics.accuracy(), EXACT, "subset accuracy");
        double[] precision = {1.0, 1.0, 0.5};
        double[] recall = {1.0, 0.75, 0.25};
        double[] f1 = {1.0, 0.8571428571428571, 0.3333333333333333};
        for (int i = 0; i < 3; i++) {
            assertEquals(precision[i], metrics.precision(i), EXACT);
            assertEquals(recall[i], metrics.recall(i), EXACT);
            assertEquals(f1[i], metrics.f1(i), EXACT);
            assertEquals(4, metrics.support(i));
        }
        assertTrue(Double.isNaN(metrics.mcc()));
    }

    @Test
    void flatNamesForMetricsJsonlAndAReadableReport() {
        Reference binary = SKLEARN.get("binary");
        Metrics metrics = Metrics.singleLabel(List.of("unacceptable", "acceptable"), binary.truth(), binary.predicted());
        Map<String, Double> flat = metrics.toMap("val_");
        assertEquals(List.of("val_mcc", "val_accuracy", "val_macro_f1", "val_precision/unacceptable", "val_recall/unacceptable",
                "val_f1/unacceptable", "val_precision/acceptable", "val_recall/acceptable", "val_f1/acceptable",
                "val_confusion/unacceptable/unacceptable", "val_confusion/unacceptable/acceptable",
                "val_confusion/acceptable/unacceptable", "val_confusion/acceptable/acceptable"), List.copyOf(flat.keySet()));
        assertEquals(3.0, flat.get("val_confusion/acceptable/unacceptable"), "true acceptable, predicted unacceptable");
        assertEquals("""
                20 examples: MCC 0.4708, accuracy 0.7500, macro F1 0.7333
                label        precision    recall        f1   support
                unacceptable    0.6250    0.7143    0.6667         7
                acceptable      0.8333    0.7692    0.8000        13
                confusion matrix (rows: true label, columns: predicted):
                             unacceptable   acceptable
                unacceptable            5            2
                acceptable              3           10""", metrics.report());
    }

    static boolean[][] bools(int[][] values) {
        boolean[][] out = new boolean[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = new boolean[values[i].length];
            for (int j = 0; j < values[i].length; j++) {
                out[i][j] = values[i][j] == 1;
            }
        }
        return out;
    }
}
