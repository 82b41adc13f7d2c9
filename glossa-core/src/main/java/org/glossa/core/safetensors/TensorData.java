package org.glossa.core.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A named-less tensor as bytes: dtype, shape and little-endian contents (row-major, as safetensors and
 * PyTorch store them). The buffer may be a slice of a memory-mapped file.
 */
public record TensorData(DType dtype, long[] shape, ByteBuffer bytes) {
    public TensorData {
        long expected = numel(shape) * dtype.byteSize();
        if (bytes.remaining() != expected) {
            throw new IllegalArgumentException("tensor of dtype " + dtype + " and shape " + Arrays.toString(shape)
                    + " needs " + expected + " bytes, got " + bytes.remaining());
        }
        shape = shape.clone();
        bytes = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Number of elements of a tensor of this shape (1 for a scalar). */
    public static long numel(long[] shape) {
        long n = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, dim);
        }
        return n;
    }

    public long numel() {
        return numel(shape);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A fresh read-only little-endian view of the contents. */
    @Override
    public ByteBuffer bytes() {
        return bytes.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** An F32 tensor from Java floats. */
    public static TensorData ofFloats(float[] values, long... shape) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return new TensorData(DType.F32, shape, buffer);
    }

    /** The contents of an F32 tensor as Java floats. */
    public float[] toFloats() {
        if (dtype != DType.F32) {
            throw new IllegalStateException("toFloats() needs F32, this tensor is " + dtype);
        }
        float[] out = new float[Math.toIntExact(numel())];
        bytes().asFloatBuffer().get(out);
        return out;
    }
}
