package org.glossa.embeddings.io;

import org.glossa.core.GlossaException;
import org.glossa.embeddings.KeyedVectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading and writing against files that gensim 4.2 and word2vec.c wrote (see the README beside them). */
@Tag("unit")
class VectorFilesTest {
    @TempDir
    Path temp;

    static Path fixture(String name) {
        try {
            return Path.of(VectorFilesTest.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("missing test resource " + name, e);
        }
    }

    private static final List<String> GENSIM_WORDS =
            List.of("the", "naïve", "Straße", "日本", "emoji🙂", "é", "x", "UPPER", "Ünïcödé");

    @Test
    void readsGensimTextBinaryAndHeaderlessAlike() throws IOException {
        KeyedVectors text = VectorFiles.read(fixture("gensim.txt"));
        KeyedVectors binary = VectorFiles.read(fixture("gensim.bin"));
        KeyedVectors glove = VectorFiles.read(fixture("gensim-noheader.txt"));
        for (KeyedVectors kv : List.of(text, binary, glove)) {
            assertEquals(GENSIM_WORDS, kv.words());
            assertEquals(7, kv.dimension());
        }
        // The binary file holds gensim's exact floats; the text must parse to the same bits (with
        // Java's own parser as an independent reading of the decimals).
        List<String> lines = Files.readAllLines(fixture("gensim.txt"), StandardCharsets.UTF_8);
        for (int row = 0; row < GENSIM_WORDS.size(); row++) {
            String[] tokens = lines.get(row + 1).split(" ");
            for (int k = 0; k < 7; k++) {
                int expected = Float.floatToRawIntBits(Float.parseFloat(tokens[k + 1].replace("inf", "Infinity")));
                assertEquals(expected, Float.floatToRawIntBits(binary.vector(row)[k]), "binary " + row + "," + k);
                assertEquals(expected, Float.floatToRawIntBits(text.vector(row)[k]), "text " + row + "," + k);
                assertEquals(expected, Float.floatToRawIntBits(glove.vector(row)[k]), "glove " + row + "," + k);
            }
        }
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(binary.vector(1)[1]));
        assertEquals(Float.MIN_VALUE, binary.vector(2)[1]);
    }

    @Test
    void detectsEachFormat() {
        assertEquals(VectorFormat.WORD2VEC_TEXT, VectorFiles.detect(fixture("gensim.txt")));
        assertEquals(VectorFormat.WORD2VEC_BINARY, VectorFiles.detect(fixture("gensim.bin")));
        assertEquals(VectorFormat.GLOVE_TEXT, VectorFiles.detect(fixture("gensim-noheader.txt")));
        assertEquals(VectorFormat.WORD2VEC_BINARY, VectorFiles.detect(fixture("word2vec-c.bin")));
        assertEquals(VectorFormat.WORD2VEC_TEXT, VectorFiles.detect(fixture("word2vec-c-tiny.txt")));
        assertEquals(VectorFormat.WORD2VEC_BINARY, VectorFiles.detect(fixture("word2vec-c-tiny.bin")));
    }

    @Test
    void writesTheBytesGensimWrites() throws IOException {
        KeyedVectors kv = VectorFiles.read(fixture("gensim.bin"));
        Path text = temp.resolve("out.txt");
        Path binary = temp.resolve("out.bin");
        Path glove = temp.resolve("out-glove.txt");
        VectorFiles.write(kv, text, VectorFormat.WORD2VEC_TEXT);
        VectorFiles.write(kv, binary, VectorFormat.WORD2VEC_BINARY, false);
        VectorFiles.write(kv, glove, VectorFormat.GLOVE_TEXT);
        assertArrayEquals(Files.readAllBytes(fixture("gensim.txt")), Files.readAllBytes(text));
        assertArrayEquals(Files.readAllBytes(fixture("gensim.bin")), Files.readAllBytes(binary));
        assertArrayEquals(Files.readAllBytes(fixture("gensim-noheader.txt")), Files.readAllBytes(glove));
    }

