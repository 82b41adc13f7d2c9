package org.glossa.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.glossa.core.GlossaException;
import org.glossa.core.safetensors.DType;
import org.glossa.core.safetensors.TensorData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("model")
class TensorsTest {
    @Test
    void floatsAndLongsRoundTripWithTheirShape() {
        Tensor floats = Tensors.fromFloats(new float[] {1.5f, -2, 0, 3.25f, 1e-8f, -7}, 3, 2);
        assertEquals(ScalarType.Float, floats.scalar_type().intern());
        assertArrayEquals(new long[] {3, 2}, Tensors.shape(floats));
        assertArrayEquals(new float[] {1.5f, -2, 0, 3.25f, 1e-8f, -7}, Tensors.toFloats(floats));
        // Row-major: element [2][0] is the fifth value.
        assertEquals(1e-8f, floats.select(0, 2).select(0, 0).item_float());

        long[] ids = {101, 0, 1L << 40, -1};
        Tensor longs = Tensors.fromLongs(ids, 2, 2);
        assertEquals(ScalarType.Long, longs.scalar_type().intern());
        assertArrayEquals(ids, Tensors.toLongs(longs));

        Tensor scalar = Tensors.fromFloats(new float[] {4});
        assertArrayEquals(new long[0], Tensors.shape(scalar));
        assertEquals(0, Tensors.fromFloats(new float[0], 0, 3).numel());
        assertThrows(IllegalArgumentException.class, () -> Tensors.fromFloats(new float[5], 2, 3));
    }

