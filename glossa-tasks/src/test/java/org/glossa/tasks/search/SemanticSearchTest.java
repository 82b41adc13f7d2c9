package org.glossa.tasks.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class SemanticSearchTest {
    @TempDir
    Path temp;

    private static float[] unit(double... xs) {
        double norm = Math.sqrt(java.util.Arrays.stream(xs).map(x -> x * x).sum());
        float[] v = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            v[i] = (float) (xs[i] / norm);
        }
        return v;
    }

    /** Four texts on known directions; queries are looked up by name so that scores are cosines we can compute by hand. */
    private static SemanticSearch toyIndex() {
        List<String> texts = List.of("east", "north", "north-east", "also east");
        float[][] vectors = {unit(1, 0), unit(0, 1), unit(1, 1), unit(1, 0)};
        Map<String, float[]> queries = Map.of("east", unit(1, 0), "mostly north", unit(1, 3));
        return new SemanticSearch(texts, vectors, queries::get);
    }

    @Test
    void ranksByCosineAndBreaksTiesByCorpusOrder() {
        List<SemanticSearch.Hit> hits = toyIndex().search("east", 4);
        // cos(east, east) = 1 for texts 0 and 3 (tie: corpus order), then north-east (1/sqrt 2), then north (0).
        assertEquals(List.of(0, 3, 2, 1), hits.stream().map(SemanticSearch.Hit::index).toList());
        assertEquals(1.0, hits.get(0).score(), 1e-6);
        assertEquals(1.0, hits.get(1).score(), 1e-6);
        assertEquals(Math.sqrt(0.5), hits.get(2).score(), 1e-6);
        assertEquals(0.0, hits.get(3).score(), 1e-6);
        assertEquals("also east", hits.get(1).text());
    }

    @Test
    void returnsTopKOnly() {
        List<SemanticSearch.Hit> hits = toyIndex().search("mostly north", 2);
        // (1,3)/sqrt10 against north (0,1): 3/sqrt10 = 0.949; north-east: 4/sqrt20 = 0.894; east: 1/sqrt10 = 0.316.
        assertEquals(2, hits.size());
        assertEquals("north", hits.get(0).text());
        assertEquals(3 / Math.sqrt(10), hits.get(0).score(), 1e-6);
        assertEquals("north-east", hits.get(1).text());
        assertEquals(4 / Math.sqrt(20), hits.get(1).score(), 1e-6);
    }

    @Test
    void topKLargerThanTheCorpusReturnsEverything() {
        assertEquals(4, toyIndex().search("east", 100).size());
    }

    @Test
    void topKBelowOneIsRejected() {
        GlossaException e = assertThrows(GlossaException.class, () -> toyIndex().search("east", 0));
        assertTrue(e.getMessage().contains("top-k"), e.getMessage());
    }

    @Test
    void readCorpusSkipsBlankLinesAndStripsLineEnds() throws Exception {
        Path file = temp.resolve("corpus.txt");
        Files.write(file, "\uFEFFfirst text\r\n\n   \nsecond  text \r\n\tthird\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("first text", "second  text", "third"), SemanticSearch.readCorpus(file));
    }

    @Test
    void readCorpusKeepsNonAsciiText() throws Exception {
        Path file = temp.resolve("corpus.txt");
        Files.writeString(file, "Žuta Tabija\nMontjuïc — Barcelona\n日本語", StandardCharsets.UTF_8);
        assertEquals(List.of("Žuta Tabija", "Montjuïc — Barcelona", "日本語"), SemanticSearch.readCorpus(file));
    }

    @Test
    void invalidUtf8NamesTheFileAndLine() throws Exception {
        Path file = temp.resolve("latin1.txt");
        byte[] good = "one\n\ntwo\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = "caf\u00e9 au lait\nfour\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] bytes = new byte[good.length + bad.length];
        System.arraycopy(good, 0, bytes, 0, good.length);
        System.arraycopy(bad, 0, bytes, good.length, bad.length);
        Files.write(file, bytes);
        GlossaException e = assertThrows(GlossaException.class, () -> SemanticSearch.readCorpus(file));
        assertEquals(file + ": line 4 is not valid UTF-8", e.getMessage());
    }

    @Test
    void emptyCorpusIsAnError() throws Exception {
        Path file = temp.resolve("empty.txt");
        Files.writeString(file, "\n  \n\r\n");
        GlossaException e = assertThrows(GlossaException.class, () -> SemanticSearch.readCorpus(file));
        assertEquals(file + ": corpus is empty", e.getMessage());
    }

    @Test
    void missingCorpusNamesTheFile() {
        Path file = temp.resolve("nowhere.txt");
        GlossaException e = assertThrows(GlossaException.class, () -> SemanticSearch.readCorpus(file));
        assertEquals(file + ": no such file", e.getMessage());
    }

    @Test
    void directoryAsCorpusGivesOneLineNamingIt() {
        GlossaException e = assertThrows(GlossaException.class, () -> SemanticSearch.readCorpus(temp));
        assertTrue(e.getMessage().startsWith(temp + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void readTextsFromAStreamMayBeEmpty() {
        assertEquals(List.of(), SemanticSearch.readTexts(new ByteArrayInputStream(new byte[0]), "standard input"));
        assertEquals(List.of("a", "b"), SemanticSearch.readTexts(
                new ByteArrayInputStream("a\n\nb".getBytes(StandardCharsets.UTF_8)), "standard input"));
    }

    @Test
    void bundledSampleHasHundredsOfDistinctWikipediaParagraphs() throws Exception {
        List<String> sample = SemanticSearch.bundledSample();
        assertTrue(sample.size() >= 300 && sample.size() <= 500, "sample size " + sample.size());
        assertEquals(sample.size(), new HashSet<>(sample).size(), "duplicate paragraphs");
        // Each paragraph is a line of the shared WikiExtractor file it was cut from (less trailing blanks).
        String shared = System.getProperty("glossa.shared");
        assertTrue(shared != null, "system property glossa.shared is not set");
        Path source = Path.of(shared, "data/enwiki-extract/enwiki_wikiextractor_AA.txt");
        assertTrue(Files.isRegularFile(source), "missing shared data " + source);
        Set<String> lines;
        try (var sourceLines = Files.lines(source, StandardCharsets.UTF_8)) {
            lines = sourceLines.map(String::stripTrailing).collect(Collectors.toSet());
        }
        for (String text : sample) {
            // "Title: paragraph"; titles may hold ": " themselves, so try each split.
            String paragraph = null;
            for (int colon = text.indexOf(": "); colon >= 0 && paragraph == null; colon = text.indexOf(": ", colon + 1)) {
                paragraph = lines.contains(text.substring(colon + 2)) ? text.substring(colon + 2) : null;
            }
            assertTrue(paragraph != null, "not \"title: a line of the source\": " + text);
            // Headings and stubs were skipped: 200 to 700 bytes (awk counts bytes).
            int bytes = paragraph.getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes >= 200 && bytes <= 700, bytes + " bytes: " + text);
        }
    }
}