    @Test
    void rewritesAWord2vecCBinaryFileByteForByte() throws IOException {
        KeyedVectors kv = VectorFiles.read(fixture("word2vec-c.bin"));
        assertEquals(4989, kv.size());
        assertEquals(24, kv.dimension());
        assertEquals("</s>", kv.words().get(0));
        Path out = temp.resolve("again.bin");
        kv.save(out, VectorFormat.WORD2VEC_BINARY);
        assertArrayEquals(Files.readAllBytes(fixture("word2vec-c.bin")), Files.readAllBytes(out));
    }

    @Test
    void word2vecCTextAndBinaryOfOneModelAgree() {
        var lenient = VectorFiles.ReadOptions.defaults().withReplaceInvalidUtf8(true);
        KeyedVectors text = VectorFiles.read(fixture("word2vec-c-tiny.txt"), lenient);
        KeyedVectors binary = VectorFiles.read(fixture("word2vec-c-tiny.bin"), lenient);
        assertEquals(329, text.size());
        assertEquals(text.words(), binary.words());
        for (String word : List.of("café", "naïve", "São", "日本", "Zürich", "Straße")) {
            assertTrue(text.contains(word), word);
        }
        // word2vec.c cut the word of 40 × 日 (3 bytes each) at 98 bytes, inside the 33rd character; Python's
        // 'replace' (gensim's unicode_errors='replace') gives one U+FFFD for the two stray bytes, and so do we.
        assertTrue(text.contains("日".repeat(32) + "\uFFFD"));
        for (int row = 0; row < text.size(); row++) {
            float[] a = text.vector(row);
            float[] b = binary.vector(row);
            for (int k = 0; k < 6; k++) {
                assertEquals(b[k], a[k], 5.1e-7, "row " + row); // %lf keeps six decimals
            }
        }
    }

    /** word2vec.c's -save-vocab file of the same run (checked against gensim's fvocab reading when made). */
    @Test
    void countsComeFromAVocabularyFile() throws IOException {
        var options = VectorFiles.ReadOptions.defaults().withReplaceInvalidUtf8(true)
                .withVocabulary(fixture("word2vec-c-tiny.vocab"));
        KeyedVectors kv = VectorFiles.read(fixture("word2vec-c-tiny.bin"), options);
        assertTrue(kv.hasCounts());
        assertEquals(939, kv.count(kv.rowOf("</s>")));
        assertEquals(1542, kv.count(kv.rowOf("the")));
        assertEquals(17, kv.count(kv.rowOf("日".repeat(32) + "\uFFFD")));
        Path copy = temp.resolve("copy.vocab");
        VectorFiles.writeVocabulary(kv, copy);
        // The same lines as word2vec.c's, but for the cut word, now with U+FFFD in place of its stray bytes.
        List<String> original = new String(Files.readAllBytes(fixture("word2vec-c-tiny.vocab")), StandardCharsets.UTF_8).lines().toList();
        List<String> written = Files.readString(copy).lines().toList();
        assertEquals(original.size(), written.size());
        for (int i = 0; i < original.size(); i++) {
            if (!original.get(i).startsWith("日日")) {
                assertEquals(original.get(i), written.get(i));
            }
        }
        Path partial = file("partial.vocab", "</s> 3\nthe 2\n");
        assertMessage(assertThrows(GlossaException.class, () -> VectorFiles.read(fixture("word2vec-c-tiny.bin"),
                options.withVocabulary(partial))).getMessage(), "partial.vocab: no count for 'of' (row 3 of ");
        Path bad = file("bad.vocab", "the 2\nof many\n");
        assertMessage(assertThrows(GlossaException.class, () -> VectorFiles.readVocabulary(bad)).getMessage(),
                "bad.vocab: line 2: expected 'word count', found 'of many'");
        KeyedVectors noCounts = VectorFiles.read(fixture("gensim.bin"));
        assertThrows(GlossaException.class, () -> VectorFiles.writeVocabulary(noCounts, temp.resolve("x.vocab")));
    }

