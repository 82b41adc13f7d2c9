package org.glossa.embeddings.word2vec;

/** {@link FloatKernels} in plain Java. */
final class ScalarKernels extends FloatKernels {

    @Override
    String description() {
        return "scalar";
    }

    @Override
    float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i <= n - 8; i += 8) {
            s0 = Math.fma(a[ao + i], b[bo + i], s0);
            s1 = Math.fma(a[ao + i + 1], b[bo + i + 1], s1);
            s2 = Math.fma(a[ao + i + 2], b[bo + i + 2], s2);
            s3 = Math.fma(a[ao + i + 3], b[bo + i + 3], s3);
            s4 = Math.fma(a[ao + i + 4], b[bo + i + 4], s4);
            s5 = Math.fma(a[ao + i + 5], b[bo + i + 5], s5);
            s6 = Math.fma(a[ao + i + 6], b[bo + i + 6], s6);
            s7 = Math.fma(a[ao + i + 7], b[bo + i + 7], s7);
        }
        float sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; i < n; i++) {
            sum = Math.fma(a[ao + i], b[bo + i], sum);
        }
        return sum;
    }

    @Override
    void update(float[] error, float[] out, int outOffset, float[] in, int inOffset, float g, int n) {
        for (int i = 0; i < n; i++) {
            float w = out[outOffset + i];
            error[i] += g * w;
            out[outOffset + i] = w + g * in[inOffset + i];
        }
    }

    @Override
    void add(float[] target, int targetOffset, float[] source, int sourceOffset, int n) {
        for (int i = 0; i < n; i++) {
            target[targetOffset + i] += source[sourceOffset + i];
        }
    }
}
