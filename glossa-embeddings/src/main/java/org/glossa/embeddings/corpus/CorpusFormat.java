package org.glossa.embeddings.corpus;

/** How the lines of a text corpus map to sentences. */
public enum CorpusFormat {
    /**
     * One sentence per line (as gensim's {@code LineSentence} reads files): a line break ends a sentence,
     * so windows never cross it; a line longer than the maximum sentence length is cut into pieces.
     */
    LINES,
    /**
     * Raw running text (like text8): line breaks are plain whitespace and sentences are consecutive
     * pieces of the maximum sentence length.
     */
    RAW,
    /**
     * The output of WikiExtractor: like {@link #LINES} (one paragraph per line), but the
     * {@code <doc id=... title=...>} and {@code </doc>} lines are dropped. The article title, which
     * WikiExtractor writes as the first line of each document, is kept as a sentence of its own: it is
     * text of the article and the C tools fed the same file see it too.
     */
    WIKIEXTRACTOR
}
