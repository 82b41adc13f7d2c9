package org.glossa.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.glossa.core.GlossaException;
import org.glossa.core.onnx.OnnxModel.AttributeType;
import org.glossa.core.onnx.OnnxModel.Node;
import org.glossa.core.safetensors.DType;
import org.glossa.core.safetensors.TensorData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX reader on models built by hand from the field numbers of onnx.proto
 * (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto).
 */
@Tag("unit")
class OnnxModelTest {
    // TensorProto.DataType codes
    private static final int FLOAT = 1, INT64 = 7, STRING = 8, FLOAT16 = 10, DOUBLE = 11;

    private static ProtoBytes tensor(String name, int dataType, long... dims) {
        ProtoBytes tensor = new ProtoBytes();
        for (long dim : dims) {
            tensor.varint(1, dim);  // dims: unpacked, as proto2 writers emit them
        }
        return tensor.varint(2, dataType).string(8, name);
    }

    private static ProtoBytes valueInfo(String name) {
        return new ProtoBytes().string(1, name).string(3, "documentation we skip");
    }

    private static byte[] littleEndianFloats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    /** A small model using every encoding the reader supports, with unknown fields in between. */
    private static byte[] handBuiltModel() {
        ProtoBytes graph = new ProtoBytes()
                .string(2, "tiny")  // graph name: not used
                .message(1, new ProtoBytes().string(1, "x").string(1, "w").string(2, "y").string(3, "mm")
                        .string(4, "MatMul").string(7, "").string(6, "a doc string"))
                .message(1, new ProtoBytes().string(2, "c").string(3, "const").string(4, "Constant")
                        .message(5, new ProtoBytes().string(1, "value").varint(20, 4)
                                .message(5, tensor("", INT64, 2).varint(7, 7).varint(7, -3))))
                .message(1, new ProtoBytes().string(1, "y").string(1, "").string(2, "z").string(3, "custom")
                        .string(4, "Custom")
                        .message(5, new ProtoBytes().string(1, "alpha").varint(20, 1).float32(2, 0.25f))
                        .message(5, new ProtoBytes().string(1, "axis").varint(20, 2).varint(3, -1))
                        .message(5, new ProtoBytes().string(1, "mode").varint(20, 3).string(4, "tanh"))
                        .message(5, new ProtoBytes().string(1, "perm").varint(20, 7).varint(8, 0).varint(8, 2).varint(8, 1))
                        .message(5, new ProtoBytes().string(1, "scales").varint(20, 6).packedFloats(7, 1.5f, -2f))
                        .message(5, new ProtoBytes().string(1, "untyped").varint(3, 42)))  // no type field: old exporters
                .message(5, tensor("w", FLOAT, 2, 3).bytes(9, littleEndianFloats(1, 2, 3, 4, 5, 6)))
                .message(5, tensor("b", FLOAT, 3).packedFloats(4, 0.5f, -0.5f, 8f))
                .message(5, tensor("shape", INT64, 4).packedVarints(7, 0, 0, 12, -1))
                .message(5, tensor("half", FLOAT16, 2).packedVarints(5, 0x3C00, 0xC000))
                .message(5, tensor("double", DOUBLE, 1).fixed64(10, Double.doubleToLongBits(2.5)))
                .message(5, tensor("scalar", FLOAT).float32(4, 3f))
                .message(11, valueInfo("x"))
                .message(11, valueInfo("w"))  // old IR versions list initializers among the inputs
                .message(12, valueInfo("z"))
                .message(13, valueInfo("y"));  // value_info: skipped
        return new ProtoBytes()
                .varint(1, 7)                     // ir_version
                .string(2, "hand")                // producer_name
                .string(3, "1.0")                 // producer_version: skipped
                .message(8, new ProtoBytes().string(1, "com.microsoft").varint(2, 1))
                .message(8, new ProtoBytes().varint(2, 13))
                .message(14, new ProtoBytes().string(1, "key").string(2, "value"))  // metadata_props: skipped
                .message(7, graph)
                .toByteArray();
    }

    @Test
    void readsGraphStructure() {
        OnnxModel model = OnnxModel.read(ByteBuffer.wrap(handBuiltModel()), "hand.onnx");
        assertEquals("hand", model.producerName());
        assertEquals(13, model.opsetVersion());
        assertEquals(List.of("x"), model.inputs());
        assertEquals(List.of("z"), model.outputs());
        assertEquals(List.of("w", "b", "shape", "half", "double", "scalar"), List.copyOf(model.initializers().keySet()));
        assertEquals(3, model.nodes().size());
        Node matMul = model.nodes().get(0);
        assertEquals(new Node("mm", "MatMul", List.of("x", "w"), List.of("y"), java.util.Map.of()), matMul);
        assertEquals(List.of("y", ""), model.nodes().get(2).inputs());
        assertEquals("mm", model.producer("y").orElseThrow().name());
        assertEquals(List.of("custom"), model.consumers("y").stream().map(Node::name).toList());
        assertTrue(model.producer("x").isEmpty());
    }

