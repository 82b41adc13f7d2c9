package org.glossa.embeddings.corpus;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.glossa.core.GlossaException;

/**
 * How text becomes tokens.
 *
 * @param lowercase         lower-case every token (with {@code Locale.ROOT}); off by default, as in word2vec.c
 * @param tokenPattern      a regular expression whose matches are the tokens (e.g. {@link #LETTERS_OR_DIGITS}),
 *                          or null to split on whitespace as word2vec.c and gensim's {@code LineSentence} do;
 *                          whitespace means Unicode whitespace as Python's {@code str.split()} sees it
 *                          (ASCII blanks, U+001C..U+001F, U+0085, no-break and other Unicode spaces)
 * @param maxSentenceLength longer sentences are cut into pieces of this many tokens; the default, 10000,
 *                          is gensim's (word2vec.c uses 1000): it only matters for very long lines or raw text
 */
public record TextOptions(boolean lowercase, String tokenPattern, int maxSentenceLength) {

    /** Runs of letters or runs of digits: drops punctuation and splits "don't" into "don", "t". */
    public static final String LETTERS_OR_DIGITS = "\\p{L}+|\\p{N}+";

    public static final int DEFAULT_MAX_SENTENCE_LENGTH = 10_000;

    public TextOptions {
        if (maxSentenceLength < 1) {
            throw new GlossaException("max-sentence-length must be at least 1, got " + maxSentenceLength);
        }
        if (tokenPattern != null) {
            compile(tokenPattern);
        }
    }

    /** Whitespace tokens, case kept, sentences of at most 10000 tokens. */
    public static TextOptions defaults() {
        return new TextOptions(false, null, DEFAULT_MAX_SENTENCE_LENGTH);
    }

    public TextOptions withLowercase(boolean lowercase) {
        return new TextOptions(lowercase, tokenPattern, maxSentenceLength);
    }

    public TextOptions withTokenPattern(String tokenPattern) {
        return new TextOptions(lowercase, tokenPattern, maxSentenceLength);
    }

    public TextOptions withMaxSentenceLength(int maxSentenceLength) {
        return new TextOptions(lowercase, tokenPattern, maxSentenceLength);
    }

    /** The compiled token pattern, or null for whitespace splitting. */
    Pattern compiledPattern() {
        return tokenPattern == null ? null : compile(tokenPattern);
    }

    private static Pattern compile(String regex) {
        if (regex.isEmpty()) {
            throw new GlossaException("token pattern is empty (leave it unset to split on whitespace)");
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new GlossaException("token pattern '" + regex + "' is not a valid regular expression: "
                    + e.getDescription());
        }
    }
}
