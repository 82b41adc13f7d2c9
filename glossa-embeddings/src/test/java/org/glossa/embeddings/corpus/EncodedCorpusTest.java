package org.glossa.embeddings.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.glossa.core.GlossaException;
import org.glossa.embeddings.Vocabulary;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class EncodedCorpusTest {
    @TempDir
    Path dir;

    /** Sentences of random words: word k (k = 0..29) drawn with probability ∝ 1/(k+1), lengths 0..40. */
    private static List<List<String>> randomSentences(int count, long seed) {
        Random random = new Random(seed);
        List<List<String>> sentences = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            List<String> sentence = new ArrayList<>();
            int length = random.nextInt(41);
            for (int i = 0; i < length; i++) {
                int k = (int) Math.floor(Math.exp(random.nextDouble() * Math.log(31))) - 1;
                sentence.add("w" + k);
            }
            sentences.add(sentence);
        }
        return sentences;
    }

    /** The sentences as ids, with the out-of-vocabulary words removed and empty sentences skipped. */
    private static List<List<Integer>> expectedIds(List<List<String>> sentences, Vocabulary vocabulary) {
        List<List<Integer>> expected = new ArrayList<>();
        for (List<String> sentence : sentences) {
            List<Integer> ids = sentence.stream().map(vocabulary::id).filter(id -> id >= 0).toList();
            if (!ids.isEmpty()) {
                expected.add(ids);
            }
        }
        return expected;
    }

    private static List<List<Integer>> read(EncodedCorpus corpus, int part, int parts) {
        List<List<Integer>> sentences = new ArrayList<>();
        int[] buffer = new int[corpus.longestSentence()];
        try (EncodedCorpus.SentenceReader reader = corpus.reader(part, parts)) {
            int length;
            while ((length = reader.next(buffer)) >= 0) {
                List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < length; i++) {
                    ids.add(buffer[i]);
                }
                sentences.add(ids);
            }
        }
        return sentences;
    }

    @Test
    void storesTheCorpusAsIdsOfItsVocabularyInBothStorages() {
        List<List<String>> sentences = randomSentences(3000, 7);
        SentenceSource source = SentenceSource.of(sentences);
        Vocabulary reference = Vocabulary.build(source, 1000, 0);
        for (EncodedCorpus.Storage storage : EncodedCorpus.Storage.values()) {
            try (EncodedCorpus corpus = EncodedCorpus.encode(source, 1000, 0, storage, dir, false)) {
                assertEquals(reference.words(), corpus.vocabulary().words());
                List<List<Integer>> expected = expectedIds(sentences, reference);
                assertEquals(expected, read(corpus, 0, 1), storage.name());
                assertEquals(expected.size(), corpus.sentences());
                assertEquals(reference.totalWords(), corpus.tokens());
                assertEquals(expected.stream().mapToInt(List::size).max().orElseThrow(), corpus.longestSentence());
                assertTrue(reference.size() < 30, "min-count 1000 must drop rare words for this test to mean anything");
            }
        }
    }

    @Test
    void partsCoverEverySentenceExactlyOnce() {
        List<List<String>> sentences = randomSentences(2000, 11);
        SentenceSource source = SentenceSource.of(sentences);
        for (EncodedCorpus.Storage storage : EncodedCorpus.Storage.values()) {
            try (EncodedCorpus corpus = EncodedCorpus.encode(source, 1, 0, storage, dir, false)) {
                List<List<Integer>> whole = read(corpus, 0, 1);
                for (int parts : new int[] {2, 3, 7, 64}) {
                    List<List<Integer>> joined = new ArrayList<>();
                    for (int part = 0; part < parts; part++) {
                        joined.addAll(read(corpus, part, parts));
                    }
                    assertEquals(whole, joined, parts + " parts, " + storage);
                }
            }
        }
    }

    @Test
    void largeCorpusCrossesFileBlocks() {
        // Over a million ids: several 1 MiB blocks for the file reader and the renumbering pass.
        List<List<String>> sentences = randomSentences(60_000, 3);
        SentenceSource source = SentenceSource.of(sentences);
        try (EncodedCorpus inFile = EncodedCorpus.encode(source, 2, 25, EncodedCorpus.Storage.TEMP_FILE, dir, false);
             EncodedCorpus inMemory = EncodedCorpus.encode(source, 2, 25, EncodedCorpus.Storage.MEMORY, dir, false)) {
            assertTrue(inFile.tokens() > 1_000_000, "corpus too small: " + inFile.tokens());
            assertEquals(expectedIds(sentences, inMemory.vocabulary()), read(inFile, 0, 1));
            List<List<Integer>> joined = new ArrayList<>();
            for (int part = 0; part < 3; part++) {
                joined.addAll(read(inFile, part, 3));
            }
            assertEquals(read(inMemory, 0, 1), joined);
        }
    }

    @Test
    void withAGivenVocabularyAndTheTemporaryFileIsDeleted() throws IOException {
        List<List<String>> sentences = List.of(List.of("a", "b", "zzz"), List.of("zzz"), List.of("b", "b"));
        Vocabulary vocabulary = Vocabulary.of(List.of("a", "b"), new long[] {1, 3});
        EncodedCorpus corpus = EncodedCorpus.encode(SentenceSource.of(sentences), vocabulary,
                EncodedCorpus.Storage.TEMP_FILE, dir, false);
        assertEquals(List.of(List.of(1, 0), List.of(0, 0)), read(corpus, 0, 1));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
        corpus.close();
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.findAny().isPresent(), "temporary file left behind");
        }
        assertThrows(GlossaException.class, () -> EncodedCorpus.encode(SentenceSource.of(List.of(List.of("zzz"))),
                vocabulary, EncodedCorpus.Storage.MEMORY, dir, false));
    }

    @Test
    void errorsLeaveNoTemporaryFile() throws IOException {
        GlossaException e = assertThrows(GlossaException.class, () -> EncodedCorpus.encode(
                SentenceSource.of(List.of(List.of("a", "b"))), 5, 0, EncodedCorpus.Storage.TEMP_FILE, dir, false));
        assertTrue(e.getMessage().startsWith("min-count 5 leaves no word"), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.findAny().isPresent(), "temporary file left behind");
        }
    }
}
