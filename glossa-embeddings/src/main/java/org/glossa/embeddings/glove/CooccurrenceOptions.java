package org.glossa.embeddings.glove;

import java.nio.file.Path;
import org.glossa.core.GlossaException;

/**
 * How {@link CooccurrenceCounter} counts, with Stanford GloVe's {@code cooccur} defaults.
 *
 * @param windowSize        words on each side of a word that count as its context (15)
 * @param symmetric         count the right context too, as {@code cooccur -symmetric 1} (true); false counts
 *                          only (word, earlier word) pairs
 * @param distanceWeighting add 1/d for a pair d words apart, as {@code cooccur -distance-weighting 1} (true);
 *                          false adds 1
 * @param memoryBytes       soft limit for the dense table and the sparse buffer together, like the
 *                          {@code -memory} option (in bytes here); the sparse buffer spills sorted runs to
 *                          temporary files when full
 * @param threads           counting threads (each reads the whole corpus and counts the pairs whose first word
 *                          it owns); 1 by default, like cooccur: the counting is bound by memory latency, and
 *                          on the 2-core benchmark machine two threads were slower than one
 * @param tempDirectory     where spilled runs go; null for the system's temporary directory
 */
public record CooccurrenceOptions(int windowSize, boolean symmetric, boolean distanceWeighting, long memoryBytes,
                                  int threads, Path tempDirectory) {
    /** The window is packed into a few bits of each sparse entry. */
    public static final int MAX_WINDOW = 1023;

    public CooccurrenceOptions {
        if (windowSize < 1 || windowSize > MAX_WINDOW) {
            throw new GlossaException("window-size must be between 1 and " + MAX_WINDOW + ", got " + windowSize);
        }
        if (memoryBytes < 1) {
            throw new GlossaException("memory must be positive, got " + memoryBytes + " bytes");
        }
        if (threads < 1) {
            throw new GlossaException("threads must be at least 1, got " + threads);
        }
    }

    /** Window 15, symmetric, 1/d weights, 4 GB (capped at half the Java heap), one thread. */
    public static CooccurrenceOptions defaults() {
        return new CooccurrenceOptions(15, true, true, GloveOptions.defaultMemoryBytes(), 1, null);
    }

    public CooccurrenceOptions withWindowSize(int windowSize) {
        return new CooccurrenceOptions(windowSize, symmetric, distanceWeighting, memoryBytes, threads, tempDirectory);
    }

    public CooccurrenceOptions withSymmetric(boolean symmetric) {
        return new CooccurrenceOptions(windowSize, symmetric, distanceWeighting, memoryBytes, threads, tempDirectory);
    }

    public CooccurrenceOptions withDistanceWeighting(boolean distanceWeighting) {
        return new CooccurrenceOptions(windowSize, symmetric, distanceWeighting, memoryBytes, threads, tempDirectory);
    }

    public CooccurrenceOptions withMemoryBytes(long memoryBytes) {
        return new CooccurrenceOptions(windowSize, symmetric, distanceWeighting, memoryBytes, threads, tempDirectory);
    }

    public CooccurrenceOptions withThreads(int threads) {
        return new CooccurrenceOptions(windowSize, symmetric, distanceWeighting, memoryBytes, threads, tempDirectory);
    }

    public CooccurrenceOptions withTempDirectory(Path tempDirectory) {
        return new CooccurrenceOptions(windowSize, symmetric, distanceWeighting, memoryBytes, threads, tempDirectory);
    }
}
