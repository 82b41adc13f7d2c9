package org.glossa.core.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a safetensors header says about one tensor: its dtype, its shape and where its bytes lie, as
 * offsets {@code [begin, end)} into the data section that follows the header (not into the file).
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements (1 for a scalar, 0 for an empty tensor). */
    public long numel() {
        return TensorData.numel(shape);
    }

    /** Length of the tensor's bytes in the data section. */
    public long byteSize() {
        return end - begin;
    }

    // Records compare arrays by reference; two infos describing the same tensor should be equal.
    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo that
                && name.equals(that.name) && dtype == that.dtype && Arrays.equals(shape, that.shape)
                && begin == that.begin && end == that.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return "'" + name + "' " + dtype + " " + Arrays.toString(shape) + " at data bytes [" + begin + ", " + end + ")";
    }
}
