package org.glossa.embeddings.word2vec;

import java.util.List;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.Vocabulary;

/**
 * What a word2vec run produced.
 *
 * @param vectors    the input (word) vectors, word2vec.c's {@code syn0}, rows in vocabulary order, with counts
 * @param vocabulary the vocabulary trained on
 * @param epochs     one report per epoch
 * @param seconds    wall-clock time of the training (not of reading the corpus)
 */
public record Word2VecResult(KeyedVectors vectors, Vocabulary vocabulary, List<EpochReport> epochs, double seconds) {

    public Word2VecResult {
        epochs = List.copyOf(epochs);
    }

    /** Corpus words per second over the whole training (before subsampling, all epochs). */
    public double wordsPerSecond() {
        long words = epochs.stream().mapToLong(EpochReport::words).sum();
        return seconds > 0 ? words / seconds : 0;
    }
}
