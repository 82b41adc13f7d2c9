package org.glossa.embeddings.word2vec;

import java.nio.file.Path;
import org.glossa.core.GlossaException;
import org.glossa.embeddings.Vocabulary;
import org.glossa.embeddings.corpus.EncodedCorpus;

/**
 * Settings of a word2vec run. Defaults are word2vec.c's and gensim's where they agree; where they differ
 * the choice is noted. Build from {@link #defaults()} with the {@code with...} methods:
 * <pre>{@code
 * Word2VecOptions options = Word2VecOptions.defaults().withArchitecture(Architecture.SKIP_GRAM).withEpochs(5);
 * }</pre>
 * Invalid values throw {@link GlossaException} naming the option; checks that involve two options (so
 * that the order of {@code with...} calls does not matter) happen in {@link #validate()}, which training calls.
 *
 * @param architecture         CBOW (default, as both tools) or skip-gram
 * @param dimension            vector size (100)
 * @param window               maximum distance between centre and context word (5)
 * @param negative             negative samples per prediction, 0 for none (5)
 * @param hierarchicalSoftmax  also (or, with negative 0, only) train with hierarchical softmax over a
 *                             Huffman tree of the vocabulary (false)
 * @param sample               frequent-word subsampling threshold, 0 for none (1e-3)
 * @param minCount             words occurring fewer times are dropped (5)
 * @param maxVocab             keep at most this many words, the most frequent (0: no limit). Unlike gensim's
 *                             {@code max_vocab_size} (a memory cap while counting) this is a final size, like
 *                             gensim's {@code max_final_vocab}.
 * @param epochs               passes over the corpus (5)
 * @param alpha                initial learning rate; null for the architecture's default as in word2vec.c:
 *                             0.025 for skip-gram, 0.05 for CBOW (gensim uses 0.025 for both: set it
 *                             explicitly to compare with gensim)
 * @param minAlpha             final learning rate, reached linearly over all words of all epochs; null for
 *                             {@code alpha × 1e-4}, word2vec.c's floor (gensim's default is 1e-4 absolute)
 * @param cbowMean             CBOW averages the context vectors (true, as word2vec.c and gensim) or sums them;
 *                             with the sum the error is shared out among them, as gensim does
 * @param shrinkWindows        draw each centre word's window uniformly from 1..window, as both tools (true)
 * @param threads              training threads sharing the vectors without locks (Hogwild); 1 gives
 *                             bit-for-bit reproducible vectors for a given seed (default: available processors)
 * @param seed                 seeds the initial vectors and each thread's random numbers (1)
 * @param computeLoss          compute the per-epoch loss (true; costs a table look-up per prediction)
 * @param showProgress         draw a progress bar on standard error (true)
 * @param storage              where the word ids of a text corpus are kept during training (temporary file)
 * @param tempDirectory        directory of that temporary file; null for the system's temporary directory
 */
public record Word2VecOptions(
        Architecture architecture,
        int dimension,
        int window,
        int negative,
        boolean hierarchicalSoftmax,
        double sample,
        int minCount,
        int maxVocab,
        int epochs,
        Double alpha,
        Double minAlpha,
        boolean cbowMean,
        boolean shrinkWindows,
        int threads,
        long seed,
        boolean computeLoss,
        boolean showProgress,
        EncodedCorpus.Storage storage,
        Path tempDirectory) {

    public Word2VecOptions {
        if (architecture == null) {
            throw new GlossaException("architecture must be given (CBOW or SKIP_GRAM)");
        }
        positive("dimension", dimension);
        positive("window", window);
        positive("epochs", epochs);
        positive("threads", threads);
        if (negative < 0) {
            throw new GlossaException("negative must be 0 or more, got " + negative);
        }
        if (!(sample >= 0) || Double.isInfinite(sample)) {
            throw new GlossaException("sample must be 0 (off) or a positive threshold, got " + sample);
        }
        Vocabulary.checkLimits(minCount, maxVocab);
        if (alpha != null && !(alpha > 0 && Double.isFinite(alpha))) {
            throw new GlossaException("alpha must be positive, got " + alpha);
        }
        if (minAlpha != null && !(minAlpha >= 0 && Double.isFinite(minAlpha))) {
            throw new GlossaException("min-alpha must be 0 or positive, got " + minAlpha);
        }
        if (storage == null) {
            throw new GlossaException("storage must be given (MEMORY or TEMP_FILE)");
        }
    }

    /**
     * The checks across options: something to train (negative sampling or hierarchical softmax) and a final
     * learning rate not above the initial one.
     */
    public Word2VecOptions validate() {
        if (negative == 0 && !hierarchicalSoftmax) {
            throw new GlossaException("negative is 0 and hierarchical softmax is off: nothing to train");
        }
        if (effectiveMinAlpha() > effectiveAlpha()) {
            throw new GlossaException("min-alpha (" + effectiveMinAlpha() + ") must not exceed alpha ("
                    + effectiveAlpha() + ")");
        }
        return this;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new GlossaException(name + " must be at least 1, got " + value);
        }
    }

    /** CBOW, 100 dimensions, window 5, negative 5, sample 1e-3, min-count 5, 5 epochs, all processors. */
    public static Word2VecOptions defaults() {
        return new Word2VecOptions(Architecture.CBOW, 100, 5, 5, false, 1e-3, 5, 0, 5, null, null, true, true,
                Runtime.getRuntime().availableProcessors(), 1, true, true, EncodedCorpus.Storage.TEMP_FILE, null);
    }

    /** The learning rate the run starts with. */
    public double effectiveAlpha() {
        return effectiveAlpha(architecture, alpha);
    }

    /** The learning rate the run ends with. */
    public double effectiveMinAlpha() {
        return minAlpha != null ? minAlpha : effectiveAlpha() * 1e-4;
    }

    private static double effectiveAlpha(Architecture architecture, Double alpha) {
        if (alpha != null) {
            return alpha;
        }
        return architecture == Architecture.CBOW ? 0.05 : 0.025;
    }

    public Word2VecOptions withArchitecture(Architecture architecture) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withDimension(int dimension) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withWindow(int window) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withNegative(int negative) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withHierarchicalSoftmax(boolean hierarchicalSoftmax) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withSample(double sample) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withMinCount(int minCount) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withMaxVocab(int maxVocab) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withEpochs(int epochs) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    /** @param alpha the initial learning rate, or null for the architecture's default */
    public Word2VecOptions withAlpha(Double alpha) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    /** @param minAlpha the final learning rate, or null for alpha × 1e-4 */
    public Word2VecOptions withMinAlpha(Double minAlpha) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withCbowMean(boolean cbowMean) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withShrinkWindows(boolean shrinkWindows) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withThreads(int threads) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withSeed(long seed) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withComputeLoss(boolean computeLoss) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withShowProgress(boolean showProgress) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withStorage(EncodedCorpus.Storage storage) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }

    public Word2VecOptions withTempDirectory(Path tempDirectory) {
        return new Word2VecOptions(architecture, dimension, window, negative, hierarchicalSoftmax, sample, minCount,
                maxVocab, epochs, alpha, minAlpha, cbowMean, shrinkWindows, threads, seed, computeLoss, showProgress,
                storage, tempDirectory);
    }
}
