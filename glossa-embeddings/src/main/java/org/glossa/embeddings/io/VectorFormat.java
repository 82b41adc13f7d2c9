package org.glossa.embeddings.io;

import org.glossa.core.GlossaException;

import java.util.Locale;

/** The word-vector file layouts Glossa reads and writes (see {@link VectorFiles}). */
public enum VectorFormat {
    /** word2vec.c {@code -binary 0} and gensim's text: a header line "N D", then "word v1 … vD" per line. */
    WORD2VEC_TEXT,
    /**
     * word2vec.c {@code -binary 1} and gensim's binary: a header line "N D", then per word its UTF-8 bytes,
     * a space and D little-endian float32; word2vec.c ends each row with a line break, gensim does not.
     */
    WORD2VEC_BINARY,
    /** Stanford GloVe's text output: "word v1 … vD" per line, no header. */
    GLOVE_TEXT;

    /** The format named {@code name}: text, binary, glove (or the constant names), any case. */
    public static VectorFormat parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "text", "txt", "word2vec-text" -> WORD2VEC_TEXT;
            case "binary", "bin", "word2vec-binary" -> WORD2VEC_BINARY;
            case "glove", "glove-text" -> GLOVE_TEXT;
            default -> throw new GlossaException("unknown vector format '" + name + "' (expected text, binary or glove)");
        };
    }

    /** The format a file name suggests (.bin → binary, .txt/.vec → text), ignoring a .gz suffix; null if none. */
    public static VectorFormat fromFileName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".bin")) {
            return WORD2VEC_BINARY;
        }
        if (name.endsWith(".txt") || name.endsWith(".vec")) {
            return WORD2VEC_TEXT;
        }
        return null;
    }
}