    /** A file Stanford GloVe wrote: no header, "%lf" values, its "<unk>" row last (not in its vocabulary). */
    @Test
    void readsStanfordGloveOutput() throws IOException {
        assertEquals(VectorFormat.GLOVE_TEXT, VectorFiles.detect(fixture("glove-c-tiny.txt")));
        KeyedVectors kv = VectorFiles.read(fixture("glove-c-tiny.txt"));
        assertEquals(329, kv.size());
        assertEquals(5, kv.dimension());
        assertEquals("<unk>", kv.words().get(328));
        assertArrayEquals(new float[] {-0.815526f, 2.172655f, -0.282369f, 1.021801f, 2.021155f}, kv.vector("the"));
        var counts = VectorFiles.readVocabulary(fixture("glove-c-tiny.vocab"));
        assertEquals(328, counts.size());
        for (int row = 0; row < 328; row++) {
            assertTrue(counts.containsKey(kv.words().get(row)), kv.words().get(row));
        }
        var e = assertThrows(GlossaException.class, () -> VectorFiles.read(fixture("glove-c-tiny.txt"),
                VectorFiles.ReadOptions.defaults().withVocabulary(fixture("glove-c-tiny.vocab"))));
        assertMessage(e.getMessage(), "glove-c-tiny.vocab: no count for '<unk>' (row 329 of ");
    }

    @Test
    void invalidUtf8IsAnErrorNamingTheLineOrRow() throws IOException {
        List<String> lines = Files.readAllLines(fixture("word2vec-c-tiny.txt"), StandardCharsets.ISO_8859_1);
        int line = 0;
        while (!lines.get(line).startsWith("\u00e6\u0097\u00a5\u00e6\u0097\u00a5")) {
            line++;
        }
        var text = assertThrows(GlossaException.class, () -> VectorFiles.read(fixture("word2vec-c-tiny.txt")));
        assertTrue(text.getMessage().contains("word2vec-c-tiny.txt: line " + (line + 1) + ": the word is not valid UTF-8"),
                text.getMessage());
        var binary = assertThrows(GlossaException.class, () -> VectorFiles.read(fixture("word2vec-c-tiny.bin")));
        assertTrue(binary.getMessage().contains("word2vec-c-tiny.bin: row " + line + ": the word is not valid UTF-8"),
                binary.getMessage());
    }

    @Test
    void limitReadsTheFirstRowsOnly() {
        KeyedVectors all = VectorFiles.read(fixture("word2vec-c.bin"));
        for (String name : List.of("word2vec-c.bin", "gensim.txt", "gensim-noheader.txt")) {
            KeyedVectors some = VectorFiles.read(fixture(name), VectorFiles.ReadOptions.defaults().withLimit(3));
            assertEquals(3, some.size(), name);
        }
        KeyedVectors some = VectorFiles.read(fixture("word2vec-c.bin"), VectorFiles.ReadOptions.defaults().withLimit(3));
        assertEquals(all.words().subList(0, 3), some.words());
        assertArrayEquals(all.vector(2), some.vector(2));
    }

    @Test
    void gzipFilesReadAndWrite() throws IOException {
        Path gz = temp.resolve("gensim.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(fixture("gensim.txt")));
        }
        KeyedVectors kv = VectorFiles.read(gz);
        assertEquals(GENSIM_WORDS, kv.words());
        Path binary = temp.resolve("again.bin.gz");
        VectorFiles.write(kv, binary, VectorFormat.WORD2VEC_BINARY);
        assertEquals(0x1f, Files.readAllBytes(binary)[0] & 0xff);
        KeyedVectors back = VectorFiles.read(binary);
        for (int row = 0; row < kv.size(); row++) {
            assertArrayEquals(kv.vector(row), back.vector(row));
        }
    }

