package org.glossa.core.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds protobuf wire-format bytes by hand for tests, following the encoding rules of
 * https://protobuf.dev/programming-guides/encoding/ (written independently of {@link ProtoReader}).
 */
final class ProtoBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A raw varint (no tag). */
    ProtoBytes rawVarint(long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return this;
    }

    ProtoBytes tag(int field, int wireType) {
        return rawVarint(((long) field << 3) | wireType);
    }

    ProtoBytes varint(int field, long value) {
        return tag(field, 0).rawVarint(value);
    }

    ProtoBytes fixed32(int field, int bits) {
        tag(field, 5);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bits).array());
        return this;
    }

    ProtoBytes float32(int field, float value) {
        return fixed32(field, Float.floatToIntBits(value));
    }

    ProtoBytes fixed64(int field, long bits) {
        tag(field, 1);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(bits).array());
        return this;
    }

    ProtoBytes bytes(int field, byte[] value) {
        tag(field, 2).rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoBytes string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoBytes message(int field, ProtoBytes message) {
        return bytes(field, message.toByteArray());
    }

    /** A packed repeated varint field: one length-delimited record holding all the varints. */
    ProtoBytes packedVarints(int field, long... values) {
        ProtoBytes payload = new ProtoBytes();
        for (long value : values) {
            payload.rawVarint(value);
        }
        return bytes(field, payload.toByteArray());
    }

    /** A packed repeated float field: little-endian 32-bit values back to back. */
    ProtoBytes packedFloats(int field, float... values) {
        ByteBuffer payload = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            payload.putFloat(value);
        }
        return bytes(field, payload.array());
    }

    /** Bytes written as they are (to build malformed input). */
    ProtoBytes raw(int... values) {
        for (int value : values) {
            out.write(value);
        }
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    ByteBuffer toBuffer() {
        return ByteBuffer.wrap(toByteArray());
    }
}
