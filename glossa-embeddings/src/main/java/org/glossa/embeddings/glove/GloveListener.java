package org.glossa.embeddings.glove;

/** Follows a GloVe run. Methods are called from the thread that runs the pipeline; keep them quick. */
public interface GloveListener {
    /** After a stage of {@link Glove#train}: "vocabulary", "cooccurrence", "shuffle" or "training". */
    default void stageFinished(String stage, double seconds) {}

    /** After each training iteration, once every thread has finished it (and after its checkpoint, if any). */
    default void iterationFinished(IterationReport report) {}

    GloveListener NONE = new GloveListener() {};
}