    @Test
    void shortestFloatTextIsNumpysRepr() throws IOException {
        List<String> lines = Files.readAllLines(fixture("float32-repr.tsv"));
        assertTrue(lines.size() > 2900);
        for (String line : lines) {
            String[] parts = line.split("\t");
            float value = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[0], 16));
            assertEquals(parts[1], FloatText.toString(value), parts[0]);
            byte[] bytes = parts[1].getBytes(StandardCharsets.US_ASCII);
            try {
                assertEquals(Float.floatToRawIntBits(value), Float.floatToRawIntBits(FloatText.parse(bytes, 0, bytes.length)));
            } catch (FloatText.NotANumber e) {
                throw new AssertionError(parts[1], e);
            }
        }
    }

    @Test
    void parsesWhatFloatParseFloatParses() throws FloatText.NotANumber {
        var random = new java.util.Random(11);
        for (int i = 0; i < 20000; i++) {
            double value = random.nextGaussian() * Math.pow(10, random.nextInt(80) - 40);
            for (String text : List.of(String.format("%.6f", value), String.format("%.12e", value),
                    Double.toString(value), String.format("%.25f", value), String.format("%.3E", value))) {
                byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
                assertEquals(Float.floatToRawIntBits(Float.parseFloat(text)),
                        Float.floatToRawIntBits(FloatText.parse(bytes, 0, bytes.length)), text);
            }
        }
        for (String bad : List.of("", "-", ".", "1e", "1e+", "1.2.3", "0x10", "abc", "1,5", "--1")) {
            byte[] bytes = bad.getBytes(StandardCharsets.US_ASCII);
            assertThrows(FloatText.NotANumber.class, () -> FloatText.parse(bytes, 0, bytes.length), bad);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Bad files

    private Path file(String name, String content) throws IOException {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private Path file(String name, byte[] content) throws IOException {
        Path path = temp.resolve(name);
        Files.write(path, content);
        return path;
    }

    private String failure(Path path) {
        return assertThrows(GlossaException.class, () -> VectorFiles.read(path)).getMessage();
    }

    private static void assertMessage(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + message + "' lacks '" + part + "'");
        }
        assertTrue(!message.contains("\n"), "one line: " + message);
    }

    @Test
    void headerCountsThatLieAreErrors() throws IOException {
        assertMessage(failure(file("few.txt", "3 2\na 1 2\nb 3 4\n")), "few.txt", "announces 3 rows", "ends after 2");
        assertMessage(failure(file("many.txt", "1 2\na 1 2\nb 3 4\n")), "many.txt", "line 3", "holds more");
        assertMessage(failure(file("dim.txt", "2 3\na 1 2 3\nb 1 2\n")), "dim.txt", "line 3", "'b' has 2 values, expected 3");
        assertMessage(failure(file("long.txt", "2 3\na 1 2 3 4\nb 1 2 3\n")), "line 2", "'a' has 4 values, expected 3");
        assertMessage(failure(file("huge.txt", "5000000 300\na 1\n")), "huge.txt", "line 2", "'a' has 1 values, expected 300");
        assertMessage(failure(file("toolarge.txt", "3000000000 300\n")), "more than one Java array");
        assertMessage(failure(file("zero.txt", "2 0\n")), "dimension 0");
        byte[] gensim = Files.readAllBytes(fixture("gensim.bin"));
        byte[] fewer = new String(gensim, StandardCharsets.ISO_8859_1).replaceFirst("^9 7", "10 7")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertMessage(failure(file("fewer.bin", fewer)), "fewer.bin", "announces 10 rows", "ends after 9");
        byte[] more = new String(gensim, StandardCharsets.ISO_8859_1).replaceFirst("^9 7", "8 7")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertMessage(failure(file("more.bin", more)), "more.bin", "announces 8 rows", "more data follows");
        byte[] wrongDimension = new String(gensim, StandardCharsets.ISO_8859_1).replaceFirst("^9 7", "9 6")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertMessage(failure(file("dim.bin", wrongDimension)), "dim.bin", "row ");
    }

    @Test
    void truncatedAndDamagedFilesAreErrors() throws IOException {
        byte[] gensim = Files.readAllBytes(fixture("gensim.bin"));
        assertMessage(failure(file("cut.bin", Arrays.copyOf(gensim, gensim.length - 5))),
                "cut.bin", "row 9 ('Ünïcödé') is truncated: 23 of 28 bytes");
        assertMessage(failure(file("cutword.bin", Arrays.copyOf(gensim, gensim.length - 31))),
                "cutword.bin", "row 9", "no space after the word");
        assertMessage(failure(file("nan.txt", "2 2\na 1 x\nb 1 2\n")), "nan.txt", "line 2: value 2 of 'a' is not a number: 'x'");
        assertMessage(failure(file("empty.txt", "")), "empty.txt is empty");
        assertMessage(failure(file("prose.txt", "hello world\n")), "prose.txt", "cannot tell the format");
        assertMessage(failure(file("glove.txt", "a 1 2\n\nb 1\n")), "glove.txt", "line 3: 'b' has 1 values, expected 2");
        assertMessage(failure(file("twice.txt", "2 1\na 1\na 2\n")), "twice.txt", "line 3", "'a' appears twice (rows 1 and 2)");
        byte[] latin1 = "2 1\ncaf\u00e9 1\nb 2\n".getBytes(StandardCharsets.ISO_8859_1);
        assertMessage(failure(file("latin1.txt", latin1)), "latin1.txt", "line 2: the word is not valid UTF-8 (bytes 63 61 66 e9)");
    }

    @Test
    void lenientTextLayoutsRead() throws IOException {
        // word2vec.c's trailing space, Windows line ends, doubled spaces, blank lines, no final line break.
        KeyedVectors kv = VectorFiles.read(file("lenient.txt", "2 2 \r\na 1.5  -2 \r\n\r\nb 3e2 4\n\n"));
        assertEquals(List.of("a", "b"), kv.words());
        assertArrayEquals(new float[] {1.5f, -2f}, kv.vector(0));
        KeyedVectors last = VectorFiles.read(file("nofinal.txt", "a 1 2\nb 3 4"));
        assertArrayEquals(new float[] {3f, 4f}, last.vector(1));
        KeyedVectors special = VectorFiles.read(file("special.txt", "1 3\nz nan inf -Infinity\n"));
        assertTrue(Float.isNaN(special.vector(0)[0]));
        assertEquals(Float.NEGATIVE_INFINITY, special.vector(0)[2]);
    }

    @Test
    void wordsTheFormatsCannotHoldAreRefused() {
        KeyedVectors kv = new KeyedVectors(List.of("ok", "two words"), new float[] {1, 2}, 1, null);
        var e = assertThrows(GlossaException.class, () -> VectorFiles.write(kv, temp.resolve("x.txt"), VectorFormat.WORD2VEC_TEXT));
        assertMessage(e.getMessage(), "x.txt", "'two words' (row 2)");
        assertTrue(!Files.exists(temp.resolve("x.txt")));
    }

    @Test
    void writesAndReadsBackEveryFormat() {
        var random = new java.util.Random(3);
        int n = 500;
        int d = 17;
        float[] values = new float[n * d];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6));
        }
        List<String> words = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            words.add(i % 7 == 0 ? "wörd" + i : "w" + i);
        }
        KeyedVectors kv = new KeyedVectors(words, values, d, null);
        for (VectorFormat format : VectorFormat.values()) {
            for (boolean lineBreaks : List.of(true, false)) {
                Path path = temp.resolve(format + "-" + lineBreaks);
                VectorFiles.write(kv, path, format, lineBreaks);
                assertEquals(format, VectorFiles.detect(path));
                KeyedVectors back = VectorFiles.read(path);
                assertEquals(words, back.words());
                for (int row = 0; row < n; row++) {
                    assertArrayEquals(kv.vector(row), back.vector(row), format + " row " + row);
                }
            }
        }
    }
}
