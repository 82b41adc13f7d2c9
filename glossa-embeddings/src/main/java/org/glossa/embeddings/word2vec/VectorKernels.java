package org.glossa.embeddings.word2vec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatKernels} with the Vector API, 8 float lanes (256 bits: AVX2 and up, and a fixed lane count
 * keeps results the same on every machine). Loaded only when {@code jdk.incubator.vector} is present.
 */
final class VectorKernels extends FloatKernels {
    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_256;

    @Override
    String description() {
        return "Vector API (8 lanes)";
    }

    @Override
    float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector partial = FloatVector.zero(LANES);
        int i = 0;
        for (int bound = LANES.loopBound(n); i < bound; i += 8) {
            partial = FloatVector.fromArray(LANES, a, ao + i).fma(FloatVector.fromArray(LANES, b, bo + i), partial);
        }
        // The partial sums in ScalarKernels' order.
        float sum = ((partial.lane(0) + partial.lane(1)) + (partial.lane(2) + partial.lane(3)))
                + ((partial.lane(4) + partial.lane(5)) + (partial.lane(6) + partial.lane(7)));
        for (; i < n; i++) {
            sum = Math.fma(a[ao + i], b[bo + i], sum);
        }
        return sum;
    }

    @Override
    void update(float[] error, float[] out, int outOffset, float[] in, int inOffset, float g, int n) {
        FloatVector gain = FloatVector.broadcast(LANES, g);
        int i = 0;
        for (int bound = LANES.loopBound(n); i < bound; i += 8) {
            FloatVector w = FloatVector.fromArray(LANES, out, outOffset + i);
            FloatVector.fromArray(LANES, error, i).add(w.mul(gain)).intoArray(error, i);
            w.add(FloatVector.fromArray(LANES, in, inOffset + i).mul(gain)).intoArray(out, outOffset + i);
        }
        for (; i < n; i++) {
            float w = out[outOffset + i];
            error[i] += g * w;
            out[outOffset + i] = w + g * in[inOffset + i];
        }
    }

    @Override
    void add(float[] target, int targetOffset, float[] source, int sourceOffset, int n) {
        int i = 0;
        for (int bound = LANES.loopBound(n); i < bound; i += 8) {
            FloatVector.fromArray(LANES, target, targetOffset + i)
                    .add(FloatVector.fromArray(LANES, source, sourceOffset + i)).intoArray(target, targetOffset + i);
        }
        for (; i < n; i++) {
            target[targetOffset + i] += source[sourceOffset + i];
        }
    }
}
