package org.glossa.embeddings.word2vec;

/**
 * The float loops of word2vec training over rows of shared weight arrays. Two implementations give
 * bit-identical results: {@link ScalarKernels} in plain Java, and {@link VectorKernels} with the incubating
 * Vector API ({@code jdk.incubator.vector}, 8 lanes), about three times faster on these 100-float rows,
 * where HotSpot's auto-vectoriser loses most of its gain to pre- and post-loops. The Vector API is used when
 * the JVM runs with {@code --add-modules jdk.incubator.vector} (the {@code glossa} launcher adds it) unless
 * the system property {@code glossa.vector} is {@code false}.
 *
 * <p>Identical results: Java forbids fusing {@code a + g * b} into one rounding, so element-wise updates
 * agree lane for lane; the dot product accumulates elements {@code i ≡ k (mod 8)} in partial sum {@code k}
 * with fused multiply-adds, adds the partial sums pairwise in a fixed order, then the {@code n mod 8} last
 * elements in order, in both implementations.
 */
abstract class FloatKernels {
    static final FloatKernels INSTANCE = choose();

    /** What runs: "Vector API (8 lanes)" or "scalar". */
    abstract String description();

    /** a[ao..ao+n) · b[bo..bo+n). */
    abstract float dot(float[] a, int ao, float[] b, int bo, int n);

    /**
     * One output unit's two updates in one pass: {@code error[0..n) += g · out[oo..oo+n)} (with the old
     * values), then {@code out[oo..oo+n) += g · in[io..io+n)}. {@code error} must not be {@code out}.
     */
    abstract void update(float[] error, float[] out, int outOffset, float[] in, int inOffset, float g, int n);

    /** target[to..to+n) += source[so..so+n). */
    abstract void add(float[] target, int targetOffset, float[] source, int sourceOffset, int n);

    private static FloatKernels choose() {
        boolean wanted = !"false".equalsIgnoreCase(System.getProperty("glossa.vector", "true"));
        if (wanted && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                // By name: the class links against jdk.incubator.vector, which may be absent.
                return (FloatKernels) Class.forName(FloatKernels.class.getPackageName() + ".VectorKernels")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall back to plain Java
            }
        }
        return new ScalarKernels();
    }
}
