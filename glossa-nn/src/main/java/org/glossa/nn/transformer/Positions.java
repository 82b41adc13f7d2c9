package org.glossa.nn.transformer;

import org.bytedeco.pytorch.Tensor;
import org.glossa.nn.Tensors;

/**
 * The fixed sinusoidal position encoding of the Transformer paper (§3.5): for position p and frequency index
 * i &lt; d/2, the angle is {@code p / 10000^(2i/d)}. The sines fill the first half of each vector and the cosines the
 * second half, as the TensorFlow Transformer tutorial and HF's Marian lay them out (the paper interleaves them;
 * the two differ by a fixed permutation of the dimensions, which the model's first projections absorb).
 *
 * <p>Nothing here is learned or saved: the table is a function of (length, d). Learned positions are an
 * {@link org.glossa.nn.Embedding} of the model's own.
 */
public final class Positions {
    private final int dim;
    private final float[] table; // (maxPositions, dim), row-major

    /** Precomputes the encoding of positions 0 … maxPositions−1 for vectors of {@code dim} (even) elements. */
    public Positions(int maxPositions, int dim) {
        if (dim % 2 != 0 || dim <= 0 || maxPositions <= 0) {
            throw new IllegalArgumentException("sinusoidal positions need an even dimension and a positive length, got "
                    + dim + " and " + maxPositions);
        }
        this.dim = dim;
        table = new float[maxPositions * dim];
        int half = dim / 2;
        for (int p = 0; p < maxPositions; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p / Math.pow(10000.0, (double) i / half); // p / 10000^(2i/d)
                table[p * dim + i] = (float) Math.sin(angle);
                table[p * dim + half + i] = (float) Math.cos(angle);
            }
        }
    }

    public int maxPositions() {
        return table.length / dim;
    }

    /** The encodings of positions {@code offset} … {@code offset + length − 1}: (length, dim), fp32. */
    public Tensor forward(long offset, long length) {
        if (offset < 0 || offset + length > maxPositions()) {
            throw new IllegalArgumentException("positions " + offset + " to " + (offset + length - 1)
                    + " are outside the table of " + maxPositions());
        }
        int from = Math.toIntExact(offset * dim);
        float[] rows = java.util.Arrays.copyOfRange(table, from, from + Math.toIntExact(length * dim));
        return Tensors.fromFloats(rows, length, dim);
    }
}
