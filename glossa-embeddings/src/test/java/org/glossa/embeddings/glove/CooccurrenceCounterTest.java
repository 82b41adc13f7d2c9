package org.glossa.embeddings.glove;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class CooccurrenceCounterTest {
    @TempDir
    Path dir;

    private CooccurrenceOptions options(int window) {
        return CooccurrenceOptions.defaults().withWindowSize(window).withMemoryBytes(1 << 20).withThreads(1)
                .withTempDirectory(dir.resolve("tmp"));
    }

    private Map<String, Double> count(List<int[]> sentences, int vocabularySize, CooccurrenceOptions options) {
        Path out = dir.resolve("out-" + System.nanoTime() + ".bin");
        CooccurrenceCounter.count(GloveFixtures.source(sentences), vocabularySize, 0, options, out, false);
        return GloveFixtures.records(out, vocabularySize);
    }

    @Test
    void countsByHandWithInverseDistanceBothWaysAndNotAcrossLines() {
        // a b c | c a   (ids a=0, b=1, c=2), window 2
        List<int[]> corpus = List.of(new int[] {0, 1, 2}, new int[] {2, 0});
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("0 1", 1.0);       // a-b at distance 1
        expected.put("0 2", 0.5 + 1.0); // a-c at distance 2 in line 1, c-a at distance 1 in line 2
        expected.put("1 0", 1.0);
        expected.put("1 2", 1.0);
        expected.put("2 0", 1.5);
        expected.put("2 1", 1.0);
        // No (c, c): the c ending line 1 and the c starting line 2 are in different contexts.
        assertEquals(expected, count(corpus, 3, options(2)));
    }

    @Test
    void windowLimitsTheDistance() {
        List<int[]> corpus = List.of(new int[] {0, 1, 2}, new int[] {2, 0});
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("0 1", 1.0);
        expected.put("0 2", 1.0); // only line 2's c-a; line 1's a-c is 2 apart
        expected.put("1 0", 1.0);
        expected.put("1 2", 1.0);
        expected.put("2 0", 1.0);
        expected.put("2 1", 1.0);
        assertEquals(expected, count(corpus, 3, options(1)));
    }

    @Test
    void asymmetricUnweightedCountsEarlierWordFirst() {
        List<int[]> corpus = List.of(new int[] {0, 1, 2}, new int[] {2, 0}, new int[] {1, 1});
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("0 1", 1.0);
        expected.put("0 2", 1.0);
        expected.put("1 1", 1.0);
        expected.put("1 2", 1.0);
        expected.put("2 0", 1.0);
        assertEquals(expected, count(corpus, 3, options(2).withSymmetric(false).withDistanceWeighting(false)));
    }

    /** Stanford GloVe's cooccur on the committed corpus (see the fixture README) and ours agree record for record. */
    @Test
    void matchesStanfordCooccur() {
        List<String> words = GloveFixtures.vocabularyWords(GloveFixtures.resource("vocab.txt"));
        List<int[]> sentences = GloveFixtures.idSentences(GloveFixtures.resource("corpus.txt"), words);
        for (int threads : new int[] {1, 2}) {
            for (long memory : new long[] {1 << 20, 16 << 10}) { // the small budget spills dozens of runs
                CooccurrenceOptions options = options(5).withThreads(threads).withMemoryBytes(memory);
                assertSameRecords(GloveFixtures.records(GloveFixtures.resource("cooccur-w5.bin"), words.size()),
                        count(sentences, words.size(), options), 1e-12);
                CooccurrenceOptions left = options(3).withThreads(threads).withMemoryBytes(memory).withSymmetric(false)
                        .withDistanceWeighting(false);
                assertSameRecords(GloveFixtures.records(GloveFixtures.resource("cooccur-w3-left-unweighted.bin"),
                        words.size()), count(sentences, words.size(), left), 0);
            }
        }
    }

    @Test
    void spillingAndMergingGivesTheInMemoryResultAndDeletesTemporaryFiles() throws IOException {
        Random random = new Random(3);
        int vocabularySize = 300;
        List<int[]> sentences = new ArrayList<>();
        for (int s = 0; s < 150; s++) {
            int[] sentence = new int[1 + random.nextInt(40)];
            for (int i = 0; i < sentence.length; i++) {
                // skewed ids, like frequency ranks
                sentence[i] = (int) Math.min(vocabularySize - 1, Math.floor(Math.exp(random.nextDouble() * Math.log(vocabularySize))) - 1);
            }
            sentences.add(sentence);
        }
        Map<String, Double> inMemory = count(sentences, vocabularySize, options(7).withMemoryBytes(64 << 20));
        // 4 KB: a dense table of 256 cells and 409-entry buffers, so hundreds of runs and a merge in several passes
        Path out = dir.resolve("spilled.bin");
        CooccurrenceCounter.Stats stats = CooccurrenceCounter.count(GloveFixtures.source(sentences), vocabularySize, 0,
                options(7).withMemoryBytes(4096).withThreads(2), out, false);
        assertTrue(stats.spilledRuns() > 64, "runs spilled: " + stats.spilledRuns());
        assertSameRecords(inMemory, GloveFixtures.records(out, vocabularySize), 1e-12);
        assertEquals(inMemory.size(), stats.records());
        try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.toList(), "temporary files left behind");
        }
    }

    @Test
    void outputIsSortedByFirstThenSecondWord() {
        List<String> words = GloveFixtures.vocabularyWords(GloveFixtures.resource("vocab.txt"));
        List<int[]> sentences = GloveFixtures.idSentences(GloveFixtures.resource("corpus.txt"), words);
        Map<String, Double> records = count(sentences, words.size(), options(5).withMemoryBytes(16 << 10).withThreads(2));
        long previous = -1;
        for (String pair : records.keySet()) {
            String[] ids = pair.split(" ");
            long key = Long.parseLong(ids[0]) << 32 | Long.parseLong(ids[1]);
            assertTrue(key > previous, "out of order at " + pair);
            previous = key;
        }
    }

    @Test
    void denseTableFitsItsBudget() {
        for (int v : new int[] {1, 10, 1000, 70_000}) {
            for (long entries : new long[] {1, 100, 10_000, 30_000_000}) {
                long p = CooccurrenceCounter.maxProductFor(v, entries);
                long size = 0;
                for (long a = 1; a <= v; a++) {
                    size += Math.min(v, p / a);
                }
                assertTrue(size <= entries || p == 0, v + " words, " + entries + " entries: product " + p);
                long bigger = 0;
                for (long a = 1; a <= v; a++) {
                    bigger += Math.min(v, (p + 1) / a);
                }
                assertTrue(bigger > entries || p == (long) v * v, "product " + p + " is not the largest that fits");
            }
        }
    }

    @Test
    void badInput() {
        assertThrows(GlossaException.class, () -> CooccurrenceOptions.defaults().withWindowSize(0));
        assertThrows(GlossaException.class, () -> CooccurrenceOptions.defaults().withMemoryBytes(0));
        GlossaException outside = assertThrows(GlossaException.class,
                () -> count(List.of(new int[] {0, 5}), 3, options(2)));
        assertTrue(outside.getMessage().contains("outside the vocabulary"), outside.getMessage());
        assertThrows(GlossaException.class, () -> count(List.of(), 0, options(2)));
    }

    private static void assertSameRecords(Map<String, Double> expected, Map<String, Double> actual, double tolerance) {
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), "pairs and their order");
        for (Map.Entry<String, Double> entry : expected.entrySet()) {
            double value = actual.get(entry.getKey());
            assertEquals(entry.getValue(), value, tolerance * Math.max(1, Math.abs(value)), "pair " + entry.getKey());
        }
    }
}
