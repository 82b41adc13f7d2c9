package org.glossa.embeddings.glove;

import org.glossa.core.GlossaException;

/** Which parameters become the word vectors: glove.c's {@code -model} option. */
public enum OutputMode {
    /** {@code -model 0}: everything, [w, b, w̃, b̃] (2 × (vectorSize + 1) values per word). */
    ALL(0),
    /** {@code -model 1}: the word vectors w alone. */
    WORD(1),
    /** {@code -model 2} (default): w + w̃, the sum the GloVe paper recommends. */
    WORD_PLUS_CONTEXT(2),
    /** {@code -model 3}: [w, w̃] side by side (2 × vectorSize values). */
    WORD_AND_CONTEXT(3);

    private final int model;

    OutputMode(int model) {
        this.model = model;
    }

    /** glove.c's number for this mode. */
    public int model() {
        return model;
    }

    /** The mode of glove.c's {@code -model} number. */
    public static OutputMode ofModel(int model) {
        for (OutputMode mode : values()) {
            if (mode.model == model) {
                return mode;
            }
        }
        throw new GlossaException("GloVe output model must be 0 (all), 1 (word), 2 (word + context) or 3 (word and context), got " + model);
    }

    /** Values per word for vectors of {@code vectorSize}. */
    public int dimension(int vectorSize) {
        return switch (this) {
            case ALL -> 2 * (vectorSize + 1);
            case WORD, WORD_PLUS_CONTEXT -> vectorSize;
            case WORD_AND_CONTEXT -> 2 * vectorSize;
        };
    }
}
