package org.glossa.embeddings.word2vec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Vector API kernels and the plain Java ones agree bit for bit, and both compute what they should. */
@Tag("unit")
class FloatKernelsTest {
    private final FloatKernels scalar = new ScalarKernels();
    private final FloatKernels vector = new VectorKernels();

    @Test
    void testsRunWithTheVectorApi() {
        // Surefire starts the test JVM with --add-modules jdk.incubator.vector (see the module's pom).
        assertEquals("Vector API (8 lanes)", Word2Vec.kernel());
    }

    private static float[] random(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(5) - 2));
        }
        return a;
    }

    @Test
    void dotProductsAreIdentical() {
        Random random = new Random(1);
        for (int n : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 31, 50, 100, 101, 300}) {
            for (int trial = 0; trial < 50; trial++) {
                float[] a = random(random, n + 20);
                float[] b = random(random, n + 20);
                int ao = random.nextInt(20);
                int bo = random.nextInt(20);
                float s = scalar.dot(a, ao, b, bo, n);
                float v = vector.dot(a, ao, b, bo, n);
                assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(v), "n=" + n + ": " + s + " vs " + v);
                double exact = 0;
                double magnitude = 0;
                for (int i = 0; i < n; i++) {
                    exact += (double) a[ao + i] * b[bo + i];
                    magnitude += Math.abs((double) a[ao + i] * b[bo + i]);
                }
                assertEquals(exact, s, 1e-6 * magnitude + 1e-30, "n=" + n);
            }
        }
    }

    @Test
    void updatesAndSumsAreIdentical() {
        Random random = new Random(2);
        for (int n : new int[] {0, 1, 7, 8, 9, 16, 23, 100, 300}) {
            for (int trial = 0; trial < 30; trial++) {
                float[] in = random(random, n + 16);
                float[] out = random(random, n + 16);
                float[] error = random(random, n);
                int io = random.nextInt(16);
                int oo = random.nextInt(16);
                float g = (float) random.nextGaussian() * 0.05f;
                float[] out2 = out.clone();
                float[] error2 = error.clone();
                float[] expectedOut = out.clone();
                float[] expectedError = error.clone();
                for (int i = 0; i < n; i++) {
                    expectedError[i] = error[i] + g * out[oo + i];
                    expectedOut[oo + i] = out[oo + i] + g * in[io + i];
                }
                scalar.update(error, out, oo, in, io, g, n);
                vector.update(error2, out2, oo, in, io, g, n);
                assertArrayEquals(expectedOut, out);
                assertArrayEquals(expectedError, error);
                assertArrayEquals(out, out2);
                assertArrayEquals(error, error2);

                float[] target = random(random, n + 16);
                float[] target2 = target.clone();
                float[] expected = target.clone();
                for (int i = 0; i < n; i++) {
                    expected[oo + i] = target[oo + i] + in[io + i];
                }
                scalar.add(target, oo, in, io, n);
                vector.add(target2, oo, in, io, n);
                assertArrayEquals(expected, target);
                assertArrayEquals(target, target2);
            }
        }
    }
}
