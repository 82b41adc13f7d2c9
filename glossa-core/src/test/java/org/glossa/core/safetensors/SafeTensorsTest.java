package org.glossa.core.safetensors;

import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class SafeTensorsTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------ reference: HuggingFace's own writer

    /**
     * The tensors of {@code golden.safetensors}, written by HuggingFace's safetensors 0.8.0 (see
     * make_golden.py beside it). The values here are typed in independently: F16 and BF16 as their
     * IEEE bit patterns (1.0 = 0x3C00 in F16, 0x3F80 in BF16).
     */
    private static Map<String, TensorData> goldenTensors() {
        Map<String, TensorData> tensors = new HashMap<>();
        tensors.put("f32", TensorData.ofFloats(new float[] {-1.5f, 0f, 0.25f, 1f, 3.5f, 1e-3f}, 2, 3));
        tensors.put("f64_scalar", new TensorData(DType.F64, new long[0], le(8).putDouble(3.25).flip()));
        tensors.put("f16", shorts(DType.F16, new long[] {4}, 0x3C00, 0xC000, 0x3800, 0x7BFF)); // 1, -2, 0.5, 65504
        tensors.put("bf16", shorts(DType.BF16, new long[] {2, 2}, 0x3F80, 0xC000, 0x4049, 0x0000)); // 1, -2, 3.140625, 0
        tensors.put("i64", new TensorData(DType.I64, new long[] {3},
                le(24).putLong(-1).putLong(1L << 40).putLong(Long.MAX_VALUE).flip()));
        tensors.put("i32", new TensorData(DType.I32, new long[] {2}, le(8).putInt(-7).putInt(123456).flip()));
        tensors.put("i16", shorts(DType.I16, new long[] {2}, -300, 300));
        tensors.put("i8", bytes(DType.I8, -128, 0, 127));
        tensors.put("u8", bytes(DType.U8, 0, 200, 255));
        tensors.put("bool", bytes(DType.BOOL, 1, 0, 1));
        tensors.put("empty", new TensorData(DType.F32, new long[] {0, 3}, ByteBuffer.allocate(0)));
        tensors.put("layer.10.weight", TensorData.ofFloats(new float[] {10f, 10.5f}, 2));
        tensors.put("layer.2.weight", TensorData.ofFloats(new float[] {2f, 2.5f}, 2));
        tensors.put("quote\"back\\slash", bytes(DType.U8, 7));
        tensors.put("\u00fcn\u00efcode", bytes(DType.U8, 8));
        return tensors;
    }

    private static final Map<String, String> GOLDEN_METADATA = Map.of("note", "tab\there \u0001 \u00e9");

    /** The order the reference writer chose: widest dtype first, then name (as UTF-8 bytes). */
    private static final List<String> GOLDEN_ORDER = List.of("i64", "f64_scalar", "empty", "f32", "layer.10.weight",
            "layer.2.weight", "i32", "bf16", "f16", "i16", "i8", "quote\"back\\slash", "u8", "\u00fcn\u00efcode", "bool");

    private static Path golden() throws URISyntaxException {
        return Path.of(SafeTensorsTest.class.getResource("/safetensors/golden.safetensors").toURI());
    }

    @Test
    void readsFileWrittenByReferenceImplementation() throws Exception {
        Map<String, TensorData> expected = goldenTensors();
        try (SafeTensorsFile file = SafeTensors.open(golden())) {
            assertEquals(GOLDEN_ORDER, new ArrayList<>(file.names()));
            assertEquals(GOLDEN_METADATA, file.metadata());
            for (String name : GOLDEN_ORDER) {
                assertSameTensor(name, expected.get(name), file.get(name));
            }
            assertEquals(new TensorInfo("f32", DType.F32, new long[] {2, 3}, 32, 56), file.info("f32"));
            assertArrayEquals(new float[] {-1.5f, 0f, 0.25f, 1f, 3.5f, 1e-3f}, file.get("f32").toFloats());
            assertEquals(3.25, file.get("f64_scalar").bytes().getDouble(0));
            assertEquals(Long.MAX_VALUE, file.get("i64").bytes().getLong(16));
        }
    }

    @Test
    void writerReproducesReferenceBytesExactly() throws Exception {
        Path ours = dir.resolve("ours.safetensors");
        SafeTensors.write(ours, goldenTensors(), GOLDEN_METADATA);
        assertArrayEquals(Files.readAllBytes(golden()), Files.readAllBytes(ours));
    }

    /** The layout built by hand from the format's description, independent of any implementation. */
    @Test
    void writesTheLayoutTheSpecDescribes() throws Exception {
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(file, Map.of("w", TensorData.ofFloats(new float[] {1f, -2f}, 2)), null);

        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"; // 54 bytes
        String padded = json + "  "; // to 56, a multiple of 8
        ByteBuffer expected = le(8 + 56 + 8);
        expected.putLong(56).put(padded.getBytes(StandardCharsets.US_ASCII));
        expected.put(new byte[] {0, 0, (byte) 0x80, 0x3F}); // 1.0f little-endian
        expected.put(new byte[] {0, 0, 0, (byte) 0xC0});    // -2.0f
        assertArrayEquals(expected.array(), Files.readAllBytes(file));
    }

    @Test
    void emptyFileWithMetadataHasThePaddedHeaderOnly() throws Exception {
        Path file = dir.resolve("none.safetensors");
        SafeTensors.write(file, Map.of(), Map.of());
        assertArrayEquals(new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '}, Files.readAllBytes(file));
        try (SafeTensorsFile read = SafeTensors.open(file)) {
            assertTrue(read.names().isEmpty());
            assertTrue(read.metadata().isEmpty());
        }
    }

    // ------------------------------------------------------------------ round trips

    @Test
    void roundTripsEveryDTypeWithScalarsAndEmptyTensors() {
        Random random = new Random(7);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (DType dtype : DType.values()) {
            tensors.put(dtype + ".matrix", randomTensor(random, dtype, 3, 5));
            tensors.put(dtype + ".scalar", randomTensor(random, dtype));
            tensors.put(dtype + ".empty", randomTensor(random, dtype, 4, 0, 2));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("z-last", "ünïcode \"quoted\"\n");
        metadata.put("a-first", "");
        Path file = dir.resolve("all.safetensors");
        SafeTensors.write(file, tensors, metadata);

        try (SafeTensorsFile read = SafeTensors.open(file)) {
            assertEquals(tensors.keySet(), read.names());
            assertEquals(metadata, read.metadata());
            for (var entry : tensors.entrySet()) {
                assertSameTensor(entry.getKey(), entry.getValue(), read.get(entry.getKey()));
            }
            // Writing what we read gives the same file again.
            Path again = dir.resolve("again.safetensors");
            SafeTensors.write(again, read.getAll(), read.metadata());
            assertArrayEquals(bytesOf(file), bytesOf(again));
        }
    }

    @Test
    void everyTensorIsAlignedToItsElementSizeInTheFile() {
        Random random = new Random(1);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("odd.u8", randomTensor(random, DType.U8, 3));
        tensors.put("b.f16", randomTensor(random, DType.F16, 3));
        tensors.put("c.f32", randomTensor(random, DType.F32, 3));
        tensors.put("d.i64", randomTensor(random, DType.I64, 1));
        tensors.put("e.f64", randomTensor(random, DType.F64, 1));
        Path file = dir.resolve("aligned.safetensors");
        SafeTensors.write(file, tensors, Map.of("k", "v"));
        long headerLength = ByteBuffer.wrap(bytesOf(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8);
        try (SafeTensorsFile read = SafeTensors.open(file)) {
            for (String name : read.names()) {
                TensorInfo info = read.info(name);
                assertEquals(0, (8 + headerLength + info.begin()) % info.dtype().byteSize(), name + " misaligned");
            }
        }
    }

    @Test
    void getIsAZeroCopyReadOnlyViewOfTheMapping() {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, Map.of("w", TensorData.ofFloats(new float[] {1, 2, 3}, 3)), null);
        try (SafeTensorsFile read = SafeTensors.open(file)) {
            ByteBuffer bytes = read.get("w").bytes();
            assertTrue(bytes.isDirect(), "a heap buffer means the data was copied");
            assertTrue(bytes.isReadOnly());
            assertEquals(ByteOrder.LITTLE_ENDIAN, bytes.order());
        }
    }

    @Test
    void mapsInSegmentsAndReportsTensorsTooLargeForOneBuffer() throws Exception {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            tensors.put("t" + i, TensorData.ofFloats(new float[] {i, i + 0.5f, -i}, 3)); // 12 bytes each
        }
        tensors.put("t9.big", TensorData.ofFloats(new float[10], 10)); // 40 bytes, above the 30-byte limit below
        Path file = dir.resolve("segments.safetensors");
        SafeTensors.write(file, tensors, null);
        try (SafeTensorsFile read = SafeTensors.open(file, 30)) {
            for (int i = 0; i < 6; i++) {
                assertArrayEquals(new float[] {i, i + 0.5f, -i}, read.get("t" + i).toFloats());
            }
            GlossaException error = assertThrows(GlossaException.class, () -> read.get("t9.big"));
            assertTrue(error.getMessage().contains("'t9.big' is 40 bytes"), error.getMessage());
        }
    }

    /** A 3 GiB sparse file: the tensors past the 2 GiB a single Java buffer can address must read correctly. */
    @Test
    void readsFilesLargerThanTwoGigabytes() throws Exception {
        long gib = 1L << 30;
        String json = "{\"a\":{\"dtype\":\"U8\",\"shape\":[" + gib + "],\"data_offsets\":[0," + gib + "]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[" + gib + "],\"data_offsets\":[" + gib + "," + 2 * gib + "]},"
                + "\"c\":{\"dtype\":\"U8\",\"shape\":[" + gib + "],\"data_offsets\":[" + 2 * gib + "," + 3 * gib + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + 3 * gib + "," + (3 * gib + 8) + "]}}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        long dataStart = 8 + header.length;
        Path file = dir.resolve("big.safetensors");
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.write(le(8).putLong(header.length).array());
            raw.write(header);
            raw.setLength(dataStart + 3 * gib + 8); // sparse: takes no disk space
            raw.seek(dataStart + 2 * gib + 5);       // byte 5 of "c", beyond 2 GiB
            raw.write(42);
            raw.seek(dataStart + 3 * gib);
            raw.write(le(8).putFloat(1.5f).putFloat(-4f).array());
        }
        try (SafeTensorsFile read = SafeTensors.open(file)) {
            assertEquals(List.of("a", "b", "c", "tail"), new ArrayList<>(read.names()));
            assertEquals(42, read.get("c").bytes().get(5));
            assertEquals(0, read.get("b").bytes().get((int) gib - 1));
            assertArrayEquals(new float[] {1.5f, -4f}, read.get("tail").toFloats());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void acceptsHeadersPaddedOrIndentedWithSpaces() throws Exception {
        Path file = rawFile("  {\"x\": {\"dtype\": \"U8\", \"shape\": [2], \"data_offsets\": [0, 2]}}      ", 2);
        try (SafeTensorsFile read = SafeTensors.open(file)) {
            assertEquals(List.of("x"), new ArrayList<>(read.names()));
            assertEquals(Map.of(), read.metadata());
        }
    }

    // ------------------------------------------------------------------ misuse

    @Test
    void unknownTensorNameAndUseAfterCloseFail() {
        Path file = dir.resolve("x.safetensors");
        SafeTensors.write(file, Map.of("w", TensorData.ofFloats(new float[] {1}, 1)), null);
        SafeTensorsFile read = SafeTensors.open(file);
        GlossaException missing = assertThrows(GlossaException.class, () -> read.get("nope"));
        assertTrue(missing.getMessage().startsWith(file + ": no tensor named 'nope'"), missing.getMessage());
        assertFalse(read.contains("nope"));
        read.close();
        assertThrows(IllegalStateException.class, () -> read.get("w"));
    }

    @Test
    void writeRejectsTheReservedMetadataName() {
        GlossaException error = assertThrows(GlossaException.class, () -> SafeTensors.write(dir.resolve("r.safetensors"),
                Map.of("__metadata__", TensorData.ofFloats(new float[] {1}, 1)), null));
        assertTrue(error.getMessage().contains("'__metadata__' is reserved"), error.getMessage());
        assertFalse(Files.exists(dir.resolve("r.safetensors")));
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("absent.safetensors");
        GlossaException error = assertThrows(GlossaException.class, () -> SafeTensors.open(file));
        assertEquals(file + ": no such file", error.getMessage());
    }

    // ------------------------------------------------------------------ lying headers, one per failure

    private static final String U8_X = "\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}";

    @Test
    void rejectsFileTooShortForTheLengthField() throws Exception {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 0, 0});
        assertRejected(file, "file is 3 bytes, too short for the 8-byte header length");
    }

    @Test
    void rejectsHeaderLengthBeyondTheFile() throws Exception {
        Path file = dir.resolve("long.safetensors");
        Files.write(file, concat(le(8).putLong(1000).array(), "{}".getBytes(StandardCharsets.UTF_8)));
        assertRejected(file, "header length 1000 exceeds the 2 bytes that follow the length field");
    }

    @Test
    void rejectsHeaderLengthAboveTheReferenceLimit() throws Exception {
        Path file = dir.resolve("huge-header.safetensors");
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.write(le(8).putLong(150_000_000L).array());
            raw.setLength(200_000_000L); // sparse
        }
        assertRejected(file, "header length 150000000 exceeds the limit of 100000000 bytes");
    }

    @Test
    void rejectsHeaderLengthWithTheTopBitSet() throws Exception {
        Path file = dir.resolve("negative.safetensors");
        Files.write(file, concat(le(8).putLong(-1L).array(), "{}".getBytes(StandardCharsets.UTF_8)));
        assertRejected(file, "header length 18446744073709551615 exceeds");
    }

    @Test
    void rejectsHeaderThatIsNotJson() throws Exception {
        assertRejected(rawFile("{\"x\": {\"dtype\": ", 0), "header is not valid JSON");
    }

    @Test
    void rejectsHeaderThatIsNotUtf8() throws Exception {
        Path file = dir.resolve("latin1.safetensors");
        byte[] header = {'{', '"', (byte) 0xE9, '"', ':', '1', '}', ' '};
        Files.write(file, concat(le(8).putLong(header.length).array(), header));
        assertRejected(file, "header is not valid UTF-8");
    }

    @Test
    void rejectsHeaderThatIsNotAnObject() throws Exception {
        assertRejected(rawFile("[1, 2]", 0), "header is not a JSON object (it starts with [)");
        assertRejected(rawFile("        ", 0), "header is empty");
    }

    @Test
    void rejectsContentAfterTheHeaderObject() throws Exception {
        assertRejected(rawFile("{} {}", 0), "header has content after its JSON object");
    }

    @Test
    void rejectsUnknownDType() throws Exception {
        assertRejected(rawFile("{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2),
                "tensor 'x' has unsupported dtype 'F8_E4M3'");
        assertRejected(rawFile("{\"x\":{\"shape\":[2],\"data_offsets\":[0,2]}}", 2), "tensor 'x' has no dtype string");
    }

    @Test
    void rejectsNegativeDimension() throws Exception {
        assertRejected(rawFile("{\"x\":{\"dtype\":\"U8\",\"shape\":[-2],\"data_offsets\":[0,2]}}", 2),
                "tensor 'x' has invalid shape [-2]");
    }

    @Test
    void rejectsNonIntegerDimension() throws Exception {
        assertRejected(rawFile("{\"x\":{\"dtype\":\"U8\",\"shape\":[2.5],\"data_offsets\":[0,2]}}", 2),
                "tensor 'x' has invalid shape [2.5]");
        assertRejected(rawFile("{\"x\":{\"dtype\":\"U8\",\"shape\":[\"2\"],\"data_offsets\":[0,2]}}", 2),
                "tensor 'x' has invalid shape [\"2\"]");
        assertRejected(rawFile("{\"x\":{\"dtype\":\"U8\",\"data_offsets\":[0,2]}}", 2), "tensor 'x' has invalid shape null");
    }

    @Test
    void rejectsOffsetsThatAreNotABeginEndPair() throws Exception {
        assertRejected(rawFile("{\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2,2]}}", 2),
                "tensor 'x' has invalid data_offsets [0,2,2] (expected [begin, end]");
        assertRejected(rawFile("{\"x\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[-1,1]}}", 2),
                "tensor 'x' has invalid data_offsets [-1,1]");
        assertRejected(rawFile("{\"x\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[2,0]}}", 2),
                "tensor 'x' has data_offsets [2, 0] whose begin is after its end");
    }

    @Test
    void rejectsEndBeyondTheDataSection() throws Exception {
        assertRejected(rawFile("{\"x\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}", 20),
                "tensor 'x' has data_offsets [0, 24] but the data section has only 20 bytes");
    }

    @Test
    void rejectsByteCountThatDisagreesWithShapeAndDType() throws Exception {
        Path file = rawFile("{\"x\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20);
        assertRejected(file, "tensor 'x' has dtype F32 and shape [2, 3] (24 bytes) but data_offsets span 20 bytes");
        assertRejected(rawFile("{\"x\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8),
                "tensor 'x' has shape [4294967296, 4294967296] whose byte size overflows");
    }

    @Test
    void rejectsOverlappingTensors() throws Exception {
        assertRejected(rawFile("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}", 6),
                "tensors 'a' (data bytes 0..4) and 'b' (data bytes 2..6) overlap");
        // Two names for the same bytes overlap too.
        assertRejected(rawFile("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2), "overlap");
    }

    @Test
    void rejectsBytesThatBelongToNoTensor() throws Exception {
        assertRejected(rawFile("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
                        + "\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[3,5]}}", 5),
                "data bytes 2..3 belong to no tensor (between 'a' and 'b')");
        assertRejected(rawFile("{\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[1,3]}}", 3),
                "data bytes 0..1 belong to no tensor (before 'b')");
        assertRejected(rawFile("{" + U8_X + "}", 5),
                "the data section has 5 bytes but the tensors cover only 2 (data bytes 2..5 belong to no tensor)");
    }

    @Test
    void rejectsDuplicateNames() throws Exception {
        assertRejected(rawFile("{" + U8_X + "," + U8_X + "}", 2), "tensor 'x' appears twice in the header");
        assertRejected(rawFile("{\"__metadata__\":{},\"__metadata__\":{}}", 0), "__metadata__ appears twice in the header");
    }

    @Test
    void rejectsMetadataThatIsNotStringToString() throws Exception {
        assertRejected(rawFile("{\"__metadata__\":{\"epochs\":3}," + U8_X + "}", 2),
                "__metadata__ must map strings to strings, but 'epochs' maps to 3");
        assertRejected(rawFile("{\"__metadata__\":[]," + U8_X + "}", 2), "__metadata__ is not a JSON object but []");
    }

    @Test
    void rejectsTensorEntryThatIsNotAnObject() throws Exception {
        assertRejected(rawFile("{\"x\":[1,2]}", 0), "tensor 'x' is described by [1,2] instead of a JSON object");
    }

    // ------------------------------------------------------------------ helpers

    /** A file with {@code header} as its JSON (exact bytes, no padding added) and {@code dataBytes} bytes of data. */
    private Path rawFile(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = Files.createTempFile(dir, "lying", ".safetensors");
        Files.write(file, concat(le(8).putLong(json.length).array(), json, new byte[dataBytes]));
        return file;
    }

    private static void assertRejected(Path file, String problem) {
        GlossaException error = assertThrows(GlossaException.class, () -> SafeTensors.open(file).close());
        String message = error.getMessage();
        assertTrue(message.startsWith(file + ": "), "message should start with the file: " + message);
        assertTrue(message.contains(problem), "expected «" + problem + "» in: " + message);
        assertFalse(message.contains("\n"), "message should be one line: " + message);
    }

    private static void assertSameTensor(String name, TensorData expected, TensorData actual) {
        assertEquals(expected.dtype(), actual.dtype(), name);
        assertArrayEquals(expected.shape(), actual.shape(), name);
        assertEquals(expected.bytes(), actual.bytes(), name);
    }

    private static TensorData randomTensor(Random random, DType dtype, long... shape) {
        byte[] bytes = new byte[Math.toIntExact(TensorData.numel(shape) * dtype.byteSize())];
        random.nextBytes(bytes);
        return new TensorData(dtype, shape, ByteBuffer.wrap(bytes));
    }

    private static TensorData shorts(DType dtype, long[] shape, int... values) {
        ByteBuffer buffer = le(values.length * 2);
        for (int value : values) {
            buffer.putShort((short) value);
        }
        return new TensorData(dtype, shape, buffer.flip());
    }

    private static TensorData bytes(DType dtype, int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length);
        for (int value : values) {
            buffer.put((byte) value);
        }
        return new TensorData(dtype, new long[] {values.length}, buffer.flip());
    }

    private static ByteBuffer le(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    private static byte[] bytesOf(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
