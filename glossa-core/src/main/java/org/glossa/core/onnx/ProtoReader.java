package org.glossa.core.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.glossa.core.GlossaException;

/**
 * A minimal reader of the protobuf wire format (https://protobuf.dev/programming-guides/encoding/),
 * enough to walk an ONNX model without generated classes.
 *
 * <p>A message is a sequence of (tag, value) records; the tag is a varint holding the field number
 * and the wire type. The caller loops with {@link #next()}, switches on {@link #field()} and reads the
 * value with the method matching the field's type, or calls {@link #skip()} for fields it does not
 * know. Length-delimited values are returned as slices of the underlying buffer, so the large weight
 * blobs of a memory-mapped model are never copied.
 *
 * <p>Malformed input (a truncated value, an over-long varint, field number 0, a wire type that does
 * not fit the field) raises a {@link GlossaException} naming {@code source} and the byte offset.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int I64 = 1;
    static final int LEN = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int I32 = 5;

    private final ByteBuffer buffer;
    /** Offset of this message's first byte in the whole input, so errors point at the right place. */
    private final long baseOffset;
    private final String source;
    private int field;
    private int wireType;

    ProtoReader(ByteBuffer buffer, String source) {
        this(buffer, 0, source);
    }

    private ProtoReader(ByteBuffer buffer, long baseOffset, String source) {
        this.buffer = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.baseOffset = baseOffset;
        this.source = source;
    }

    /** Moves to the next record; false at the end of the message. */
    boolean next() {
        if (!buffer.hasRemaining()) {
            return false;
        }
        long tag = readVarint();
        field = (int) (tag >>> 3);
        wireType = (int) (tag & 7);
        if ((tag >>> 3) > Integer.MAX_VALUE || field == 0) {
            throw malformed("invalid field number " + (tag >>> 3));
        }
        if (wireType == 6 || wireType == 7) {
            throw malformed("invalid wire type " + wireType + " for field " + field);
        }
        if (wireType == END_GROUP) {
            throw malformed("unexpected end-group marker for field " + field);
        }
        return true;
    }

    /** The field number of the current record. */
    int field() {
        return field;
    }

    /** The wire type of the current record. */
    int wireType() {
        return wireType;
    }

    /** A varint field (int32, int64, uint64, bool, enum): negative int64 values come back as such. */
    long int64() {
        expect(VARINT);
        return readVarint();
    }

    /** A varint field declared int32 or enum: protobuf writes negative values as 10-byte varints. */
    int int32() {
        return (int) int64();
    }

    /** A {@code float} field (32-bit little-endian). */
    float float32() {
        expect(I32);
        return Float.intBitsToFloat(readFixed32());
    }

    /** A {@code double} field (64-bit little-endian). */
    double float64() {
        expect(I64);
        return Double.longBitsToDouble(readFixed64());
    }

    /** A {@code bytes} field as a little-endian slice of the input (no copy). */
    ByteBuffer bytes() {
        expect(LEN);
        int length = readLength();
        ByteBuffer slice = buffer.slice(buffer.position(), length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.position(buffer.position() + length);
        return slice;
    }

    /** A {@code string} field (UTF-8). */
    String string() {
        ByteBuffer bytes = bytes();
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        return new String(array, StandardCharsets.UTF_8);
    }

    /** An embedded message, read by a reader of its own. */
    ProtoReader message() {
        expect(LEN);
        int length = readLength();
        long contentOffset = offset();
        ByteBuffer slice = buffer.slice(buffer.position(), length);
        buffer.position(buffer.position() + length);
        return new ProtoReader(slice, contentOffset, source);
    }

    /**
     * One or more elements of a repeated varint field: parsers must accept both the packed form (one
     * length-delimited record) and the unpacked form (one record per element), whatever the schema says.
     */
    void int64s(LongSink sink) {
        if (wireType == LEN) {
            ProtoReader packed = message();
            while (packed.buffer.hasRemaining()) {
                sink.add(packed.readVarint());
            }
        } else {
            sink.add(int64());
        }
    }

    /** One or more elements of a repeated {@code float} field, packed or not. */
    void float32s(FloatSink sink) {
        if (wireType == LEN) {
            ProtoReader packed = message();
            if (packed.buffer.remaining() % 4 != 0) {
                throw malformed("packed float field " + field + " has " + packed.buffer.remaining()
                        + " bytes, not a multiple of 4");
            }
            while (packed.buffer.hasRemaining()) {
                sink.add(Float.intBitsToFloat(packed.readFixed32()));
            }
        } else {
            sink.add(float32());
        }
    }

    /** One or more elements of a repeated {@code double} field, packed or not. */
    void float64s(DoubleSink sink) {
        if (wireType == LEN) {
            ProtoReader packed = message();
            if (packed.buffer.remaining() % 8 != 0) {
                throw malformed("packed double field " + field + " has " + packed.buffer.remaining()
                        + " bytes, not a multiple of 8");
            }
            while (packed.buffer.hasRemaining()) {
                sink.add(Double.longBitsToDouble(packed.readFixed64()));
            }
        } else {
            sink.add(float64());
        }
    }

    /** Skips the value of the current record, whatever its type (unknown fields are legal). */
    void skip() {
        switch (wireType) {
            case VARINT -> readVarint();
            case I64 -> advance(8);
            case I32 -> advance(4);
            case LEN -> advance(readLength());
            case START_GROUP -> skipGroup(field);
            default -> throw malformed("cannot skip wire type " + wireType);
        }
    }

    /** Deprecated groups: nested records up to the end-group marker carrying the same field number. */
    private void skipGroup(int groupField) {
        while (true) {
            if (!buffer.hasRemaining()) {
                throw malformed("group " + groupField + " is not closed");
            }
            long tag = readVarint();
            int nestedField = (int) (tag >>> 3);
            int nestedType = (int) (tag & 7);
            if (nestedType == END_GROUP) {
                if (nestedField != groupField) {
                    throw malformed("group " + groupField + " closed by end-group " + nestedField);
                }
                return;
            }
            if (nestedField == 0 || nestedType > 5) {
                throw malformed("invalid tag inside group " + groupField);
            }
            field = nestedField;
            wireType = nestedType;
            skip();
        }
    }

    /** Where the reader stands, in bytes from the start of the whole input. */
    long offset() {
        return baseOffset + buffer.position();
    }

    /** An error naming the input and the current position. */
    GlossaException malformed(String problem) {
        return new GlossaException(source + ": malformed protobuf at byte " + offset() + ": " + problem);
    }

    private void expect(int expectedWireType) {
        if (wireType != expectedWireType) {
            throw malformed("field " + field + " has wire type " + wireType + ", expected " + expectedWireType);
        }
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (!buffer.hasRemaining()) {
                throw malformed("truncated varint");
            }
            byte b = buffer.get();
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw malformed("varint longer than 10 bytes");
    }

    private int readFixed32() {
        if (buffer.remaining() < 4) {
            throw malformed("truncated 32-bit value");
        }
        return buffer.getInt();
    }

    private long readFixed64() {
        if (buffer.remaining() < 8) {
            throw malformed("truncated 64-bit value");
        }
        return buffer.getLong();
    }

    private int readLength() {
        long length = readVarint();
        if (length < 0 || length > buffer.remaining()) {
            throw malformed("length " + length + " of field " + field + " runs past the end ("
                    + buffer.remaining() + " bytes left)");
        }
        return (int) length;
    }

    private void advance(int count) {
        if (count > buffer.remaining()) {
            throw malformed("truncated value of field " + field);
        }
        buffer.position(buffer.position() + count);
    }

    @FunctionalInterface
    interface LongSink {
        void add(long value);
    }

    @FunctionalInterface
    interface FloatSink {
        void add(float value);
    }

    @FunctionalInterface
    interface DoubleSink {
        void add(double value);
    }
}
