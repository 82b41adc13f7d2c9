package org.glossa.tasks.charlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Temperature, top-k and top-p on hand-made distributions whose answers are worked out by hand. */
@Tag("unit")
class SamplingTest {
    /** Logits whose softmax is exactly the given probabilities. */
    private static float[] logitsOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }

    private static void assertDistribution(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6, "p[" + i + "]");
        }
    }

    @Test
    void topPKeepsTheSmallestNucleusReachingP() {
        float[] logits = logitsOf(0.1, 0.4, 0.05, 0.3, 0.15); // falling order: 1 (0.4), 3 (0.3), 4 (0.15), 0 (0.1), 2 (0.05)
        // p = 0.7: 0.4 + 0.3 reaches it; the rest are cut and the pair renormalised.
        assertDistribution(new double[] {0, 0.4 / 0.7, 0, 0.3 / 0.7, 0}, Sampling.of(1).withTopP(0.7).probabilities(logits));
        // p = 0.75: 0.4 + 0.3 = 0.7 falls short, so 0.15 joins.
        assertDistribution(new double[] {0, 0.4 / 0.85, 0, 0.3 / 0.85, 0.15 / 0.85},
                Sampling.of(1).withTopP(0.75).probabilities(logits));
        // A tiny p still keeps the most likely token.
        assertDistribution(new double[] {0, 1, 0, 0, 0}, Sampling.of(1).withTopP(0.01).probabilities(logits));
        // p = 1 keeps everything.
        assertDistribution(new double[] {0.1, 0.4, 0.05, 0.3, 0.15}, Sampling.of(1).probabilities(logits));
    }

    @Test
    void topKThenTopPWithinTheRenormalisedTopK() {
        float[] logits = logitsOf(0.1, 0.4, 0.05, 0.3, 0.15);
        assertDistribution(new double[] {0, 0.4 / 0.85, 0, 0.3 / 0.85, 0.15 / 0.85}, Sampling.of(1).withTopK(3).probabilities(logits));
        // Within the top 2 (0.4, 0.3 → 4/7, 3/7), p = 0.5 needs only the first.
        assertDistribution(new double[] {0, 1, 0, 0, 0}, Sampling.of(1).withTopK(2).withTopP(0.5).probabilities(logits));
    }

    @Test
    void temperatureSharpensAndFlattens() {
        float[] logits = logitsOf(0.2, 0.8);
        // softmax(log p / T) ∝ p^(1/T): at T = 0.5, 0.04 : 0.64.
        assertDistribution(new double[] {0.04 / 0.68, 0.64 / 0.68}, Sampling.of(1).withTemperature(0.5).probabilities(logits));
        // at T = 2, √0.2 : √0.8 = 1 : 2.
        assertDistribution(new double[] {1 / 3.0, 2 / 3.0}, Sampling.of(1).withTemperature(2).probabilities(logits));
        // T → 0 concentrates on the arg-max without overflowing.
        assertDistribution(new double[] {0, 1}, Sampling.of(1).withTemperature(1e-6).probabilities(new float[] {1000f, 1000.5f}));
        assertDistribution(new double[] {0, 1}, Sampling.greedy().probabilities(logits));
    }

    @Test
    void greedyTopK1AndTinyTemperatureAgreeWithArgmax() {
        Random shapes = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            float[] logits = new float[30];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) shapes.nextGaussian() * 3;
            }
            int argmax = 0;
            for (int i = 1; i < logits.length; i++) {
                argmax = logits[i] > logits[argmax] ? i : argmax;
            }
            assertEquals(argmax, Sampling.greedy().pick(logits, new Random(trial)));
            assertEquals(argmax, Sampling.of(trial).withTopK(1).pick(logits, new Random(trial)));
            assertEquals(argmax, Sampling.of(trial).withTemperature(1e-4).pick(logits, new Random(trial)));
        }
    }

    @Test
    void drawsFollowTheDistributionAndRepeatWithTheSeed() {
        float[] logits = logitsOf(0.5, 0.3, 0.2);
        Sampling sampling = Sampling.of(9);
        int[] counts = new int[3];
        Random random = new Random(9);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            counts[sampling.pick(logits, random)]++;
        }
        // Binomial standard deviation at n = 20000 is at most 0.0035: 0.015 is over four of them.
        assertEquals(0.5, counts[0] / (double) n, 0.015);
        assertEquals(0.3, counts[1] / (double) n, 0.015);
        assertEquals(0.2, counts[2] / (double) n, 0.015);

        int[] first = new int[50];
        int[] again = new int[50];
        int[] other = new int[50];
        Random a = new Random(3);
        Random b = new Random(3);
        Random c = new Random(4);
        for (int i = 0; i < 50; i++) {
            first[i] = sampling.pick(logits, a);
            again[i] = sampling.pick(logits, b);
            other[i] = sampling.pick(logits, c);
        }
        assertArrayEquals(first, again);
        assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(other));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Sampling(-1, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sampling(1, -2, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sampling(1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sampling(1, 0, 1.5, 0));
        assertTrue(new Sampling(0, 0, 1, 0).isGreedy());
    }
}
