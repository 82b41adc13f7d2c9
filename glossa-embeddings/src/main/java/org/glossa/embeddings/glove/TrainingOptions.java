package org.glossa.embeddings.glove;

import java.nio.file.Path;
import org.glossa.core.GlossaException;

/**
 * Settings of {@link GloveTrainer}, with the defaults of Stanford GloVe's {@code glove} (its demo script
 * uses {@code -iter 15 -x-max 10}).
 *
 * @param vectorSize      dimension of the word vectors, biases excluded (50)
 * @param iterations      passes over the shuffled co-occurrences (25)
 * @param eta             initial AdaGrad learning rate (0.05)
 * @param alpha           exponent of the weighting function f(x) = (x / xMax)^alpha below xMax (0.75)
 * @param xMax            co-occurrence value from which f(x) = 1 (100)
 * @param gradClip        gradient components are clipped to [-gradClip, gradClip] before the learning rate (100)
 * @param threads         Hogwild threads, each taking an equal slice of the shuffled file as glove.c does;
 *                        1 is bit-for-bit reproducible for a given seed (default: available processors)
 * @param seed            seeds the initial vectors (1)
 * @param checkpointEvery save a checkpoint every this many iterations (0: never)
 * @param checkpointFile  where checkpoints go (replaced atomically each time); required when checkpointEvery > 0
 * @param showProgress    draw a progress bar on standard error (true)
 */
public record TrainingOptions(int vectorSize, int iterations, double eta, double alpha, double xMax, double gradClip,
                              int threads, long seed, int checkpointEvery, Path checkpointFile, boolean showProgress) {

    public TrainingOptions {
        if (vectorSize < 1) {
            throw new GlossaException("vector-size must be at least 1, got " + vectorSize);
        }
        if (iterations < 1) {
            throw new GlossaException("iterations must be at least 1, got " + iterations);
        }
        positive("eta", eta);
        positive("x-max", xMax);
        positive("grad-clip", gradClip);
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new GlossaException("alpha must be 0 or more, got " + alpha);
        }
        if (threads < 1) {
            throw new GlossaException("threads must be at least 1, got " + threads);
        }
        if (checkpointEvery < 0) {
            throw new GlossaException("checkpoint-every must be 0 (never) or more, got " + checkpointEvery);
        }
        if (checkpointEvery > 0 && checkpointFile == null) {
            throw new GlossaException("checkpoint-every " + checkpointEvery + " needs a checkpoint file");
        }
    }

    private static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new GlossaException(name + " must be positive, got " + value);
        }
    }

    /** glove.c's defaults: 50 dimensions, 25 iterations, eta 0.05, alpha 0.75, x-max 100, clip 100. */
    public static TrainingOptions defaults() {
        return new TrainingOptions(50, 25, 0.05, 0.75, 100, 100, Runtime.getRuntime().availableProcessors(), 1, 0,
                null, true);
    }

    public TrainingOptions withVectorSize(int vectorSize) {
        return new TrainingOptions(vectorSize, iterations, eta, alpha, xMax, gradClip, threads, seed, checkpointEvery,
                checkpointFile, showProgress);
    }

    public TrainingOptions withIterations(int iterations) {
        return new TrainingOptions(vectorSize, iterations, eta, alpha, xMax, gradClip, threads, seed, checkpointEvery,
                checkpointFile, showProgress);
    }

    public TrainingOptions withEta(double eta) {
        return new TrainingOptions(vectorSize, iterations, eta, alpha, xMax, gradClip, threads, seed, checkpointEvery,
                checkpointFile, showProgress);
    }

    public TrainingOptions withAlpha(double alpha) {
        return new TrainingOptions(vectorSize, iterations, eta, alpha, xMax, gradClip, threads, seed, checkpointEvery,
                checkpointFile, showProgress);
    }

    public TrainingOptions withXMax(double xMax) {
        return new TrainingOptions(vectorSize, iterations, eta, alpha, xMax, gradClip, threads, seed, checkpointEvery,
                checkpointFile, showProgress);
    }

    public TrainingOptions withGradClip(double gradClip) {
        return new TrainingOptions(vectorSize, iterations, eta, alpha, xMax, gradClip, threads, seed, checkpointEvery,
                checkpointFile, showProgress);
    }

    public TrainingOptions withThreads(int threads) {
        return new TrainingOptions(vectorSize, iterations, eta, alpha, xMax, gradClip, threads, seed, checkpointEvery,
                checkpointFile, showProgress);
    }

    public TrainingOptions withSeed(long seed) {
        return new TrainingOptions(vectorSize, iterations, eta, alpha, xMax, gradClip, threads, seed, checkpointEvery,
                checkpointFile, showProgress);
    }

    /** Checkpoints to {@code file} every {@code every} iterations (0: never). */
    public TrainingOptions withCheckpoints(int every, Path file) {
        return new TrainingOptions(vectorSize, iterations, eta, alpha, xMax, gradClip, threads, seed, every, file,
                showProgress);
    }

    public TrainingOptions withShowProgress(boolean showProgress) {
        return new TrainingOptions(vectorSize, iterations, eta, alpha, xMax, gradClip, threads, seed, checkpointEvery,
                checkpointFile, showProgress);
    }
}
