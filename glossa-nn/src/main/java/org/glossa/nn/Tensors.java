package org.glossa.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Supplier;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.glossa.core.safetensors.DType;
import org.glossa.core.safetensors.TensorData;

/**
 * Tensors to and from Java arrays and {@link TensorData}, and the autograd modes.
 *
 * <p>Every tensor made here owns its memory (libtorch allocates it and we copy into it), so it stays valid
 * after the Java array changes or the memory-mapped file behind a {@code TensorData} is closed. Conversions
 * back to Java copy too. Tensors created here attach to the current {@link NativeScope} like any other.
 */
public final class Tensors {
    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            // safetensors bytes are little-endian and we copy them as they are.
            throw new UnsupportedOperationException("Glossa's tensor copies assume a little-endian CPU");
        }
    }

    private Tensors() {}

    /** An F32 tensor of this shape holding a copy of {@code data} (row-major). */
    public static Tensor fromFloats(float[] data, long... shape) {
        checkCount(data.length, shape);
        Tensor out = empty(shape, ScalarType.Float);
        if (data.length > 0) {
            out.data_ptr_float().put(data);
        }
        return out;
    }

    /** An I64 tensor (token ids, labels) of this shape holding a copy of {@code data}. */
    public static Tensor fromLongs(long[] data, long... shape) {
        checkCount(data.length, shape);
        Tensor out = empty(shape, ScalarType.Long);
        if (data.length > 0) {
            out.data_ptr_long().put(data);
        }
        return out;
    }

    /** A tensor of the same dtype and shape as {@code data} holding a copy of its bytes (F16/BF16 stay as they are). */
    public static Tensor fromTensorData(TensorData data) {
        Tensor out = empty(data.shape(), DTypes.toScalarType(data.dtype()));
        copyInto(data.bytes(), out);
        return out;
    }

    /** The elements as Java floats (converted from any dtype, row-major). */
    public static float[] toFloats(Tensor tensor) {
        try (NativeScope scope = new NativeScope()) {
            Tensor dense = tensor.detach().to(ScalarType.Float).contiguous();
            float[] out = new float[Math.toIntExact(dense.numel())];
            if (out.length > 0) {
                dense.data_ptr_float().get(out);
            }
            return out;
        }
    }

    /** The elements as Java longs (converted from any dtype, row-major). */
    public static long[] toLongs(Tensor tensor) {
        try (NativeScope scope = new NativeScope()) {
            Tensor dense = tensor.detach().to(ScalarType.Long).contiguous();
            long[] out = new long[Math.toIntExact(dense.numel())];
            if (out.length > 0) {
                dense.data_ptr_long().get(out);
            }
            return out;
        }
    }

    /** A copy of the tensor as safetensors-ready bytes, in its own dtype. */
    public static TensorData toTensorData(Tensor tensor) {
        try (NativeScope scope = new NativeScope()) {
            Tensor dense = tensor.detach().contiguous();
            DType dtype = DTypes.fromScalarType(dense.scalar_type());
            ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(dense.nbytes())).order(ByteOrder.LITTLE_ENDIAN);
            bytes.put(nativeBytes(dense));
            bytes.flip();
            return new TensorData(dtype, shape(dense), bytes);
        }
    }

    /** The sizes of each dimension ({@code []} for a scalar). */
    public static long[] shape(Tensor tensor) {
        long[] shape = new long[Math.toIntExact(tensor.dim())];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = tensor.size(i);
        }
        return shape;
    }

    /** Runs {@code body} without recording operations for backward (evaluation, weight updates). */
    public static <T> T noGrad(Supplier<T> body) {
        try (NoGradGuard guard = new NoGradGuard()) {
            return body.get();
        }
    }

    public static void noGrad(Runnable body) {
        try (NoGradGuard guard = new NoGradGuard()) {
            body.run();
        }
    }

    /**
     * Runs {@code body} in inference mode: like {@link #noGrad} but also skips autograd's version counters,
     * a little faster. Tensors created inside can never take part in a backward pass, so use it for serving,
     * not for evaluation inside a training run.
     */
    public static <T> T inference(Supplier<T> body) {
        try (InferenceMode guard = new InferenceMode()) {
            return body.get();
        }
    }

    public static void inference(Runnable body) {
        try (InferenceMode guard = new InferenceMode()) {
            body.run();
        }
    }

    private static Tensor empty(long[] shape, ScalarType type) {
        Engine.init();
        try (TensorOptions options = new TensorOptions(type);
             MemoryFormatOptional noFormat = new MemoryFormatOptional()) {
            return torch.empty(shape, options, noFormat);
        }
    }

    /** A view of a contiguous tensor's memory; valid while the tensor lives. */
    private static ByteBuffer nativeBytes(Tensor dense) {
        long size = dense.nbytes();
        if (size == 0) {
            return ByteBuffer.allocate(0); // an empty tensor may have no storage at all
        }
        return new BytePointer(dense.data_ptr()).capacity(size).limit(size).asByteBuffer();
    }

    private static void copyInto(ByteBuffer source, Tensor target) {
        ByteBuffer destination = nativeBytes(target);
        if (source.remaining() != destination.remaining()) {
            throw new IllegalStateException("copying " + source.remaining() + " bytes into a tensor of "
                    + destination.remaining());
        }
        destination.put(source);
    }

    private static void checkCount(int length, long[] shape) {
        if (TensorData.numel(shape) != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs "
                    + TensorData.numel(shape) + " elements, got " + length);
        }
    }
}