    @Test
    void decodesEveryTensorEncoding() {
        OnnxModel model = OnnxModel.read(ByteBuffer.wrap(handBuiltModel()), "hand.onnx");
        TensorData w = model.initializers().get("w");
        assertEquals(DType.F32, w.dtype());
        assertArrayEquals(new long[] {2, 3}, w.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.toFloats());
        assertArrayEquals(new float[] {0.5f, -0.5f, 8f}, model.initializers().get("b").toFloats());

        TensorData shape = model.initializers().get("shape");
        assertEquals(DType.I64, shape.dtype());
        ByteBuffer longs = shape.bytes();
        assertEquals(List.of(0L, 0L, 12L, -1L), List.of(longs.getLong(), longs.getLong(), longs.getLong(), longs.getLong()));

        TensorData half = model.initializers().get("half");
        assertEquals(DType.F16, half.dtype());
        ByteBuffer halves = half.bytes();
        assertEquals((short) 0x3C00, halves.getShort());  // 1.0 in IEEE half precision
        assertEquals((short) 0xC000, halves.getShort());  // -2.0

        TensorData dbl = model.initializers().get("double");
        assertEquals(DType.F64, dbl.dtype());
        assertEquals(2.5, dbl.bytes().getDouble());

        TensorData scalar = model.initializers().get("scalar");
        assertArrayEquals(new long[0], scalar.shape());
        assertArrayEquals(new float[] {3f}, scalar.toFloats());
    }

    @Test
    void decodesAttributesAndConstants() {
        OnnxModel model = OnnxModel.read(ByteBuffer.wrap(handBuiltModel()), "hand.onnx");
        Node custom = model.nodes().get(2);
        assertEquals(0.25f, custom.attributes().get("alpha").asFloat());
        assertEquals(-1L, custom.attributes().get("axis").asInt());
        assertEquals("tanh", custom.attributes().get("mode").asString());
        assertArrayEquals(new long[] {0, 2, 1}, custom.attributes().get("perm").asInts());
        assertArrayEquals(new float[] {1.5f, -2f}, custom.attributes().get("scales").asFloats());
        assertEquals(AttributeType.INT, custom.attributes().get("untyped").type());
        assertEquals(42L, custom.attributes().get("untyped").asInt());
        GlossaException wrongType = assertThrows(GlossaException.class, () -> custom.attributes().get("alpha").asInt());
        assertTrue(wrongType.getMessage().contains("'alpha' is FLOAT"), wrongType.getMessage());

        TensorData constant = model.constant("c").orElseThrow();
        assertEquals(DType.I64, constant.dtype());
        ByteBuffer values = constant.bytes();
        assertEquals(List.of(7L, -3L), List.of(values.getLong(), values.getLong()));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, model.constant("w").orElseThrow().toFloats());
        assertTrue(model.constant("y").isEmpty());
    }

    private static GlossaException readError(ProtoBytes tensorProto) {
        byte[] bytes = new ProtoBytes().message(7, new ProtoBytes().message(5, tensorProto)).toByteArray();
        return assertThrows(GlossaException.class, () -> OnnxModel.read(ByteBuffer.wrap(bytes), "bad.onnx"));
    }

    @Test
    void externalDataIsAClearError() {
        GlossaException e = readError(tensor("big", FLOAT, 4)
                .message(13, new ProtoBytes().string(1, "location").string(2, "weights.bin")).varint(14, 1));
        assertTrue(e.getMessage().startsWith("bad.onnx: tensor 'big'"), e.getMessage());
        assertTrue(e.getMessage().contains("external file"), e.getMessage());
    }

    @Test
    void inconsistentOrUnsupportedTensorsAreErrors() {
        assertTrue(readError(tensor("w", FLOAT, 2, 3).bytes(9, littleEndianFloats(1, 2, 3))).getMessage()
                .contains("tensor 'w'"));
        assertTrue(readError(tensor("b", FLOAT, 3).packedFloats(4, 1f)).getMessage().contains("needs 3 values, has 1"));
        assertTrue(readError(tensor("s", STRING, 1).string(6, "text")).getMessage().contains("STRING"));
        assertTrue(readError(tensor("n", FLOAT).varint(1, -2)).getMessage().contains("negative dimension"));
    }

    @Test
    void inputWithoutGraphIsNotAModel() {
        GlossaException e = assertThrows(GlossaException.class,
                () -> OnnxModel.read(new ProtoBytes().varint(1, 7).toBuffer(), "empty.onnx"));
        assertEquals("empty.onnx: not an ONNX model (no graph)", e.getMessage());
    }

    @Test
    void truncatedAndMissingFilesAreErrorsNamingTheFile(@TempDir Path directory) throws Exception {
        byte[] whole = handBuiltModel();
        Path truncated = directory.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(whole, whole.length - 5));
        GlossaException e = assertThrows(GlossaException.class, () -> OnnxModel.read(truncated));
        assertTrue(e.getMessage().startsWith(truncated + ": malformed protobuf"), e.getMessage());

        Path text = directory.resolve("config.json");
        Files.writeString(text, "{\"hidden_size\": 384}");
        e = assertThrows(GlossaException.class, () -> OnnxModel.read(text));
        assertTrue(e.getMessage().startsWith(text.toString()), e.getMessage());

        Path missing = directory.resolve("missing.onnx");
        e = assertThrows(GlossaException.class, () -> OnnxModel.read(missing));
        assertTrue(e.getMessage().startsWith("cannot read ONNX file " + missing), e.getMessage());

        Path complete = directory.resolve("complete.onnx");
        Files.write(complete, whole);
        assertEquals(6, OnnxModel.read(complete).initializers().size());
        assertEquals(6, OnnxModel.read(Files.newInputStream(complete), "stream").initializers().size());
    }
}
