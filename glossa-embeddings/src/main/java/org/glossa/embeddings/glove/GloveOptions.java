package org.glossa.embeddings.glove;

import java.nio.file.Path;
import org.glossa.core.GlossaException;
import org.glossa.embeddings.Vocabulary;

/**
 * Settings of a whole GloVe run ({@link Glove#train}): vocabulary, co-occurrence counting, shuffling and
 * training. Defaults are those of Stanford GloVe's tools ({@code vocab_count}, {@code cooccur},
 * {@code shuffle}, {@code glove}) except min-count, 5 as in its demo script ({@code vocab_count} keeps every
 * word); {@link #demo()} has all of the demo's settings. Build with the {@code with...} methods:
 * <pre>{@code
 * GloveOptions options = GloveOptions.demo().withThreads(2).withWorkDirectory(Path.of("glove-work"));
 * }</pre>
 *
 * @param minCount          words occurring fewer times are dropped (5)
 * @param maxVocab          keep at most this many words, the most frequent (0: no limit)
 * @param windowSize        context words on each side (15)
 * @param symmetric         count left and right context (true)
 * @param distanceWeighting a pair d words apart adds 1/d (true) rather than 1
 * @param memoryBytes       memory for co-occurrence counting and for shuffling, like the tools' {@code -memory}
 *                          (default 4 GB, but at most half the Java heap)
 * @param vectorSize        vector dimension (50)
 * @param iterations        training passes (25)
 * @param eta               initial learning rate (0.05)
 * @param alpha             exponent of the weighting function (0.75)
 * @param xMax              cutoff of the weighting function (100)
 * @param gradClip          gradient component clipping (100)
 * @param threads           training threads (available processors); 1 is reproducible. Counting uses one
 *                          thread, as cooccur does (see {@link CooccurrenceOptions#threads()})
 * @param seed              seeds the shuffle and the initial vectors (1)
 * @param outputMode        which parameters become the vectors ({@link OutputMode#WORD_PLUS_CONTEXT})
 * @param unkVector         add glove.c's "&lt;unk&gt;" vector to the result (false; glove.c writes it)
 * @param checkpointEvery   checkpoint the training every this many iterations (0: never); needs a work directory
 * @param workDirectory     where the stages leave their files (vocab.txt, cooccurrence.bin,
 *                          cooccurrence.shuf.bin, checkpoint.safetensors, run.properties) and keep them; null
 *                          for a temporary directory deleted at the end
 * @param resume            reuse what an earlier run left in the work directory: finished stages are skipped
 *                          and training continues from the checkpoint
 * @param showProgress      draw progress bars on standard error (true)
 * @param tempDirectory     where temporary files go; null for the system's temporary directory
 */
public record GloveOptions(int minCount, int maxVocab, int windowSize, boolean symmetric, boolean distanceWeighting,
                           long memoryBytes, int vectorSize, int iterations, double eta, double alpha, double xMax,
                           double gradClip, int threads, long seed, OutputMode outputMode, boolean unkVector,
                           int checkpointEvery, Path workDirectory, boolean resume, boolean showProgress,
                           Path tempDirectory) {

    public GloveOptions {
        Vocabulary.checkLimits(minCount, maxVocab);
        if (outputMode == null) {
            throw new GlossaException("output mode must be given");
        }
        if (resume && workDirectory == null) {
            throw new GlossaException("resume needs the work directory of the run to resume");
        }
        if (checkpointEvery > 0 && workDirectory == null) {
            throw new GlossaException("checkpoint-every needs a work directory to keep the checkpoints in");
        }
        // Validate the stages' settings now rather than after a long pass over the corpus (the fields are
        // not assigned yet inside a compact constructor, hence the explicit arguments).
        new CooccurrenceOptions(windowSize, symmetric, distanceWeighting, memoryBytes, 1, tempDirectory);
        new TrainingOptions(vectorSize, iterations, eta, alpha, xMax, gradClip, threads, seed, 0, null, showProgress);
        if (checkpointEvery < 0) {
            throw new GlossaException("checkpoint-every must be 0 (never) or more, got " + checkpointEvery);
        }
    }

    /** 4 GB like the GloVe demo's {@code MEMORY=4.0}, but at most half of the Java heap. */
    public static long defaultMemoryBytes() {
        return Math.min(4L << 30, Runtime.getRuntime().maxMemory() / 2);
    }

    /** The tools' defaults (see the class comment). */
    public static GloveOptions defaults() {
        TrainingOptions t = TrainingOptions.defaults();
        return new GloveOptions(5, 0, 15, true, true, defaultMemoryBytes(), t.vectorSize(), t.iterations(), t.eta(),
                t.alpha(), t.xMax(), t.gradClip(), t.threads(), t.seed(), OutputMode.WORD_PLUS_CONTEXT, false, 0,
                null, false, true, null);
    }

    /** The settings of GloVe's demo.sh: min-count 5, window 15, 50 dimensions, 15 iterations, x-max 10. */
    public static GloveOptions demo() {
        return defaults().withIterations(15).withXMax(10);
    }

    /** The counting stage's settings. */
    public CooccurrenceOptions cooccurrenceOptions() {
        return new CooccurrenceOptions(windowSize, symmetric, distanceWeighting, memoryBytes, 1, tempDirectory);
    }

    /** The training stage's settings (checkpoint file set by {@link Glove}). */
    public TrainingOptions trainingOptions() {
        return new TrainingOptions(vectorSize, iterations, eta, alpha, xMax, gradClip, threads, seed, 0, null,
                showProgress);
    }

    public GloveOptions withMinCount(int minCount) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withMaxVocab(int maxVocab) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withWindowSize(int windowSize) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withSymmetric(boolean symmetric) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withDistanceWeighting(boolean distanceWeighting) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withMemoryBytes(long memoryBytes) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    /** Memory in gigabytes (2^30 bytes), as the tools' {@code -memory}. */
    public GloveOptions withMemoryGb(double gigabytes) {
        if (!(gigabytes > 0) || Double.isInfinite(gigabytes)) {
            throw new GlossaException("memory must be a positive number of GB, got " + gigabytes);
        }
        return withMemoryBytes((long) (gigabytes * (1L << 30)));
    }

    public GloveOptions withVectorSize(int vectorSize) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withIterations(int iterations) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withEta(double eta) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withAlpha(double alpha) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withXMax(double xMax) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withGradClip(double gradClip) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withThreads(int threads) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withSeed(long seed) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withOutputMode(OutputMode outputMode) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withUnkVector(boolean unkVector) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withCheckpointEvery(int checkpointEvery) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withWorkDirectory(Path workDirectory) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withResume(boolean resume) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withShowProgress(boolean showProgress) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }

    public GloveOptions withTempDirectory(Path tempDirectory) {
        return new GloveOptions(minCount, maxVocab, windowSize, symmetric, distanceWeighting, memoryBytes, vectorSize,
                iterations, eta, alpha, xMax, gradClip, threads, seed, outputMode, unkVector, checkpointEvery,
                workDirectory, resume, showProgress, tempDirectory);
    }
}
