package org.glossa.tasks.translate;

/** A sentence and its translation, both normalised ({@link TextNormalizer}). */
public record SentencePair(String source, String target) {
    /** The same pair the other way round. */
    public SentencePair reversed() {
        return new SentencePair(target, source);
    }
}
