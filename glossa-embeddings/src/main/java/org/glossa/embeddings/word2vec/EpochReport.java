package org.glossa.embeddings.word2vec;

/**
 * What one epoch did.
 *
 * @param epoch          1-based
 * @param epochs         the number of epochs of the run
 * @param loss           mean negative log-likelihood per prediction in this epoch alone (not cumulative):
 *                       per predicted (input, target) pair, {@code -log σ(u·v_target) - Σ log σ(-u·v_negative)}
 *                       for negative sampling plus {@code -Σ log σ(±u·v_node)} along the Huffman path for
 *                       hierarchical softmax; NaN when loss computation is off. A skip-gram prediction is a
 *                       (context word, centre word) pair, a CBOW prediction is one centre word.
 * @param predictions    predictions made (the loss's denominator)
 * @param words          corpus words read (in the vocabulary, before subsampling)
 * @param trainedWords   words left after frequent-word subsampling
 * @param seconds        wall-clock time of the epoch
 * @param alpha          the learning rate at the end of the epoch
 */
public record EpochReport(int epoch, int epochs, double loss, long predictions, long words, long trainedWords,
                          double seconds, double alpha) {

    /** Corpus words per second (before subsampling, as word2vec.c and gensim count). */
    public double wordsPerSecond() {
        return seconds > 0 ? words / seconds : 0;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "epoch %d/%d: loss %.4f, %d words (%d after subsampling) in %.1f s, %.0f words/s, alpha %.6f",
                epoch, epochs, loss, words, trainedWords, seconds, wordsPerSecond(), alpha);
    }
}
