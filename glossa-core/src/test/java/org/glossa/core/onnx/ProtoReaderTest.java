package org.glossa.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ProtoReaderTest {

    private static ProtoReader reader(int... bytes) {
        byte[] array = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            array[i] = (byte) bytes[i];
        }
        return new ProtoReader(ByteBuffer.wrap(array), "test.onnx");
    }

    @Test
    void readsVarintsFromTheProtobufDocumentation() {
        // 150 in field 1 is 08 96 01 and 300 is AC 02 (protobuf encoding guide).
        ProtoReader r = reader(0x08, 0x96, 0x01, 0x10, 0xAC, 0x02);
        assertTrue(r.next());
        assertEquals(1, r.field());
        assertEquals(ProtoReader.VARINT, r.wireType());
        assertEquals(150, r.int64());
        assertTrue(r.next());
        assertEquals(2, r.field());
        assertEquals(300, r.int64());
        assertFalse(r.next());
    }

    @Test
    void readsNegativeInt64AndInt32AsTenByteVarints() {
        // Negative values are sign-extended to 64 bits, hence always 10 bytes.
        ProtoReader r = reader(0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
                0x10, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
        assertTrue(r.next());
        assertEquals(-1L, r.int64());
        assertTrue(r.next());
        assertEquals(-2, r.int32());
        assertFalse(r.next());
    }

    @Test
    void readsExtremeVarints() {
        ProtoBytes bytes = new ProtoBytes().varint(1, Long.MAX_VALUE).varint(2, Long.MIN_VALUE).varint(3, 0);
        ProtoReader r = new ProtoReader(bytes.toBuffer(), "test.onnx");
        r.next();
        assertEquals(Long.MAX_VALUE, r.int64());
        r.next();
        assertEquals(Long.MIN_VALUE, r.int64());
        r.next();
        assertEquals(0, r.int64());
    }

    @Test
    void readsFixedWidthValuesAndStrings() {
        ProtoBytes bytes = new ProtoBytes().float32(1, 1.5f).fixed64(2, Double.doubleToLongBits(-0.25))
                .string(3, "héllo");
        ProtoReader r = new ProtoReader(bytes.toBuffer(), "test.onnx");
        r.next();
        assertEquals(1.5f, r.float32());
        r.next();
        assertEquals(-0.25, r.float64());
        r.next();
        assertEquals("héllo", r.string());
        assertFalse(r.next());
    }

    @Test
    void packedAndUnpackedRepeatedFieldsGiveTheSameValues() {
        long[] values = {3, 270, 86942, -5};
        ProtoBytes unpacked = new ProtoBytes();
        for (long value : values) {
            unpacked.varint(4, value);
        }
        ProtoBytes packed = new ProtoBytes().packedVarints(4, values);
        for (ProtoBytes bytes : List.of(unpacked, packed)) {
            List<Long> read = new ArrayList<>();
            ProtoReader r = new ProtoReader(bytes.toBuffer(), "test.onnx");
            while (r.next()) {
                assertEquals(4, r.field());
                r.int64s(read::add);
            }
            assertEquals(List.of(3L, 270L, 86942L, -5L), read);
        }
        // The packed example of the encoding guide: field 4, values 3, 270, 86942.
        List<Long> fromGuide = new ArrayList<>();
        ProtoReader guide = reader(0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05);
        guide.next();
        guide.int64s(fromGuide::add);
        assertEquals(List.of(3L, 270L, 86942L), fromGuide);
    }

    @Test
    void readsPackedAndUnpackedFloats() {
        ProtoBytes bytes = new ProtoBytes().packedFloats(7, 1f, -2f, 0.5f).float32(7, 8f);
        List<Float> read = new ArrayList<>();
        ProtoReader r = new ProtoReader(bytes.toBuffer(), "test.onnx");
        while (r.next()) {
            r.float32s(read::add);
        }
        assertEquals(List.of(1f, -2f, 0.5f, 8f), read);
    }

    @Test
    void skipsUnknownFieldsOfEveryWireType() {
        ProtoBytes bytes = new ProtoBytes()
                .varint(50, -7)
                .fixed64(51, 123456789L)
                .string(52, "ignored")
                .fixed32(53, 42)
                .tag(54, ProtoReader.START_GROUP).varint(1, 5).string(2, "inner").tag(54, ProtoReader.END_GROUP)
                .varint(1, 99);
        ProtoReader r = new ProtoReader(bytes.toBuffer(), "test.onnx");
        List<Integer> skipped = new ArrayList<>();
        long wanted = -1;
        while (r.next()) {
            if (r.field() == 1) {
                wanted = r.int64();
            } else {
                skipped.add(r.field());
                r.skip();
            }
        }
        assertEquals(List.of(50, 51, 52, 53, 54), skipped);
        assertEquals(99, wanted);
    }

    @Test
    void nestedMessagesAreReadOnTheirOwn() {
        ProtoBytes inner = new ProtoBytes().varint(1, 7).string(2, "x");
        ProtoBytes outer = new ProtoBytes().message(3, inner).varint(4, 8);
        ProtoReader r = new ProtoReader(outer.toBuffer(), "test.onnx");
        r.next();
        ProtoReader nested = r.message();
        nested.next();
        assertEquals(7, nested.int64());
        nested.next();
        assertEquals("x", nested.string());
        assertFalse(nested.next());
        r.next();
        assertEquals(8, r.int64());
    }

    @Test
    void truncatedInputIsAnErrorNamingTheSource() {
        byte[] whole = new ProtoBytes().varint(1, 300).string(2, "abcdef").float32(3, 1f).fixed64(4, 1).toByteArray();
        // Cutting the message anywhere inside a record must fail, never return garbage.
        int[] recordEnds = {3, 11, 16, 25};
        for (int cut = 1; cut < whole.length; cut++) {
            int length = cut;
            boolean atBoundary = java.util.Arrays.stream(recordEnds).anyMatch(end -> end == length);
            ProtoReader r = new ProtoReader(ByteBuffer.wrap(whole, 0, cut), "cut.onnx");
            Runnable readAll = () -> {
                while (r.next()) {
                    r.skip();
                }
            };
            if (atBoundary) {
                readAll.run();
            } else {
                GlossaException e = assertThrows(GlossaException.class, readAll::run, "cut at " + cut);
                assertTrue(e.getMessage().startsWith("cut.onnx: malformed protobuf at byte "), e.getMessage());
            }
        }
    }

    @Test
    void lengthPastTheEndIsAnError() {
        ProtoReader r = reader(0x12, 0x05, 'a', 'b');
        r.next();
        GlossaException e = assertThrows(GlossaException.class, r::string);
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
    }

    @Test
    void rejectsInvalidTagsAndOverlongVarints() {
        assertThrows(GlossaException.class, () -> reader(0x00, 0x01).next());          // field number 0
        assertThrows(GlossaException.class, () -> reader(0x0E).next());                 // wire type 6
        assertThrows(GlossaException.class, () -> reader(0x0C).next());                 // stray end-group
        ProtoReader overlong = reader(0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
        overlong.next();
        GlossaException e = assertThrows(GlossaException.class, overlong::int64);
        assertTrue(e.getMessage().contains("longer than 10 bytes"), e.getMessage());
    }

    @Test
    void wrongWireTypeForAFieldIsAnError() {
        ProtoReader r = reader(0x08, 0x01);
        r.next();
        assertThrows(GlossaException.class, r::string);
    }

    @Test
    void packedValuesStayInsideTheirRecord() {
        // A packed float record of 6 bytes is not a whole number of floats.
        ProtoReader r = reader(0x3A, 0x06, 0, 0, 0x80, 0x3F, 0, 0);
        r.next();
        assertThrows(GlossaException.class, () -> r.float32s(value -> { }));
        long[] dims = {2, 3};
        ProtoReader ok = new ProtoReader(new ProtoBytes().packedVarints(1, dims).varint(2, 9).toBuffer(), "t");
        List<Long> read = new ArrayList<>();
        ok.next();
        ok.int64s(read::add);
        assertArrayEquals(dims, read.stream().mapToLong(Long::longValue).toArray());
        ok.next();
        assertEquals(2, ok.field());
    }
}
