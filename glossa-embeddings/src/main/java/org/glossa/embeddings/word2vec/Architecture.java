package org.glossa.embeddings.word2vec;

/** The two word2vec models (Mikolov et al., 2013). */
public enum Architecture {
    /** Continuous bag of words: the mean (or sum) of the context vectors predicts the centre word. */
    CBOW,
    /** Skip-gram: each context word's vector predicts the centre word (word2vec.c's and gensim's pairing). */
    SKIP_GRAM
}
