package org.glossa.embeddings.word2vec;

/** Follows a word2vec training run. Methods may be called from training threads; keep them quick. */
public interface Word2VecListener {
    /** After each epoch, once every thread has finished it. */
    default void epochFinished(EpochReport report) {}

    /**
     * Every few thousand words.
     *
     * @param wordsDone  words read so far, all epochs together
     * @param totalWords words of the whole run (epochs × corpus words)
     * @param alpha      the current learning rate
     */
    default void progress(long wordsDone, long totalWords, double alpha) {}

    Word2VecListener NONE = new Word2VecListener() {};
}
