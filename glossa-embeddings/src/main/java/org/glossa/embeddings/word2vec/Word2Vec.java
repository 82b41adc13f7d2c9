package org.glossa.embeddings.word2vec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.glossa.core.GlossaException;
import org.glossa.core.Progress;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.Vocabulary;
import org.glossa.embeddings.corpus.EncodedCorpus;
import org.glossa.embeddings.corpus.SentenceSource;

/**
 * Trains word2vec (Mikolov et al., 2013): CBOW or skip-gram, with negative sampling and/or hierarchical
 * softmax, by asynchronous SGD over shared float arrays (Hogwild), as word2vec.c and gensim do.
 *
 * <pre>{@code
 * SentenceSource corpus = TextCorpus.lines(Path.of("corpus.txt"), TextOptions.defaults().withLowercase(true));
 * Word2VecResult result = Word2Vec.train(corpus, Word2VecOptions.defaults().withArchitecture(Architecture.SKIP_GRAM));
 * KeyedVectors vectors = result.vectors();
 * }</pre>
 *
 * <p>Behaviour that follows word2vec.c: words below min-count are removed before windows are formed;
 * frequent words are dropped with probability {@code 1 - (sqrt(f / (s·T)) + 1) · (s·T) / f} (count
 * {@code f}, threshold {@code s}, corpus words {@code T}), afresh in every epoch, also before windowing;
 * each centre word draws its window size uniformly from 1..window; skip-gram trains each (context, centre)
 * pair with the context word's vector as input; CBOW averages the context vectors and adds the whole
 * error to each of them; the logistic function comes from a table over [-6, 6] (word2vec.c's 1000 cells,
 * but evaluated at cell centres with the exact scale, where word2vec.c truncates 1000/12 to 83); a dot
 * product beyond ±6 saturates the negative-sampling gradient and skips the hierarchical-softmax node;
 * the learning rate falls linearly with the words read, every 10000 words. Threads split the corpus
 * into contiguous parts, each thread training on its part (and updating the shared vectors without
 * locks); they meet at the end of each epoch to report it.
 *
 * <p>The float loops are {@link FloatKernels}: plain Java, or the Vector API when the JVM has
 * {@code jdk.incubator.vector} ({@link #kernel()} tells which); the vectors are the same either way.
 *
 * <p>Differences: negative samples come from an exact alias table rather than word2vec.c's 10^8-entry
 * table; there is no {@code </s>} token; with CBOW summing (not averaging) the context, the error is divided
 * among the context words, as in gensim.
 */
public final class Word2Vec {
    static final float MAX_EXP = 6;
    static final int TABLE_SIZE = 1000;
    private static final float TABLE_SCALE = TABLE_SIZE / (2 * MAX_EXP);
    /** σ(x) at the centre of each of the 1000 cells of [-6, 6], plus one cell for x = 6 exactly. */
    static final float[] SIGMOID = new float[TABLE_SIZE + 1];
    /** -log σ(x) at the 1001 cell edges of [-6, 6] (and one more), interpolated linearly for the loss. */
    static final float[] NEG_LOG_SIGMOID = new float[TABLE_SIZE + 2];
    private static final long LCG_MULTIPLIER = 25214903917L; // word2vec.c's linear congruential generator
    private static final long LCG_INCREMENT = 11;
    private static final int ALPHA_UPDATE_WORDS = 10_000;
    private static final int SUBSAMPLE_BITS = 24;
    private static final FloatKernels KERNELS = FloatKernels.INSTANCE;

    static {
        for (int i = 0; i <= TABLE_SIZE; i++) {
            double x = (i + 0.5) / TABLE_SCALE - MAX_EXP;
            SIGMOID[i] = (float) (1 / (1 + Math.exp(-x)));
        }
        for (int i = 0; i < NEG_LOG_SIGMOID.length; i++) {
            double x = i / TABLE_SCALE - MAX_EXP;
            NEG_LOG_SIGMOID[i] = (float) Math.log1p(Math.exp(-x));
        }
    }

    private Word2Vec() {}

    /**
     * Which float loops train: "Vector API (8 lanes)" when the JVM runs with
     * {@code --add-modules jdk.incubator.vector} (about 1.6 times faster end to end on the Wikipedia extract),
     * else "scalar".
     * Both give identical vectors.
     */
    public static String kernel() {
        return KERNELS.description();
    }

