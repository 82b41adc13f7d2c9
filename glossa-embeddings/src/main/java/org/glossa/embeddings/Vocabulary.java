package org.glossa.embeddings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glossa.core.GlossaException;
import org.glossa.embeddings.corpus.SentenceSource;

/**
 * The words a model learns vectors for, with their corpus counts. Ids run from 0 (the most frequent
 * word) up, by descending count; words of equal count keep the order of their first occurrence in the
 * corpus, so that ids are reproducible (word2vec.c's qsort and gensim's numpy argsort, neither stable,
 * leave ties in an order of their own).
 * Immutable and thread-safe.
 */
public final class Vocabulary {
    private final String[] words;
    private final long[] counts;
    private final Map<String, Integer> ids;
    private final long totalWords;
    private final long corpusTokens;
    private final int corpusTypes;

    private Vocabulary(String[] words, long[] counts, long corpusTokens, int corpusTypes) {
        this.words = words;
        this.counts = counts;
        this.ids = new HashMap<>(words.length * 2);
        long total = 0;
        for (int i = 0; i < words.length; i++) {
            if (ids.put(words[i], i) != null) {
                throw new GlossaException("vocabulary lists the word '" + words[i] + "' twice");
            }
            total += counts[i];
        }
        this.totalWords = total;
        this.corpusTokens = corpusTokens;
        this.corpusTypes = corpusTypes;
    }

    /**
     * Counts the words of {@code source} (one pass) and keeps those occurring at least {@code minCount}
     * times, at most {@code maxSize} of them (the most frequent; 0 for no limit).
     *
     * @throws GlossaException if the corpus has no words or no word reaches {@code minCount}
     */
    public static Vocabulary build(SentenceSource source, int minCount, int maxSize) {
        checkLimits(minCount, maxSize); // before a long pass over the corpus
        Counter counter = new Counter();
        source.forEachSentence((tokens, length) -> {
            for (int i = 0; i < length; i++) {
                counter.add(tokens[i]);
            }
        });
        return counter.select(minCount, maxSize, source.description());
    }

    /** A vocabulary of the given words and counts (e.g. read from a vector file), re-sorted by descending count. */
    public static Vocabulary of(List<String> words, long[] counts) {
        if (words.size() != counts.length) {
            throw new GlossaException(words.size() + " words but " + counts.length + " counts");
        }
        Counter counter = new Counter();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new GlossaException("word '" + words.get(i) + "' has a negative count " + counts[i]);
            }
            if (counter.ids.containsKey(words.get(i))) {
                throw new GlossaException("vocabulary lists the word '" + words.get(i) + "' twice");
            }
            counter.add(words.get(i), counts[i]);
        }
        return counter.choose(0, 0, "the given word list");
    }

    /** Fails with a message naming the option when min-count or max-vocab is out of range. */
    public static void checkLimits(int minCount, int maxSize) {
        if (minCount < 1) {
            throw new GlossaException("min-count must be at least 1, got " + minCount);
        }
        if (maxSize < 0) {
            throw new GlossaException("max-vocab must be 0 (no limit) or positive, got " + maxSize);
        }
    }

    /** Number of words. */
    public int size() {
        return words.length;
    }

    /** The word of id {@code id}. */
    public String word(int id) {
        return words[id];
    }

    /** The corpus count of word {@code id}. */
    public long count(int id) {
        return counts[id];
    }

    /** The id of {@code word}, or -1 when it is not in the vocabulary. */
    public int id(String word) {
        Integer id = ids.get(word);
        return id == null ? -1 : id;
    }

    public boolean contains(String word) {
        return ids.containsKey(word);
    }

    /** All words, by id. */
    public List<String> words() {
        return Collections.unmodifiableList(Arrays.asList(words));
    }

    /** All counts, by id (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    /** Sum of the counts of the kept words: the words a pass over the corpus trains on. */
    public long totalWords() {
        return totalWords;
    }

    /** Tokens in the corpus, kept or not. */
    public long corpusTokens() {
        return corpusTokens;
    }

    /** Distinct words in the corpus before min-count and max-vocab. */
    public int corpusTypes() {
        return corpusTypes;
    }

    @Override
    public String toString() {
        return "Vocabulary[" + words.length + " words, " + totalWords + " of " + corpusTokens + " corpus tokens]";
    }

    /**
     * Counts words as a corpus is read, giving each a provisional id in order of first occurrence;
     * {@link #select} then builds the vocabulary. Not thread-safe.
     */
    public static final class Counter {
        private final HashMap<String, Integer> ids = new HashMap<>(1 << 16);
        private final List<String> words = new ArrayList<>(1 << 16);
        private long[] counts = new long[1 << 16];
        private long tokens;

        /** Counts one occurrence of {@code word}; returns its provisional id. */
        public int add(String word) {
            return add(word, 1);
        }

        int add(String word, long count) {
            tokens += count;
            Integer id = ids.get(word);
            if (id != null) {
                counts[id] += count;
                return id;
            }
            int fresh = words.size();
            ids.put(word, fresh);
            words.add(word);
            if (fresh == counts.length) {
                counts = Arrays.copyOf(counts, counts.length * 2);
            }
            counts[fresh] = count;
            return fresh;
        }

        /** Distinct words so far. */
        public int size() {
            return words.size();
        }

        /** Tokens counted so far. */
        public long tokens() {
            return tokens;
        }

        /** The word of provisional id {@code id}. */
        public String word(int id) {
            return words.get(id);
        }

        /**
         * The words counted at least {@code minCount} times, the {@code maxSize} most frequent (0: all),
         * sorted by descending count, ties in order of first occurrence.
         *
         * @param sourceName names the corpus in errors
         */
        public Vocabulary select(int minCount, int maxSize, String sourceName) {
            checkLimits(minCount, maxSize);
            return choose(minCount, maxSize, sourceName);
        }

        private Vocabulary choose(int minCount, int maxSize, String sourceName) {
            if (words.isEmpty()) {
                throw new GlossaException("corpus " + sourceName + " has no words");
            }
            int kept = 0;
            long highest = 0;
            for (int i = 0; i < words.size(); i++) {
                highest = Math.max(highest, counts[i]);
                if (counts[i] >= minCount) {
                    kept++;
                }
            }
            if (kept == 0) {
                throw new GlossaException("min-count " + minCount + " leaves no word of corpus " + sourceName
                        + " (its most frequent word occurs " + highest + " times)");
            }
            Integer[] order = new Integer[kept];
            for (int i = 0, k = 0; i < words.size(); i++) {
                if (counts[i] >= minCount) {
                    order[k++] = i;
                }
            }
            // Stable sort: equal counts stay in order of first occurrence.
            Arrays.sort(order, (a, b) -> Long.compare(counts[b], counts[a]));
            int size = maxSize > 0 ? Math.min(maxSize, kept) : kept;
            String[] sortedWords = new String[size];
            long[] sortedCounts = new long[size];
            for (int i = 0; i < size; i++) {
                sortedWords[i] = words.get(order[i]);
                sortedCounts[i] = counts[order[i]];
            }
            return new Vocabulary(sortedWords, sortedCounts, tokens, words.size());
        }
    }
}
