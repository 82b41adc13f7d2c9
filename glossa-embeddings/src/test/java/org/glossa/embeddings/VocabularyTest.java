package org.glossa.embeddings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.glossa.core.GlossaException;
import org.glossa.embeddings.corpus.SentenceSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class VocabularyTest {

    private static SentenceSource corpus(String... lines) {
        return SentenceSource.of(Arrays.stream(lines).map(line -> List.of(line.split(" "))).toList());
    }

    // Counts: the 5, cat 3, sat 3, on 2, mat 2, a 1, dog 1; first occurrences in that order except
    // that "mat" first occurs before "on".
    private static final SentenceSource TEXT = corpus("the cat sat", "the mat the cat", "sat on a mat", "the dog on the cat sat");

    @Test
    void idsByDescendingCountTiesByFirstOccurrence() {
        Vocabulary vocabulary = Vocabulary.build(TEXT, 1, 0);
        assertEquals(List.of("the", "cat", "sat", "mat", "on", "a", "dog"), vocabulary.words());
        assertArrayEquals(new long[] {5, 3, 3, 2, 2, 1, 1}, vocabulary.counts());
        assertEquals(17, vocabulary.totalWords());
        assertEquals(17, vocabulary.corpusTokens());
        assertEquals(7, vocabulary.corpusTypes());
        assertEquals(3, vocabulary.id("mat"));
        assertEquals(-1, vocabulary.id("bird"));
        assertEquals("on", vocabulary.word(4));
        assertEquals(2, vocabulary.count(4));
        assertTrue(vocabulary.contains("dog"));
        assertFalse(vocabulary.contains("Dog"));
    }

    @Test
    void minCountAndMaxVocab() {
        Vocabulary atLeastTwo = Vocabulary.build(TEXT, 2, 0);
        assertEquals(List.of("the", "cat", "sat", "mat", "on"), atLeastTwo.words());
        assertEquals(15, atLeastTwo.totalWords());
        assertEquals(17, atLeastTwo.corpusTokens());
        // The limit cuts between two words of equal count: the earlier one stays.
        Vocabulary four = Vocabulary.build(TEXT, 1, 4);
        assertEquals(List.of("the", "cat", "sat", "mat"), four.words());
        assertEquals(List.of("the", "cat"), Vocabulary.build(TEXT, 3, 2).words());
        assertEquals(atLeastTwo.words(), Vocabulary.build(TEXT, 2, 100).words());
    }

    @Test
    void ofSortsGivenCounts() {
        Vocabulary vocabulary = Vocabulary.of(List.of("b", "a", "c", "d"), new long[] {1, 7, 1, 3});
        assertEquals(List.of("a", "d", "b", "c"), vocabulary.words());
        assertArrayEquals(new long[] {7, 3, 1, 1}, vocabulary.counts());
        assertThrows(GlossaException.class, () -> Vocabulary.of(List.of("a", "a"), new long[] {1, 2}));
        assertThrows(GlossaException.class, () -> Vocabulary.of(List.of("a"), new long[] {1, 2}));
    }

    @Test
    void emptyCorpusAndExcessiveMinCountAreErrors() {
        GlossaException empty = assertThrows(GlossaException.class, () -> Vocabulary.build(corpus(), 1, 0));
        assertEquals("corpus in-memory corpus of 0 sentences has no words", empty.getMessage());
        GlossaException none = assertThrows(GlossaException.class, () -> Vocabulary.build(TEXT, 6, 0));
        assertEquals("min-count 6 leaves no word of corpus in-memory corpus of 4 sentences"
                + " (its most frequent word occurs 5 times)", none.getMessage());
        assertEquals("min-count must be at least 1, got 0",
                assertThrows(GlossaException.class, () -> Vocabulary.build(TEXT, 0, 0)).getMessage());
        assertEquals("max-vocab must be 0 (no limit) or positive, got -1",
                assertThrows(GlossaException.class, () -> Vocabulary.build(TEXT, 1, -1)).getMessage());
    }
}