    /** Trains on a text corpus, read once into word ids (see {@link EncodedCorpus}) with the options' vocabulary limits. */
    public static Word2VecResult train(SentenceSource corpus, Word2VecOptions options) {
        return train(corpus, options, Word2VecListener.NONE);
    }

    public static Word2VecResult train(SentenceSource corpus, Word2VecOptions options, Word2VecListener listener) {
        options.validate(); // before reading the corpus
        try (EncodedCorpus encoded = EncodedCorpus.encode(corpus, options.minCount(), options.maxVocab(),
                options.storage(), options.tempDirectory(), options.showProgress())) {
            return train(encoded, options, listener);
        }
    }

    /**
     * Trains on a corpus already encoded (e.g. to train several models on one reading). Its vocabulary is
     * used as it is: the options' min-count and max-vocab do not apply.
     */
    public static Word2VecResult train(EncodedCorpus corpus, Word2VecOptions options, Word2VecListener listener) {
        return new Run(corpus, options.validate(), listener).execute();
    }

    /**
     * The probability that subsampling keeps one occurrence of a word counted {@code count} times among
     * {@code totalWords} (word2vec.c's formula, capped at 1); 1 when {@code sample} is 0.
     */
    static double keepProbability(long count, long totalWords, double sample) {
        if (sample <= 0) {
            return 1;
        }
        double threshold = sample * totalWords;
        return Math.min(1, (Math.sqrt(count / threshold) + 1) * threshold / count);
    }

    /**
     * -log σ(x), the loss of one logistic unit: inside ±6 the table, interpolated linearly (error below
     * 1e-5); outside, e^-x and e^x - x (log1p(e^-x) and -x + log1p(e^x) to within 3e-6).
     */
    static float negLogSigmoid(float x) {
        if (x >= MAX_EXP) {
            return (float) Math.exp(-x);
        }
        if (x <= -MAX_EXP) {
            return (float) (Math.exp(x) - x);
        }
        float position = (x + MAX_EXP) * TABLE_SCALE;
        int cell = (int) position;
        float fraction = position - cell;
        return NEG_LOG_SIGMOID[cell] + fraction * (NEG_LOG_SIGMOID[cell + 1] - NEG_LOG_SIGMOID[cell]);
    }

    /** One training run: the shared weights, the threads and the epoch bookkeeping. */
    private static final class Run {
        final EncodedCorpus corpus;
        final Vocabulary vocabulary;
        final Word2VecOptions options;
        final Word2VecListener listener;
        final int dimension;
        final float[] syn0;          // (V, D) input vectors: the result
        float[] syn1neg;             // (V, D) output vectors of negative sampling, or null
        float[] syn1;                // (V - 1, D) inner-node vectors of hierarchical softmax, or null
        final HuffmanTree tree;
        final UnigramSampler sampler;
        final int[] keepThreshold;   // subsampling: keep a word when a 24-bit random number is below this
        final long totalWords;       // words of all epochs: the learning rate's schedule
        final double startAlpha;
        final double endAlpha;
        final AtomicLong wordsDone = new AtomicLong();
        final List<EpochReport> reports = new ArrayList<>();
        final Worker[] workers;
        final CyclicBarrier epochEnd;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        Progress progress;
        long epochStartNanos;
        int epochsDone;

        Run(EncodedCorpus corpus, Word2VecOptions options, Word2VecListener listener) {
            this.corpus = corpus;
            this.vocabulary = corpus.vocabulary();
            this.options = options;
            this.listener = listener;
            this.dimension = options.dimension();
            int v = vocabulary.size();
            if (v < 2) {
                throw new GlossaException("the vocabulary of corpus " + corpus.description() + " has " + v
                        + " word: word2vec needs at least 2 (lower min-count?)");
            }
            long cells = (long) v * dimension;
            if (cells > Integer.MAX_VALUE - 16) {
                throw new GlossaException(v + " words × " + dimension + " dimensions is too many vectors for one "
                        + "Java array (limit 2^31 floats): raise min-count, set max-vocab or lower dimension");
            }
            syn0 = new float[(int) cells];
            long random = options.seed();
            for (int i = 0; i < syn0.length; i++) {
                // Uniform in [-0.5, 0.5) / D, as word2vec.c and gensim initialise.
                random = random * LCG_MULTIPLIER + LCG_INCREMENT;
                syn0[i] = (((random >>> 40) / (float) (1 << 24)) - 0.5f) / dimension;
            }
            syn1neg = options.negative() > 0 ? new float[(int) cells] : null;
            syn1 = options.hierarchicalSoftmax() ? new float[(int) cells - dimension] : null;
            long[] counts = vocabulary.counts();
            tree = options.hierarchicalSoftmax() ? HuffmanTree.build(counts) : null;
            sampler = options.negative() > 0 ? new UnigramSampler(counts) : null;
            keepThreshold = new int[v];
            for (int w = 0; w < v; w++) {
                double keep = keepProbability(counts[w], vocabulary.totalWords(), options.sample());
                keepThreshold[w] = keep >= 1 ? Integer.MAX_VALUE : (int) Math.ceil(keep * (1 << SUBSAMPLE_BITS));
            }
            totalWords = corpus.tokens() * options.epochs();
            startAlpha = options.effectiveAlpha();
            endAlpha = options.effectiveMinAlpha();
            workers = new Worker[options.threads()];
            for (int t = 0; t < workers.length; t++) {
                workers[t] = new Worker(this, t);
            }
            epochEnd = new CyclicBarrier(workers.length, this::finishEpoch);
        }

