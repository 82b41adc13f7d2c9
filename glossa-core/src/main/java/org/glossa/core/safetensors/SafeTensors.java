package org.glossa.core.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format (HuggingFace's weight files), without native code.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length N, then N bytes of UTF-8 JSON
 * ({@code {"__metadata__": {str: str}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...}},
 * possibly padded with spaces), then the data section the offsets point into.
 *
 * <p>Reading validates the header as strictly as HuggingFace's reference implementation does (offsets
 * must tile the data section exactly, without gaps, overlaps or trailing bytes) and additionally rejects
 * duplicate names, which the reference silently collapses. Writing produces the same bytes as the
 * reference writer for the same tensors and (single-key) metadata.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** The reference implementation refuses headers above 100 MB; a larger length means a corrupt file. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The header key that holds the string-to-string metadata rather than a tensor. */
    public static final String METADATA_KEY = "__metadata__";

    /**
     * The reference writer's order: widest dtypes first, then by name. With the header padded to a
     * multiple of 8, this keeps every tensor aligned to its element size inside the file.
     */
    private static final List<DType> WRITE_ORDER = List.of(
            DType.I64, DType.F64, DType.F32, DType.I32, DType.BF16, DType.F16, DType.I16, DType.I8, DType.U8, DType.BOOL);

    private static final ObjectMapper JSON = new ObjectMapper();

    // ------------------------------------------------------------------ reading

    /** Opens and validates {@code file}, memory-mapping its data section (files above 2 GiB included). */
    public static SafeTensorsFile open(Path file) {
        return open(file, Integer.MAX_VALUE);
    }

    /** As {@link #open(Path)}, mapping the data in segments of at most {@code maxSegmentBytes} (tests use small ones). */
    static SafeTensorsFile open(Path file, long maxSegmentBytes) {
        String source = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw error(source, "file is " + fileSize + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer lengthField = readFully(channel, 0, 8);
            long headerLength = lengthField.order(ByteOrder.LITTLE_ENDIAN).getLong(0); // unsigned
            if (Long.compareUnsigned(headerLength, fileSize - 8) > 0) {
                throw error(source, "header length " + Long.toUnsignedString(headerLength) + " exceeds the "
                        + (fileSize - 8) + " bytes that follow the length field");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw error(source, "header length " + headerLength + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength);
            long dataStart = 8 + headerLength;
            Header header = parseHeader(source, headerBytes, fileSize - dataStart);
            List<SafeTensorsFile.Segment> segments = mapSegments(channel, dataStart, header.tensors().values(), maxSegmentBytes);
            // The mappings stay valid after the channel is closed.
            return new SafeTensorsFile(file, header.tensors(), header.metadata(), segments);
        } catch (NoSuchFileException e) {
            throw new GlossaException(source + ": no such file", e);
        } catch (IOException e) {
            throw new GlossaException(source + ": cannot read: " + AtomicFiles.describe(e), e);
        }
    }

    /** A validated header: tensors in data-section order, and the metadata. */
    record Header(Map<String, TensorInfo> tensors, Map<String, String> metadata) {}

    /**
     * Parses and validates a header. {@code dataSize} is the length of the data section that follows it.
     * Every failure is a {@link GlossaException} whose message starts with {@code source}.
     */
    static Header parseHeader(String source, ByteBuffer headerBytes, long dataSize) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes).toString();
        } catch (CharacterCodingException e) {
            throw error(source, "header is not valid UTF-8");
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw error(source, "header is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw error(source, "header is not a JSON object (it starts with " + parser.getText() + ")");
            }
            // Walk the top level by hand: a tree would silently keep only the last of two equal keys.
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                JsonNode value = parser.readValueAsTree();
                if (!seen.add(name)) {
                    throw error(source, (name.equals(METADATA_KEY) ? METADATA_KEY : "tensor '" + name + "'")
                            + " appears twice in the header");
                }
                if (name.equals(METADATA_KEY)) {
                    metadata = parseMetadata(source, value);
                } else {
                    tensors.add(parseTensorInfo(source, name, value, dataSize));
                }
            }
            if (parser.nextToken() != null) {
                throw error(source, "header has content after its JSON object");
            }
        } catch (JsonProcessingException e) {
            throw error(source, "header is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + " (at character " + e.getLocation().getCharOffset() + ")");
        } catch (IOException e) {
            throw error(source, "cannot parse header: " + e.getMessage());
        }

        tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        checkCoverage(source, tensors, dataSize);
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        for (TensorInfo info : tensors) {
            byName.put(info.name(), info);
        }
        return new Header(byName, metadata);
    }

    private static Map<String, String> parseMetadata(String source, JsonNode value) {
        if (!value.isObject()) {
            throw error(source, METADATA_KEY + " is not a JSON object but " + value);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (var entry : (Iterable<Map.Entry<String, JsonNode>>) value::fields) {
            if (!entry.getValue().isTextual()) {
                throw error(source, METADATA_KEY + " must map strings to strings, but '" + entry.getKey()
                        + "' maps to " + entry.getValue());
            }
            metadata.put(entry.getKey(), entry.getValue().textValue());
        }
        return metadata;
    }

    private static TensorInfo parseTensorInfo(String source, String name, JsonNode value, long dataSize) {
        String tensor = "tensor '" + name + "'";
        if (!value.isObject()) {
            throw error(source, tensor + " is described by " + value + " instead of a JSON object");
        }
        JsonNode dtypeNode = value.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw error(source, tensor + " has no dtype string (found " + dtypeNode + ")");
        }
        DType dtype = DType.fromHeaderName(dtypeNode.textValue());
        if (dtype == null) {
            throw error(source, tensor + " has unsupported dtype '" + dtypeNode.textValue()
                    + "' (supported: " + Arrays.toString(DType.values()) + ")");
        }
        long[] shape = nonNegativeIntegers(value.get("shape"), -1);
        if (shape == null) {
            throw error(source, tensor + " has invalid shape " + value.get("shape")
                    + " (expected an array of non-negative integers)");
        }
        long[] offsets = nonNegativeIntegers(value.get("data_offsets"), 2);
        if (offsets == null) {
            throw error(source, tensor + " has invalid data_offsets " + value.get("data_offsets")
                    + " (expected [begin, end] with non-negative integers)");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw error(source, tensor + " has data_offsets [" + begin + ", " + end + "] whose begin is after its end");
        }
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(TensorData.numel(shape), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw error(source, tensor + " has shape " + Arrays.toString(shape) + " whose byte size overflows");
        }
        if (expectedBytes != end - begin) {
            throw error(source, tensor + " has dtype " + dtype + " and shape " + Arrays.toString(shape)
                    + " (" + expectedBytes + " bytes) but data_offsets span " + (end - begin) + " bytes");
        }
        if (end > dataSize) {
            throw error(source, tensor + " has data_offsets [" + begin + ", " + end + "] but the data section has only "
                    + dataSize + " bytes");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** The values of a JSON array of non-negative integers fitting a long, or null if it is not one (or has the wrong length). */
    private static long[] nonNegativeIntegers(JsonNode node, int requiredLength) {
        if (node == null || !node.isArray() || (requiredLength >= 0 && node.size() != requiredLength)) {
            return null;
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode element = node.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToLong() || element.longValue() < 0) {
                return null;
            }
            values[i] = element.longValue();
        }
        return values;
    }

    /** The tensors, sorted by offsets, must tile the data section exactly, as the reference implementation requires. */
    private static void checkCoverage(String source, List<TensorInfo> sorted, long dataSize) {
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo info : sorted) {
            if (info.begin() < covered) {
                throw error(source, "tensors '" + previous.name() + "' (data bytes " + previous.begin() + ".." + previous.end()
                        + ") and '" + info.name() + "' (data bytes " + info.begin() + ".." + info.end() + ") overlap");
            }
            if (info.begin() > covered) {
                throw error(source, "data bytes " + covered + ".." + info.begin() + " belong to no tensor ("
                        + (previous == null ? "before '" + info.name() + "'"
                                : "between '" + previous.name() + "' and '" + info.name() + "'") + ")");
            }
            covered = info.end();
            previous = info;
        }
        if (covered != dataSize) {
            throw error(source, "the data section has " + dataSize + " bytes but the tensors cover only " + covered
                    + " (data bytes " + covered + ".." + dataSize + " belong to no tensor)");
        }
    }

    /**
     * Maps the data section in as few read-only segments as possible, each at most {@code maxSegmentBytes}
     * long (a Java buffer holds under 2 GiB) and each holding whole tensors. A tensor longer than the
     * limit gets no segment; {@link SafeTensorsFile#get} reports it.
     */
    private static List<SafeTensorsFile.Segment> mapSegments(FileChannel channel, long dataStart,
                                                             Iterable<TensorInfo> sorted, long maxSegmentBytes)
            throws IOException {
        List<SafeTensorsFile.Segment> segments = new ArrayList<>();
        long segmentBegin = -1;
        long segmentEnd = -1;
        for (TensorInfo info : sorted) {
            if (info.byteSize() > maxSegmentBytes) {
                continue;
            }
            if (segmentBegin >= 0 && info.end() - segmentBegin > maxSegmentBytes) {
                segments.add(map(channel, dataStart, segmentBegin, segmentEnd));
                segmentBegin = -1;
            }
            if (segmentBegin < 0) {
                segmentBegin = info.begin();
            }
            segmentEnd = info.end();
        }
        if (segmentBegin >= 0) {
            segments.add(map(channel, dataStart, segmentBegin, segmentEnd));
        }
        return segments;
    }

    private static SafeTensorsFile.Segment map(FileChannel channel, long dataStart, long begin, long end) throws IOException {
        ByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, end - begin);
        return new SafeTensorsFile.Segment(begin, end, buffer);
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    private static GlossaException error(String source, String problem) {
        return new GlossaException(source + ": " + problem);
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code tensors} (and {@code metadata}, which may be null or empty) to {@code file} atomically.
     * The tensors' bytes are streamed from their buffers, so nothing is copied into one big array.
     */
    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata) {
        List<Map.Entry<String, TensorData>> ordered = writeOrder(tensors);
        byte[] header = headerJson(ordered, metadata == null ? Map.of() : metadata);
        AtomicFiles.write(file, temporary -> {
            try (FileChannel out = FileChannel.open(temporary,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                writeFully(out, lengthField);
                writeFully(out, ByteBuffer.wrap(header));
                for (Map.Entry<String, TensorData> entry : ordered) {
                    writeFully(out, entry.getValue().bytes());
                }
                // A checkpoint must be on disk before the rename makes it visible.
                out.force(true);
            }
        });
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** Tensors in the reference writer's order: by dtype width (widest first), then by name. */
    static List<Map.Entry<String, TensorData>> writeOrder(Map<String, TensorData> tensors) {
        List<Map.Entry<String, TensorData>> ordered = new ArrayList<>();
        for (Map.Entry<String, TensorData> entry : tensors.entrySet()) {
            if (entry.getKey() == null || entry.getValue() == null) {
                throw new GlossaException("cannot write safetensors: null tensor name or tensor (" + entry.getKey() + ")");
            }
            if (entry.getKey().equals(METADATA_KEY)) {
                throw new GlossaException("cannot write safetensors: '" + METADATA_KEY + "' is reserved and cannot name a tensor");
            }
            ordered.add(Map.entry(entry.getKey(), entry.getValue()));
        }
        // The reference compares names as UTF-8 bytes; Java's String order differs beyond the BMP.
        Comparator<Map.Entry<String, TensorData>> byDType = Comparator.comparingInt(e -> WRITE_ORDER.indexOf(e.getValue().dtype()));
        ordered.sort(byDType.thenComparing(e -> e.getKey().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        return ordered;
    }

    /** The header as the reference writer lays it out: compact JSON, offsets in write order, padded with spaces to a multiple of 8. */
    static byte[] headerJson(List<Map.Entry<String, TensorData>> ordered, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(quote(METADATA_KEY)).append(":{");
            String separator = "";
            // Sorted so the same metadata always gives the same bytes.
            for (Map.Entry<String, String> entry : new TreeMap<>(metadata).entrySet()) {
                if (entry.getValue() == null) {
                    throw new GlossaException("cannot write safetensors: metadata key '" + entry.getKey() + "' has a null value");
                }
                json.append(separator).append(quote(entry.getKey())).append(':').append(quote(entry.getValue()));
                separator = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> entry : ordered) {
            TensorData tensor = entry.getValue();
            long size = tensor.numel() * tensor.dtype().byteSize();
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(entry.getKey())).append(":{\"dtype\":\"").append(tensor.dtype().name())
                    .append("\",\"shape\":[");
            long[] shape = tensor.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + size).append("]}");
            offset += size;
        }
        json.append('}');
        byte[] unpadded = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (unpadded.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(unpadded, padded);
        Arrays.fill(header, unpadded.length, padded, (byte) ' ');
        return header;
    }

    /** A JSON string literal escaped as the reference writer (serde_json) escapes it; non-ASCII stays UTF-8. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
