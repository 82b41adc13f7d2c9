package org.glossa.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Each helper against the same computation written out in plain Java (double precision). */
@Tag("model")
class OpsTest {
    private NativeScope scope;

    @BeforeEach
    void openScope() {
        Engine.init();
        scope = new NativeScope();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    @Test
    void linearIsXTimesWTransposedPlusB() {
        float[] x = {1, 2, 3, -1, 0, 2};          // (2, 3)
        float[] w = {0.5f, -1, 2, 1, 1, 1};        // (2, 3): out = 2, in = 3
        float[] b = {0.25f, -3};
        double[] expected = new double[4];
        for (int row = 0; row < 2; row++) {
            for (int out = 0; out < 2; out++) {
                double sum = b[out];
                for (int in = 0; in < 3; in++) {
                    sum += x[row * 3 + in] * w[out * 3 + in];
                }
                expected[row * 2 + out] = sum;
            }
        }
        Tensor y = Ops.linear(Tensors.fromFloats(x, 2, 3), Tensors.fromFloats(w, 2, 3), Tensors.fromFloats(b, 2));
        assertArrayEquals(new long[] {2, 2}, Tensors.shape(y));
        assertClose(expected, Tensors.toFloats(y), 1e-6);

        double[] withoutBias = expected.clone();
        for (int i = 0; i < 4; i++) {
            withoutBias[i] -= b[i % 2];
        }
        assertClose(withoutBias, Tensors.toFloats(Ops.linear(Tensors.fromFloats(x, 2, 3), Tensors.fromFloats(w, 2, 3), null)), 1e-6);
    }

    @Test
    void layerNormUsesTheBiasedVarianceThenScalesAndShifts() {
        float[] x = {1, 2, 3, 4, -2, 0, 0, 10};    // (2, 4)
        float[] gamma = {1, 2, 0.5f, -1};
        float[] beta = {0, 0.1f, -0.2f, 3};
        double eps = 1e-5;
        double[] expected = new double[8];
        double[] plain = new double[8];
        for (int row = 0; row < 2; row++) {
            double mean = 0;
            for (int i = 0; i < 4; i++) {
                mean += x[row * 4 + i] / 4.0;
            }
            double variance = 0;
            for (int i = 0; i < 4; i++) {
                variance += Math.pow(x[row * 4 + i] - mean, 2) / 4.0;
            }
            for (int i = 0; i < 4; i++) {
                double normalized = (x[row * 4 + i] - mean) / Math.sqrt(variance + eps);
                plain[row * 4 + i] = normalized;
                expected[row * 4 + i] = normalized * gamma[i] + beta[i];
            }
        }
        Tensor input = Tensors.fromFloats(x, 2, 4);
        assertClose(expected, Tensors.toFloats(Ops.layerNorm(input, new long[] {4},
                Tensors.fromFloats(gamma, 4), Tensors.fromFloats(beta, 4), eps)), 1e-5);
        assertClose(plain, Tensors.toFloats(Ops.layerNorm(input, new long[] {4}, null, null, eps)), 1e-5);
    }

    @Test
    void geluIsTheExactErfForm() {
        // x·Φ(x) with Φ from normal-distribution tables; the tanh approximation is off by ~1.5e-4 at x = 1.
        float[] x = {-1, 0, 0.5f, 1, 2};
        double[] expected = {-0.15865525393145707, 0, 0.5 * 0.6914624612740131, 0.8413447460685429,
                2 * 0.9772498680518208};
        assertClose(expected, Tensors.toFloats(Ops.gelu(Tensors.fromFloats(x, 5))), 1e-6);
    }

    @Test
    void softmaxNormalisesAlongTheGivenDimension() {
        float[] x = {1, 2, 3, 0, 0, -1};            // (2, 3)
        double[] lastDim = new double[6];
        for (int row = 0; row < 2; row++) {
            double total = 0;
            for (int i = 0; i < 3; i++) {
                total += Math.exp(x[row * 3 + i]);
            }
            for (int i = 0; i < 3; i++) {
                lastDim[row * 3 + i] = Math.exp(x[row * 3 + i]) / total;
            }
        }
        double[] firstDim = new double[6];
        for (int col = 0; col < 3; col++) {
            double total = Math.exp(x[col]) + Math.exp(x[3 + col]);
            firstDim[col] = Math.exp(x[col]) / total;
            firstDim[3 + col] = Math.exp(x[3 + col]) / total;
        }
        Tensor input = Tensors.fromFloats(x, 2, 3);
        assertClose(lastDim, Tensors.toFloats(Ops.softmax(input, -1)), 1e-6);
        assertClose(firstDim, Tensors.toFloats(Ops.softmax(input, 0)), 1e-6);
    }

    @Test
    void attentionIsSoftmaxOfScaledScoresTimesValues() {
        // One batch, one head, 2 queries, 3 keys, d = 2.
        float[] q = {1, 0, 0.5f, -1};
        float[] k = {1, 1, -1, 2, 0, 0.5f};
        float[] v = {1, 2, 3, 4, -5, 6};
        Tensor query = Tensors.fromFloats(q, 1, 1, 2, 2);
        Tensor key = Tensors.fromFloats(k, 1, 1, 3, 2);
        Tensor value = Tensors.fromFloats(v, 1, 1, 3, 2);

        boolean[][] none = {{true, true, true}, {true, true, true}};
        assertClose(attention(q, k, v, none), Tensors.toFloats(Ops.scaledDotProductAttention(query, key, value, null)), 1e-5);

        // Query 0 may not see key 2, query 1 may not see key 0.
        boolean[][] allowed = {{true, true, false}, {false, true, true}};
        Tensor boolMask = Tensors.fromLongs(new long[] {1, 1, 0, 0, 1, 1}, 1, 1, 2, 3).to(ScalarType.Bool);
        double[] expected = attention(q, k, v, allowed);
        assertClose(expected, Tensors.toFloats(Ops.scaledDotProductAttention(query, key, value, boolMask)), 1e-5);

        // The same mask in BERT's additive form: 0 to keep, a large negative number to drop.
        Tensor additive = Tensors.fromFloats(new float[] {0, 0, -1e9f, -1e9f, 0, 0}, 1, 1, 2, 3);
        assertClose(expected, Tensors.toFloats(Ops.scaledDotProductAttention(query, key, value, additive)), 1e-5);
    }

    /** softmax(q kᵀ / √d) v over the allowed keys, q (2, 2), k and v (3, 2). */
    private static double[] attention(float[] q, float[] k, float[] v, boolean[][] allowed) {
        double[] out = new double[4];
        for (int i = 0; i < 2; i++) {
            double[] weights = new double[3];
            double total = 0;
            for (int j = 0; j < 3; j++) {
                if (allowed[i][j]) {
                    double score = (q[i * 2] * k[j * 2] + q[i * 2 + 1] * k[j * 2 + 1]) / Math.sqrt(2);
                    weights[j] = Math.exp(score);
                    total += weights[j];
                }
            }
            for (int j = 0; j < 3; j++) {
                out[i * 2] += weights[j] / total * v[j * 2];
                out[i * 2 + 1] += weights[j] / total * v[j * 2 + 1];
            }
        }
        return out;
    }

    @Test
    void embeddingPicksRows() {
        float[] table = {0, 0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f};   // (4, 2)
        Tensor rows = Ops.embedding(Tensors.fromFloats(table, 4, 2), Tensors.fromLongs(new long[] {3, 0, 1, 1}, 2, 2));
        assertArrayEquals(new long[] {2, 2, 2}, Tensors.shape(rows));
        assertArrayEquals(new float[] {3, 3.5f, 0, 0.5f, 1, 1.5f, 1, 1.5f}, Tensors.toFloats(rows));
    }

    @Test
    void matmulBroadcastsOverTheBatchDimension() {
        float[] a = {1, 2, 3, 4, 5, 6, -1, 0, 1, 2, -2, 0.5f};  // (2, 2, 3)
        float[] b = {1, 0, 0, 1, 2, -1};                       // (3, 2)
        double[] expected = new double[8];
        for (int batch = 0; batch < 2; batch++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    for (int m = 0; m < 3; m++) {
                        expected[batch * 4 + i * 2 + j] += a[batch * 6 + i * 3 + m] * b[m * 2 + j];
                    }
                }
            }
        }
        Tensor product = Ops.matmul(Tensors.fromFloats(a, 2, 2, 3), Tensors.fromFloats(b, 3, 2));
        assertArrayEquals(new long[] {2, 2, 2}, Tensors.shape(product));
        assertClose(expected, Tensors.toFloats(product), 1e-6);
    }

    @Test
    void dropoutZeroesAndRescalesOnlyWhenTraining() {
        float[] ones = new float[10_000];
        java.util.Arrays.fill(ones, 1f);
        Tensor x = Tensors.fromFloats(ones, ones.length);

        assertArrayEquals(ones, Tensors.toFloats(Ops.dropout(x, 0.5, false)));
        assertArrayEquals(ones, Tensors.toFloats(Ops.dropout(x, 0.0, true)));

        float[] dropped = Tensors.toFloats(Ops.dropout(x, 0.5, true));
        int zeros = 0;
        for (float value : dropped) {
            assertTrue(value == 0f || value == 2f, "dropout with p = 0.5 keeps 1 as 2, got " + value);
            zeros += value == 0f ? 1 : 0;
        }
        // Binomial(10000, 0.5): 4800..5200 is more than 4 standard deviations wide.
        assertTrue(zeros > 4800 && zeros < 5200, zeros + " zeros out of 10000");
        assertThrows(IllegalArgumentException.class, () -> Ops.dropout(x, 1.5, true));
    }

    static void assertClose(double[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, "element count");
        for (int i = 0; i < expected.length; i++) {
            double allowed = tolerance * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], allowed, "element " + i);
        }
    }
}