        Word2VecResult execute() {
            long start = System.nanoTime();
            progress = options.showProgress() ? Progress.start("word2vec", totalWords, "words") : Progress.quiet();
            try {
                epochStartNanos = start;
                if (workers.length == 1) {
                    workers[0].run();
                } else {
                    Thread[] threads = new Thread[workers.length];
                    for (int t = 0; t < threads.length; t++) {
                        threads[t] = new Thread(workers[t], "word2vec-" + t);
                        threads[t].setDaemon(true);
                        threads[t].start();
                    }
                    for (Thread thread : threads) {
                        joinUninterruptibly(thread);
                    }
                }
            } finally {
                progress.close();
            }
            Throwable error = failure.get();
            if (error instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (error instanceof Error fatal) {
                throw fatal;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // The output weights are not part of the result: let them go before the vectors are copied.
            syn1neg = null;
            syn1 = null;
            Arrays.fill(workers, null);
            KeyedVectors vectors = new KeyedVectors(vocabulary.words(), syn0, dimension, vocabulary.counts());
            return new Word2VecResult(vectors, vocabulary, reports, seconds);
        }

        private static void joinUninterruptibly(Thread thread) {
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** The learning rate after {@code done} of {@link #totalWords} words: linear, never below the final rate. */
        float alphaAt(long done) {
            double alpha = startAlpha - (startAlpha - endAlpha) * ((double) done / totalWords);
            return (float) Math.max(endAlpha, alpha);
        }

        /** Barrier action: the last thread to finish the epoch sums the threads' figures. */
        private void finishEpoch() {
            long now = System.nanoTime();
            double loss = 0;
            long predictions = 0;
            long words = 0;
            long trained = 0;
            for (Worker worker : workers) {
                loss += worker.epochLoss;
                predictions += worker.epochPredictions;
                words += worker.epochWords;
                trained += worker.epochTrainedWords;
                worker.epochLoss = 0;
                worker.epochPredictions = 0;
                worker.epochWords = 0;
                worker.epochTrainedWords = 0;
            }
            epochsDone++;
            double meanLoss = options.computeLoss() && predictions > 0 ? loss / predictions : Double.NaN;
            EpochReport report = new EpochReport(epochsDone, options.epochs(), meanLoss, predictions, words, trained,
                    (now - epochStartNanos) / 1e9, alphaAt(wordsDone.get()));
            reports.add(report);
            epochStartNanos = now;
            listener.epochFinished(report);
        }

        void fail(Throwable error) {
            failure.compareAndSet(null, error);
            epochEnd.reset(); // releases threads waiting at the barrier
        }
    }

    /** One training thread: its part of the corpus, its random numbers and scratch vectors. */
    private static final class Worker implements Runnable {
        private final Run run;
        private final int part;
        private final int dim;
        private final int window;
        private final int negative;
        private final boolean hs;
        private final boolean cbow;
        private final boolean cbowMean;
        private final boolean shrink;
        private final boolean computeLoss;
        private final boolean subsample;
        private final float[] syn0;
        private final float[] syn1neg;
        private final float[] syn1;
        private final int[] keepThreshold;
        private final float[] neu1;   // (D) CBOW's hidden layer: the context mean
        private final float[] neu1e;  // (D) the error to add to the input vectors
        private final int[] sentence;
        private final int[] kept;     // the sentence after subsampling
        private final int[] targets;  // negative sampling: the word and its negatives
        private float touched;        // keeps the loads of touchRows from being optimised away
        private long random;
        private float alpha;
        private long wordsSinceUpdate;

        // This epoch's figures, read by the barrier action.
        double epochLoss;
        long epochPredictions;
        long epochWords;
        long epochTrainedWords;

        Worker(Run run, int part) {
            this.run = run;
            this.part = part;
            Word2VecOptions options = run.options;
            this.dim = options.dimension();
            this.window = options.window();
            this.negative = options.negative();
            this.hs = options.hierarchicalSoftmax();
            this.cbow = options.architecture() == Architecture.CBOW;
            this.cbowMean = options.cbowMean();
            this.shrink = options.shrinkWindows();
            this.computeLoss = options.computeLoss();
            this.subsample = options.sample() > 0;
            this.syn0 = run.syn0;
            this.syn1neg = run.syn1neg;
            this.syn1 = run.syn1;
            this.keepThreshold = run.keepThreshold;
            this.neu1 = new float[dim];
            this.neu1e = new float[dim];
            int longest = Math.max(1, run.corpus.longestSentence());
            this.sentence = new int[longest];
            this.kept = new int[longest];
            this.targets = new int[negative + 1];
            this.random = mix(options.seed() + 0x9E3779B97F4A7C15L * (part + 1));
            this.alpha = (float) run.startAlpha;
        }

        /** SplitMix64's finaliser: distinct, well-spread starting states for the threads' generators. */
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        @Override
        public void run() {
            try {
                for (int epoch = 0; epoch < run.options.epochs(); epoch++) {
                    try (EncodedCorpus.SentenceReader reader = run.corpus.reader(part, run.workers.length)) {
                        int length;
                        while ((length = reader.next(sentence)) >= 0) {
                            if (run.failure.get() != null) {
                                return;
                            }
                            trainSentence(length);
                        }
                    }
                    reportWords();
                    run.epochEnd.await();
                }
            } catch (BrokenBarrierException e) {
                // another thread failed: its error is reported
            } catch (InterruptedException e) {
                run.fail(new GlossaException("word2vec training was interrupted"));
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                run.fail(e);
            }
        }

        private void reportWords() {
            long done = run.wordsDone.addAndGet(wordsSinceUpdate);
            run.progress.advance(wordsSinceUpdate);
            wordsSinceUpdate = 0;
            alpha = run.alphaAt(done);
            run.listener.progress(done, run.totalWords, alpha);
        }

        private void trainSentence(int length) {
            epochWords += length;
            wordsSinceUpdate += length;
            if (wordsSinceUpdate >= ALPHA_UPDATE_WORDS) {
                reportWords();
            }
            int n = 0;
            for (int i = 0; i < length; i++) {
                int word = sentence[i];
                if (subsample) {
                    random = random * LCG_MULTIPLIER + LCG_INCREMENT;
                    if ((int) (random >>> (64 - SUBSAMPLE_BITS)) >= keepThreshold[word]) {
                        continue;
                    }
                }
                kept[n++] = word;
            }
            epochTrainedWords += n;
            if (cbow) {
                trainCbow(n);
            } else {
                trainSkipGram(n);
            }
        }

        /** A window size reduction in 0..window-1, uniform, as word2vec.c's {@code b}. */
        private int reduction() {
            if (!shrink) {
                return 0;
            }
            random = random * LCG_MULTIPLIER + LCG_INCREMENT;
            return (int) (((random >>> 32) * window) >>> 32);
        }

        private void trainSkipGram(int length) {
            final int[] s = kept;
            for (int pos = 0; pos < length; pos++) {
                int word = s[pos];
                int reach = window - reduction();
                int from = Math.max(0, pos - reach);
                int to = Math.min(length, pos + reach + 1);
                for (int c = from; c < to; c++) {
                    if (c == pos) {
                        continue;
                    }
                    int input = s[c] * dim;
                    Arrays.fill(neu1e, 0f);
                    if (hs) {
                        hierarchicalSoftmax(syn0, input, word);
                    }
                    if (negative > 0) {
                        negativeSampling(syn0, input, word);
                    }
                    KERNELS.add(syn0, input, neu1e, 0, dim);
                    epochPredictions++;
                }
            }
        }

        private void trainCbow(int length) {
            final int[] s = kept;
            for (int pos = 0; pos < length; pos++) {
                int word = s[pos];
                int reach = window - reduction();
                int from = Math.max(0, pos - reach);
                int to = Math.min(length, pos + reach + 1);
                int contexts = to - from - 1;
                if (contexts == 0) {
                    continue;
                }
                touchRows(syn0, s, from, to);
                Arrays.fill(neu1, 0f);
                for (int c = from; c < to; c++) {
                    if (c != pos) {
                        KERNELS.add(neu1, 0, syn0, s[c] * dim, dim);
                    }
                }
                if (cbowMean) {
                    scale(neu1, 1f / contexts, dim);
                }
                Arrays.fill(neu1e, 0f);
                if (hs) {
                    hierarchicalSoftmax(neu1, 0, word);
                }
                if (negative > 0) {
                    negativeSampling(neu1, 0, word);
                }
                if (!cbowMean) {
                    scale(neu1e, 1f / contexts, dim); // gensim: the summed input's error is shared out
                }
                for (int c = from; c < to; c++) {
                    if (c != pos) {
                        KERNELS.add(syn0, s[c] * dim, neu1e, 0, dim);
                    }
                }
                epochPredictions++;
            }
        }

        /**
         * Reads one float in each cache line of the rows {@code rows[from..to)} of {@code weights}: a prefetch.
         * The rows are far apart in arrays of tens of megabytes; loads issued together wait for memory
         * together, where the training loops would wait for one row after another (this alone makes
         * skip-gram about 1.5 times faster on a 65k-word vocabulary).
         */
        private void touchRows(float[] weights, int[] rows, int from, int to) {
            float sum = 0;
            for (int r = from; r < to; r++) {
                int offset = rows[r] * dim;
                for (int k = 0; k < dim; k += 16) {
                    sum += weights[offset + k];
                }
                sum += weights[offset + dim - 1];
            }
            touched += sum;
        }

        /** Negative sampling: the target word as a positive example, {@code negative} sampled words as negatives. */
        private void negativeSampling(float[] in, int inOffset, int word) {
            final float a = alpha;
            final UnigramSampler unigrams = run.sampler;
            double loss = 0;
            // Draw the negatives first (the same random numbers in the same order as drawing each in turn)
            // and touch their rows, so that their cache misses overlap instead of queueing one by one.
            targets[0] = word;
            for (int d = 1; d <= negative; d++) {
                long r1 = random * LCG_MULTIPLIER + LCG_INCREMENT;
                long r2 = r1 * LCG_MULTIPLIER + LCG_INCREMENT;
                random = r2;
                targets[d] = unigrams.sample(r1, r2);
            }
            touchRows(syn1neg, targets, 0, negative + 1);
            for (int d = 0; d <= negative; d++) {
                int target = targets[d];
                boolean positive = d == 0;
                if (!positive && target == word) {
                    continue;
                }
                int out = target * dim;
                float f = KERNELS.dot(in, inOffset, syn1neg, out, dim);
                float label = positive ? 1f : 0f;
                float g;
                if (f > MAX_EXP) {
                    g = (label - 1) * a;
                } else if (f < -MAX_EXP) {
                    g = label * a;
                } else {
                    g = (label - SIGMOID[(int) ((f + MAX_EXP) * TABLE_SCALE)]) * a;
                }
                if (computeLoss) {
                    loss += negLogSigmoid(positive ? f : -f);
                }
                KERNELS.update(neu1e, syn1neg, out, in, inOffset, g, dim);
            }
            epochLoss += loss;
        }

        /** Hierarchical softmax: one logistic decision per inner node on the target word's Huffman path. */
        private void hierarchicalSoftmax(float[] in, int inOffset, int word) {
            final float a = alpha;
            final HuffmanTree huffman = run.tree;
            double loss = 0;
            touchRows(syn1, huffman.points, huffman.offsets[word], huffman.offsets[word + 1]);
            for (int i = huffman.offsets[word], end = huffman.offsets[word + 1]; i < end; i++) {
                int out = huffman.points[i] * dim;
                float f = KERNELS.dot(in, inOffset, syn1, out, dim);
                int code = huffman.codes[i];
                if (computeLoss) {
                    loss += negLogSigmoid(code == 0 ? f : -f); // bit 0 is the "positive" side, as in word2vec.c
                }
                if (f <= -MAX_EXP || f >= MAX_EXP) {
                    continue;
                }
                float g = (1 - code - SIGMOID[(int) ((f + MAX_EXP) * TABLE_SCALE)]) * a;
                KERNELS.update(neu1e, syn1, out, in, inOffset, g, dim);
            }
            epochLoss += loss;
        }
    }

    static void scale(float[] a, float factor, int n) {
        for (int i = 0; i < n; i++) {
            a[i] *= factor;
        }
    }
}