    @Test
    void tensorDataOfEachDtypeIsReadBitForBit() {
        // Half and bfloat16 bit patterns from the IEEE 754 / bfloat16 definitions.
        assertArrayEquals(new float[] {1, -2, 0.5f, 65504},
                Tensors.toFloats(Tensors.fromTensorData(shorts(DType.F16, 0x3C00, 0xC000, 0x3800, 0x7BFF))));
        Tensor bf16 = Tensors.fromTensorData(shorts(DType.BF16, 0x3F80, 0x4000, 0xBF00, 0x3FC0));
        assertEquals(ScalarType.BFloat16, bf16.scalar_type().intern());
        assertArrayEquals(new float[] {1, 2, -0.5f, 1.5f}, Tensors.toFloats(bf16));

        ByteBuffer longs = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(-3).flip();
        assertArrayEquals(new long[] {7, -3}, Tensors.toLongs(Tensors.fromTensorData(new TensorData(DType.I64, new long[] {2}, longs))));

        TensorData f32 = TensorData.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor fromData = Tensors.fromTensorData(f32);
        assertArrayEquals(new long[] {2, 3}, Tensors.shape(fromData));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Tensors.toFloats(fromData));
    }

    @Test
    void fromTensorDataCopiesRatherThanAliases() {
        // Stands for a memory-mapped file: a direct buffer that changes (or disappears) after loading.
        ByteBuffer direct = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).flip();
        Tensor tensor = Tensors.fromTensorData(new TensorData(DType.F32, new long[] {2}, direct));
        direct.putFloat(0, 99).putFloat(4, 99);
        assertArrayEquals(new float[] {1, 2}, Tensors.toFloats(tensor));
    }

    @Test
    void toTensorDataKeepsDtypeShapeAndLittleEndianBytes() {
        TensorData f32 = Tensors.toTensorData(Tensors.fromFloats(new float[] {1.5f, -2}, 2, 1));
        assertEquals(DType.F32, f32.dtype());
        assertArrayEquals(new long[] {2, 1}, f32.shape());
        ByteBuffer bytes = f32.bytes();
        assertEquals(Float.floatToIntBits(1.5f), bytes.getInt(0));
        assertEquals(Float.floatToIntBits(-2f), bytes.getInt(4));

        TensorData bf16 = Tensors.toTensorData(Tensors.fromFloats(new float[] {1, 1.5f}, 2).to(ScalarType.BFloat16));
        assertEquals(DType.BF16, bf16.dtype());
        assertEquals((short) 0x3F80, bf16.bytes().getShort(0));
        assertEquals((short) 0x3FC0, bf16.bytes().getShort(2));

        // A non-contiguous view (a transpose) is written out in row-major order of the view.
        Tensor transposed = Tensors.fromFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t();
        TensorData data = Tensors.toTensorData(transposed);
        assertArrayEquals(new long[] {3, 2}, data.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, data.toFloats());
    }

    @Test
    void dtypesMapBothWays() {
        for (DType dtype : DType.values()) {
            assertEquals(dtype, DTypes.fromScalarType(DTypes.toScalarType(dtype)));
        }
        assertEquals(ScalarType.BFloat16, DTypes.toScalarType(DType.BF16));
        assertEquals(ScalarType.Char, DTypes.toScalarType(DType.I8));
        assertThrows(GlossaException.class, () -> DTypes.fromScalarType(ScalarType.ComplexFloat));
    }

    @Test
    void aScopeFreesWhatItDoesNotKeep() {
        Engine.init();
        Tensor dropped;
        Tensor kept;
        try (NativeScope scope = new NativeScope()) {
            dropped = torch.ones(3);
            kept = scope.keep(torch.full(new long[] {2}, new org.bytedeco.pytorch.Scalar(5f)));
        }
        assertTrue(dropped.isNull(), "a tensor created in a closed scope is freed");
        assertFalse(kept.isNull());
        assertArrayEquals(new float[] {5, 5}, Tensors.toFloats(kept));
        kept.close();
        assertTrue(kept.isNull());
    }

    @Test
    void keepHandsATensorToTheEnclosingScope() {
        Engine.init();
        Tensor survivor;
        try (NativeScope outer = new NativeScope()) {
            try (NativeScope inner = new NativeScope()) {
                survivor = inner.keep(torch.ones(2));
            }
            assertFalse(survivor.isNull(), "kept past the inner scope");
            assertArrayEquals(new float[] {1, 1}, Tensors.toFloats(survivor));
        }
        assertTrue(survivor.isNull(), "freed with the enclosing scope");
    }

    @Test
    void noGradAndInferenceModesApplyInsideOnly() {
        Engine.init();
        try (NativeScope scope = new NativeScope()) {
            Tensor weight = Tensors.fromFloats(new float[] {1, 2}, 2).set_requires_grad(true);
            assertTrue(GradMode.is_enabled());
            Tensor untracked = Tensors.noGrad(() -> {
                assertFalse(GradMode.is_enabled());
                return weight.mul(weight);
            });
            assertFalse(untracked.requires_grad());
            assertTrue(GradMode.is_enabled(), "grad mode restored");
            assertTrue(weight.mul(weight).requires_grad());

            Tensors.inference(() -> assertTrue(InferenceMode.is_enabled()));
            assertFalse(InferenceMode.is_enabled());
        }
    }

    @Test
    void autocastRunsMatmulInBf16AndRestoresTheState() {
        Engine.init();
        try (NativeScope scope = new NativeScope()) {
            Tensor a = Tensors.fromFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor b = Tensors.fromFloats(new float[] {0.5f, -1, 2, 0.25f, 1, 1}, 3, 2);
            Tensor mixed = Autocast.bf16(() -> {
                assertTrue(Autocast.isEnabled());
                Tensor inner = Autocast.bf16(() -> torch.matmul(a, b)); // nesting keeps it enabled
                assertTrue(Autocast.isEnabled());
                return inner;
            });
            assertFalse(Autocast.isEnabled());
            assertEquals(ScalarType.BFloat16, mixed.scalar_type().intern());
            assertEquals(ScalarType.Float, torch.matmul(a, b).scalar_type().intern());
            // [[1,2,3],[4,5,6]] × [[0.5,-1],[2,0.25],[1,1]] = [[7.5,2.5],[18,3.25]], all exact in bf16.
            assertArrayEquals(new float[] {7.5f, 2.5f, 18, 3.25f}, Tensors.toFloats(mixed));

            assertThrows(IllegalStateException.class, () -> Autocast.bf16((Runnable) () -> {
                throw new IllegalStateException("body failed");
            }));
            assertFalse(Autocast.isEnabled(), "restored after an exception");
        }
    }

    private static TensorData shorts(DType dtype, int... bits) {
        ByteBuffer buffer = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int value : bits) {
            buffer.putShort((short) value);
        }
        return new TensorData(dtype, new long[] {bits.length}, buffer.flip());
    }
}
