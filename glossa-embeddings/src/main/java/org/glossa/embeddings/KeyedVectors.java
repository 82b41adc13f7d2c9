package org.glossa.embeddings;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable word vectors: a vocabulary (most frequent first, as trainers and the C tool write them) and a
 * row-major matrix of {@code size() × dimension()} floats. Thread-safe.
 *
 * <p>SKELETON: the constructor and accessors are final API; similarity queries, I/O and evaluation are
 * being added.
 */
public final class KeyedVectors {
    private final List<String> words;
    private final Map<String, Integer> index;
    private final float[] vectors; // (N, D) row-major
    private final int dimension;
    private final long[] counts; // corpus counts by row, or null when unknown

    /**
     * @param words the vocabulary, row order; no duplicates
     * @param vectors row-major (words.size() × dimension), copied
     * @param dimension vector size
     * @param counts corpus frequency per word, or null
     */
    public KeyedVectors(List<String> words, float[] vectors, int dimension, long[] counts) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        if ((long) words.size() * dimension != vectors.length) {
            throw new IllegalArgumentException(words.size() + " words × " + dimension + " dimensions != "
                    + vectors.length + " floats");
        }
        if (counts != null && counts.length != words.size()) {
            throw new IllegalArgumentException(counts.length + " counts for " + words.size() + " words");
        }
        this.words = List.copyOf(words);
        this.index = new HashMap<>(words.size() * 2);
        for (int i = 0; i < words.size(); i++) {
            if (index.put(words.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate word '" + words.get(i) + "'");
            }
        }
        this.vectors = vectors.clone();
        this.dimension = dimension;
        this.counts = counts == null ? null : counts.clone();
    }

    public int size() {
        return words.size();
    }

    public int dimension() {
        return dimension;
    }

    public List<String> words() {
        return words;
    }

    /** Row of {@code word}, or -1. */
    public int indexOf(String word) {
        Integer i = index.get(word);
        return i == null ? -1 : i;
    }

    public boolean contains(String word) {
        return index.containsKey(word);
    }

    /** A copy of the vector of row {@code i}. */
    public float[] vector(int i) {
        return Arrays.copyOfRange(vectors, i * dimension, (i + 1) * dimension);
    }

    /** Corpus count of row {@code i}, or -1 when unknown. */
    public long count(int i) {
        return counts == null ? -1 : counts[i];
    }
}
