package org.glossa.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Label-smoothed cross-entropy against the definition written out in plain Java (double precision). */
@Tag("model")
class LossesTest {
    private NativeScope scope;

    @BeforeEach
    void open() {
        Engine.init();
        scope = new NativeScope();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    // Two sentences of three positions over a vocabulary of 4; id 0 is padding.
    private static final float[] LOGITS = {
            1.0f, 2.0f, -1.0f, 0.5f, /**/ 0.0f, 0.0f, 3.0f, -2.0f, /**/ 9.0f, -9.0f, 4.0f, 4.0f,
            -0.5f, 0.25f, 1.5f, 2.0f, /**/ 7.0f, 7.0f, 7.0f, 7.0f, /**/ 2.0f, 1.0f, 0.0f, -1.0f};
    private static final long[] TARGETS = {1, 2, 0, 3, 1, 0};

    /** (1 − ε)·(−log p_y) + ε·mean_v(−log p_v), averaged over the non-padding positions. */
    private static double expected(double smoothing) {
        double total = 0;
        int counted = 0;
        for (int position = 0; position < TARGETS.length; position++) {
            if (TARGETS[position] == 0) {
                continue;
            }
            double logSumExp = 0;
            for (int v = 0; v < 4; v++) {
                logSumExp += Math.exp(LOGITS[position * 4 + v]);
            }
            logSumExp = Math.log(logSumExp);
            double nll = logSumExp - LOGITS[position * 4 + (int) TARGETS[position]];
            double uniform = 0;
            for (int v = 0; v < 4; v++) {
                uniform += (logSumExp - LOGITS[position * 4 + v]) / 4;
            }
            total += (1 - smoothing) * nll + smoothing * uniform;
            counted++;
        }
        return total / counted;
    }

    @Test
    void matchesTheDefinitionAndIgnoresPadding() {
        Tensor targets = Tensors.fromLongs(TARGETS, 2, 3);
        for (double smoothing : new double[] {0.0, 0.1, 0.3}) {
            Tensor loss = Losses.labelSmoothedCrossEntropy(Tensors.fromFloats(LOGITS, 2, 3, 4), targets, 0, smoothing);
            assertEquals(expected(smoothing), loss.item_double(), 1e-5, "smoothing " + smoothing);
        }
        // The logits at padded positions do not matter.
        float[] changed = LOGITS.clone();
        for (int v = 0; v < 4; v++) {
            changed[2 * 4 + v] = 100 * v;
            changed[5 * 4 + v] = -50;
        }
        assertEquals(expected(0.1), Losses.labelSmoothedCrossEntropy(Tensors.fromFloats(changed, 2, 3, 4), targets, 0, 0.1)
                .item_double(), 1e-5);
    }

    @Test
    void rejectsASmoothingOutsideTheUnitInterval() {
        Tensor logits = Tensors.fromFloats(LOGITS, 2, 3, 4);
        Tensor targets = Tensors.fromLongs(TARGETS, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> Losses.labelSmoothedCrossEntropy(logits, targets, 0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Losses.labelSmoothedCrossEntropy(logits, targets, 0, -0.1));
    }
}
