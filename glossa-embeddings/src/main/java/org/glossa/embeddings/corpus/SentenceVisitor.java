package org.glossa.embeddings.corpus;

/** Receives the sentences of a {@link SentenceSource}, one call per sentence. */
@FunctionalInterface
public interface SentenceVisitor {
    /**
     * @param tokens the sentence in {@code tokens[0..length)}; the array is reused for the next sentence,
     *               so copy what must outlive the call
     * @param length number of tokens, at least 1
     */
    void sentence(String[] tokens, int length);
}
