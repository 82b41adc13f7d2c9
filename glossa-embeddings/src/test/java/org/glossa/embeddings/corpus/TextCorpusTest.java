package org.glossa.embeddings.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TextCorpusTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    static List<List<String>> sentences(SentenceSource source) {
        List<List<String>> sentences = new ArrayList<>();
        source.forEachSentence((tokens, length) -> sentences.add(List.copyOf(Arrays.asList(tokens).subList(0, length))));
        return sentences;
    }

    @Test
    void linesAreSentencesAndBlankLinesVanish() throws IOException {
        Path file = write("c.txt", "The cat  sat\r\n\n   \n\ton the\tmat.\nlast line without break");
        assertEquals(List.of(List.of("The", "cat", "sat"), List.of("on", "the", "mat."),
                List.of("last", "line", "without", "break")), sentences(TextCorpus.lines(file, TextOptions.defaults())));
    }

    @Test
    void whitespaceIsPythonsStrSplit() {
        // Golden list: [c for c in range(0x10000) if chr(c).isspace()] in CPython 3.11, whose str.split()
        // gensim's LineSentence uses; a file we write with single spaces must split the same way there.
        int[] python = {0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
            0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f,
            0x3000};
        List<Integer> ours = new ArrayList<>();
        for (int c = 0; c < 0x10000; c++) {
            if (TextCorpus.isSpace((char) c)) {
                ours.add(c);
            }
        }
        assertEquals(Arrays.stream(python).boxed().toList(), ours);
    }

    @Test
    void unicodeSpacesSplitAndOtherCharactersStay() throws IOException {
        Path file = write("u.txt", "caf\u00e9\u00a0cr\u00e8me\u3000東京 zero\u200bwidth");
        assertEquals(List.of(List.of("café", "crème", "東京", "zero\u200bwidth")),
                sentences(TextCorpus.lines(file, TextOptions.defaults())));
    }

    @Test
    void lowercaseAndTokenPattern() throws IOException {
        Path file = write("p.txt", "Don't PANIC: 42 Ångström-units, ÉCOLE!\n");
        assertEquals(List.of(List.of("don't", "panic:", "42", "ångström-units,", "école!")),
                sentences(TextCorpus.lines(file, TextOptions.defaults().withLowercase(true))));
        assertEquals(List.of(List.of("Don", "t", "PANIC", "42", "Ångström", "units", "ÉCOLE")),
                sentences(TextCorpus.lines(file, TextOptions.defaults().withTokenPattern(TextOptions.LETTERS_OR_DIGITS))));
        // A pattern that can match the empty string yields no empty tokens.
        assertEquals(List.of(List.of("Don", "t", "PANIC", "Ångström", "units", "ÉCOLE")),
                sentences(TextCorpus.lines(file, TextOptions.defaults().withTokenPattern("\\p{L}*"))));
    }

    @Test
    void rawTextIsCutEveryMaxSentenceLengthTokensAcrossLines() throws IOException {
        Path file = write("r.txt", "a b c\nd e\n\nf g h i j k");
        TextOptions options = TextOptions.defaults().withMaxSentenceLength(4);
        assertEquals(List.of(List.of("a", "b", "c", "d"), List.of("e", "f", "g", "h"), List.of("i", "j", "k")),
                sentences(TextCorpus.raw(file, options)));
        // In line mode a long line is cut too, but a line break always ends the sentence.
        assertEquals(List.of(List.of("a", "b", "c"), List.of("d", "e"), List.of("f", "g", "h", "i"), List.of("j", "k")),
                sentences(TextCorpus.lines(file, options)));
    }

    @Test
    void wikiExtractorDropsDocumentLinesAndKeepsTitles() throws IOException {
        Path file = write("w.txt", """
                <doc id="12" url="?curid=12" title="Anarchism">
                Anarchism

                Anarchism is a political philosophy.
                History.
                </doc>
                <doc id="25" url="?curid=25" title="Autism">
                Autism

                Autism is a condition.
                </doc>
                """);
        assertEquals(List.of(List.of("Anarchism"), List.of("Anarchism", "is", "a", "political", "philosophy."),
                List.of("History."), List.of("Autism"), List.of("Autism", "is", "a", "condition.")),
                sentences(TextCorpus.wikiExtractor(file, TextOptions.defaults())));
        // Read as plain lines, the markup is text.
        assertEquals(List.of("<doc", "id=\"12\"", "url=\"?curid=12\"", "title=\"Anarchism\">"),
                sentences(TextCorpus.lines(file, TextOptions.defaults())).get(0));
    }

    @Test
    void gzipIsRecognisedByContentWhateverTheName() throws IOException {
        String text = "zipped words here\nand a second line\n";
        for (String name : List.of("corpus.txt.gz", "corpus-without-extension")) {
            Path file = dir.resolve(name);
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(List.of(List.of("zipped", "words", "here"), List.of("and", "a", "second", "line")),
                    sentences(TextCorpus.lines(file, TextOptions.defaults())));
        }
    }

    @Test
    void truncatedGzipIsAnError() throws IOException {
        Path full = dir.resolve("full.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(full))) {
            out.write("some words ".repeat(10_000).getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        GlossaException e = assertThrows(GlossaException.class,
                () -> sentences(TextCorpus.lines(cut, TextOptions.defaults())));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void invalidUtf8NamesFileOffsetAndLine() throws IOException {
        Path file = dir.resolve("bad.txt");
        byte[] good = "first line\nsecond é line\nthird ".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(good, good.length + 4);
        bytes[good.length] = 'a';
        bytes[good.length + 1] = (byte) 0xC3; // a lead byte followed by ASCII: malformed
        bytes[good.length + 2] = 'b';
        bytes[good.length + 3] = '\n';
        Files.write(file, bytes);
        GlossaException e = assertThrows(GlossaException.class,
                () -> sentences(TextCorpus.lines(file, TextOptions.defaults())));
        assertEquals("corpus file " + file + " is not valid UTF-8: malformed byte 0xc3 at byte offset "
                + (good.length + 1) + " (line 3)", e.getMessage());
    }

    @Test
    void invalidUtf8InLongLinesIsFoundAtItsOffset() throws IOException {
        Path file = dir.resolve("long-bad.txt");
        byte[] bytes = ("word ".repeat(100) + "x").getBytes(StandardCharsets.UTF_8);
        bytes = Arrays.copyOf(bytes, bytes.length + 1);
        bytes[bytes.length - 1] = (byte) 0xFF;
        Files.write(file, bytes);
        GlossaException e = assertThrows(GlossaException.class,
                () -> sentences(TextCorpus.raw(file, TextOptions.defaults()).withSegmentBytes(64)));
        assertTrue(e.getMessage().endsWith("at byte offset 501 (line 1)"), e.getMessage());
    }

    @Test
    void longLinesAreReadInPiecesWithoutSplittingWords() throws IOException {
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String word = "wörd" + i + "é".repeat(i % 7);
            expected.add(word);
            text.append(word).append(i % 3 == 0 ? "  " : " ");
        }
        Path file = write("long.txt", text + "\nnext line\n");
        List<List<String>> got = sentences(TextCorpus.lines(file, TextOptions.defaults()).withSegmentBytes(100));
        assertEquals(List.of(expected, List.of("next", "line")), got);
        // A single token longer than a piece is cut at a character boundary, never inside a character.
        Path giant = write("giant.txt", "é".repeat(120));
        List<List<String>> pieces = sentences(TextCorpus.raw(giant, TextOptions.defaults()).withSegmentBytes(64));
        assertEquals("é".repeat(120), String.join("", pieces.get(0)));
    }

    @Test
    void byteOrderMarkIsNotText() throws IOException {
        Path file = write("bom.txt", "\uFEFFhello world\n");
        assertEquals(List.of(List.of("hello", "world")), sentences(TextCorpus.lines(file, TextOptions.defaults())));
    }

    @Test
    void severalFilesAreOneCorpus() throws IOException {
        Path a = write("a.txt", "one two");
        Path b = write("b.txt", "three\n");
        assertEquals(List.of(List.of("one", "two"), List.of("three")),
                sentences(new TextCorpus(List.of(a, b), CorpusFormat.RAW, TextOptions.defaults())));
    }

    @Test
    void badInputIsNamed() {
        Path missing = dir.resolve("missing.txt");
        GlossaException e = assertThrows(GlossaException.class,
                () -> sentences(TextCorpus.lines(missing, TextOptions.defaults())));
        assertEquals("corpus file " + missing + " does not exist", e.getMessage());
        e = assertThrows(GlossaException.class, () -> TextOptions.defaults().withTokenPattern("[a-"));
        assertTrue(e.getMessage().startsWith("token pattern '[a-' is not a valid regular expression"), e.getMessage());
        e = assertThrows(GlossaException.class, () -> TextOptions.defaults().withMaxSentenceLength(0));
        assertEquals("max-sentence-length must be at least 1, got 0", e.getMessage());
    }
}
