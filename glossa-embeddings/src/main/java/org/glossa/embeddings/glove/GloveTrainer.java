package org.glossa.embeddings.glove;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.glossa.core.GlossaException;
import org.glossa.core.Progress;

/**
 * Trains GloVe vectors on a shuffled {@link CooccurrenceFile} as Stanford GloVe's {@code glove} does:
 * AdaGrad on J = Σ f(X_ij) (w_i·w̃_j + b_i + b̃_j − log X_ij)², f(x) = (x / xMax)^alpha below xMax and 1
 * above, one pass over the file per iteration, each of the threads taking an equal contiguous slice of it
 * and updating the shared parameters without locks (Hogwild).
 *
 * <p>The update follows glove.c: with fdiff = f(X)·diff, each vector component's gradient is clipped to
 * [-gradClip, gradClip], multiplied by eta and divided by the square root of its running sum of squared
 * (scaled) gradients, which it then joins; the biases take fdiff / sqrt(sum) with no learning rate and no
 * clipping, as in glove.c. Records whose error is not finite are skipped.
 *
 * <p>Speed: arithmetic is in float where glove.c uses double, which halves the memory the random row
 * accesses pull in; each record's rows are copied to small scratch arrays so that the JIT vectorises the
 * update loops, and the rows of a record a few places ahead are touched early so that their cache misses
 * overlap the current record's work. The costs printed match glove.c's on the same file (see the tests).
 */
public final class GloveTrainer {
    private GloveTrainer() {}

    /** Trains fresh parameters (seeded) on {@code shuffled}, whose ids are below {@code vocabularySize}. */
    public static GloveParameters train(Path shuffled, int vocabularySize, TrainingOptions options,
                                        GloveListener listener) {
        if (vocabularySize < 1) {
            throw new GlossaException("cannot train GloVe on an empty vocabulary");
        }
        long records = checkedRecords(shuffled);
        GloveParameters parameters = GloveParameters.initial(vocabularySize, options.vectorSize(), options.seed());
        parameters.records = records;
        run(parameters, shuffled, records, options, listener);
        return parameters;
    }

    /**
     * Continues the run saved in {@code checkpoint} up to {@code options.iterations()}. With one thread the
     * result is bit-for-bit that of a run never interrupted.
     */
    public static GloveParameters resume(Path checkpoint, Path shuffled, TrainingOptions options,
                                         GloveListener listener) {
        GloveParameters parameters = GloveParameters.loadCheckpoint(checkpoint);
        if (parameters.vectorSize != options.vectorSize()) {
            throw new GlossaException("checkpoint " + checkpoint + " has vector size " + parameters.vectorSize
                    + ", the options ask for " + options.vectorSize());
        }
        long records = checkedRecords(shuffled);
        if (parameters.records >= 0 && parameters.records != records) {
            throw new GlossaException("checkpoint " + checkpoint + " was trained on " + parameters.records
                    + " co-occurrence records, " + shuffled + " has " + records + ": not the same file");
        }
        parameters.records = records;
        run(parameters, shuffled, records, options, listener);
        return parameters;
    }

    private static long checkedRecords(Path shuffled) {
        long records = CooccurrenceFile.records(shuffled);
        if (records == 0) {
            throw new GlossaException("co-occurrence file " + shuffled + " is empty: nothing to train on");
        }
        return records;
    }

    private static void run(GloveParameters parameters, Path shuffled, long records, TrainingOptions options,
                            GloveListener listener) {
        int threads = (int) Math.max(1, Math.min(options.threads(), records));
        int remaining = options.iterations() - parameters.iterationsDone;
        ByteBuffer[] blocks = null; // one read buffer per thread, reused every iteration
        ExecutorService pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "glove-train");
            thread.setDaemon(true);
            return thread;
        });
        try (Progress progress = options.showProgress()
                ? Progress.start("training GloVe", Math.max(0, remaining) * records, "records") : Progress.quiet()) {
            while (parameters.iterationsDone < options.iterations()) {
                long start = System.nanoTime();
                Slice[] slices = new Slice[threads];
                if (blocks == null) {
                    blocks = new ByteBuffer[threads];
                    for (int t = 0; t < threads; t++) {
                        blocks[t] = ByteBuffer.allocateDirect(CooccurrenceFile.BLOCK_RECORDS * CooccurrenceFile.RECORD_BYTES)
                                .order(ByteOrder.LITTLE_ENDIAN);
                    }
                }
                for (int t = 0; t < threads; t++) {
                    // glove.c: every thread gets records/threads, the last one also the remainder.
                    long from = records / threads * t;
                    long to = t == threads - 1 ? records : from + records / threads;
                    slices[t] = new Slice(parameters, shuffled, from, to, options, progress, blocks[t]);
                }
                if (pool == null) {
                    slices[0].run();
                } else {
                    List<Future<?>> futures = new ArrayList<>();
                    for (Slice slice : slices) {
                        futures.add(pool.submit(slice));
                    }
                    waitFor(futures);
                }
                double cost = 0;
                long skipped = 0;
                for (Slice slice : slices) {
                    cost += slice.cost;
                    skipped += slice.skipped;
                }
                parameters.iterationsDone++;
                if (options.checkpointEvery() > 0 && parameters.iterationsDone % options.checkpointEvery() == 0) {
                    parameters.saveCheckpoint(options.checkpointFile());
                }
                listener.iterationFinished(new IterationReport(parameters.iterationsDone, options.iterations(),
                        cost / records, records, skipped, (System.nanoTime() - start) / 1e9));
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private static void waitFor(List<Future<?>> futures) {
        try {
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GlossaException("interrupted while training GloVe", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw new GlossaException("GloVe training failed: " + e.getCause(), e.getCause());
        }
    }

    /** One thread's share of an iteration: records [from, to) of the shuffled file. */
    private static final class Slice implements Runnable {
        private final GloveParameters p;
        private final Path file;
        private final long from;
        private final long to;
        private final TrainingOptions options;
        private final Progress progress;
        double cost;
        long skipped;

        private final ByteBuffer block;

        Slice(GloveParameters parameters, Path file, long from, long to, TrainingOptions options, Progress progress,
              ByteBuffer block) {
            this.block = block;
            this.p = parameters;
            this.file = file;
            this.from = from;
            this.to = to;
            this.options = options;
            this.progress = progress;
        }

        @Override
        public void run() {
            final int d = p.vectorSize;
            final int stride = d + 1;
            final int v = p.vocabularySize;
            final float[] w = p.word;
            final float[] c = p.context;
            final float[] gw = p.wordGradsq;
            final float[] gc = p.contextGradsq;
            final double xMax = options.xMax();
            final double alpha = options.alpha();
            final double logXMax = Math.log(xMax);
            Kernel kernel = new Kernel(d, (float) options.eta(), (float) options.gradClip());
            ByteBuffer block = this.block;
            double sum = 0;
            long bad = 0;
            float sink = 0;
            try (CooccurrenceFile.Reader reader = new CooccurrenceFile.Reader(file, v, from, to)) {
                int count;
                while ((count = reader.readBlock(block)) > 0) {
                    checkIds(block, count, v);
                    for (int r = 0; r < count; r++) {
                        int base = r * CooccurrenceFile.RECORD_BYTES;
                        if (r + PREFETCH < count) {
                            int ahead = base + PREFETCH * CooccurrenceFile.RECORD_BYTES;
                            sink += touch(w, gw, (block.getInt(ahead) - 1) * stride, stride)
                                    + touch(c, gc, (block.getInt(ahead + 4) - 1) * stride, stride);
                        }
                        int l1 = (block.getInt(base) - 1) * stride;
                        int l2 = (block.getInt(base + 4) - 1) * stride;
                        double x = block.getDouble(base + 8);
                        double logX = Math.log(x);
                        // f(x) = (x / xMax)^alpha below xMax, from log x, which is needed anyway
                        double weight = x < xMax ? Math.exp(alpha * (logX - logXMax)) : 1.0;
                        float cost = kernel.step(w, gw, l1, c, gc, l2, (float) logX, (float) weight);
                        if (Float.isNaN(cost)) {
                            bad++;
                        } else {
                            sum += cost;
                        }
                    }
                    progress.advance(count);
                }
            }
            cost = sum + (sink == Float.MIN_VALUE ? 0 : 0); // keeps the prefetching loads alive
            skipped = bad;
        }

        private void checkIds(ByteBuffer block, int count, int v) {
            for (int r = 0; r < count; r++) {
                int first = block.getInt(r * CooccurrenceFile.RECORD_BYTES);
                int second = block.getInt(r * CooccurrenceFile.RECORD_BYTES + 4);
                if (first < 1 || first > v || second < 1 || second > v) {
                    throw new GlossaException("co-occurrence file " + file + ": a record has word ranks (" + first
                            + ", " + second + ") outside the vocabulary of " + v + " words");
                }
            }
        }

        /**
         * Reads one value per cache line of a row and of its squared-gradient row so that the memory system
         * fetches them while earlier records are being computed (Java has no prefetch instruction).
         */
        private static float touch(float[] values, float[] gradsq, int at, int length) {
            float s = 0;
            for (int o = 0; o < length; o += 16) {
                s += values[at + o] + gradsq[at + o];
            }
            return s + values[at + length - 1] + gradsq[at + length - 1];
        }
    }

    /** Records ahead whose rows are fetched early. */
    private static final int PREFETCH = 4;

    /**
     * One record's AdaGrad step. The rows are copied to scratch arrays first: with every array indexed
     * from 0 the JIT turns the loops into vector instructions, which it does not for rows at two
     * different offsets.
     */
    static final class Kernel {
        private final int d;
        private final float eta;
        private final float clip;
        private final float[] w;  // (D + 1) word vector and bias
        private final float[] c;  // (D + 1) context vector and bias
        private final float[] gw; // (D + 1)
        private final float[] gc; // (D + 1)

        Kernel(int d, float eta, float clip) {
            this.d = d;
            this.eta = eta;
            this.clip = clip;
            this.w = new float[d + 1];
            this.c = new float[d + 1];
            this.gw = new float[d + 1];
            this.gc = new float[d + 1];
        }

        /**
         * Trains on one record: word row at {@code l1}, context row at {@code l2}, log X and f(X).
         *
         * @return its weighted squared error ½·f·diff², or NaN when the error was not finite and the record was skipped
         */
        float step(float[] words, float[] wordGradsq, int l1, float[] contexts, float[] contextGradsq, int l2,
                   float logX, float weight) {
            final int n = d + 1;
            final float[] w = this.w;
            final float[] c = this.c;
            final float[] gw = this.gw;
            final float[] gc = this.gc;
            System.arraycopy(words, l1, w, 0, n);
            System.arraycopy(contexts, l2, c, 0, n);
            // Dot product and squared norms, each in four partial sums.
            float p0 = 0, p1 = 0, p2 = 0, p3 = 0;
            float ww = 0, cc = 0;
            int b = 0;
            for (; b + 3 < d; b += 4) {
                p0 += w[b] * c[b];
                p1 += w[b + 1] * c[b + 1];
                p2 += w[b + 2] * c[b + 2];
                p3 += w[b + 3] * c[b + 3];
                ww += w[b] * w[b] + w[b + 1] * w[b + 1] + w[b + 2] * w[b + 2] + w[b + 3] * w[b + 3];
                cc += c[b] * c[b] + c[b + 1] * c[b + 1] + c[b + 2] * c[b + 2] + c[b + 3] * c[b + 3];
            }
            for (; b < d; b++) {
                p0 += w[b] * c[b];
                ww += w[b] * w[b];
                cc += c[b] * c[b];
            }
            float diff = (p0 + p1) + (p2 + p3) + w[d] + c[d] - logX;
            float fdiff = weight * diff;
            if (!Float.isFinite(diff) || !Float.isFinite(fdiff)) {
                return Float.NaN; // glove.c skips such records too
            }
            System.arraycopy(wordGradsq, l1, gw, 0, n);
            System.arraycopy(contextGradsq, l2, gc, 0, n);
            final float f = fdiff;
            final float rate = eta;
            // No component of fdiff·w or fdiff·c can exceed the clip value when fdiff²·‖v‖² is below its
            // square; then clipping changes nothing and the loop can skip it (the common case by far).
            if (f * f * Math.max(ww, cc) < 0.99f * clip * clip) {
                for (int k = 0; k < d; k++) {
                    float oldW = w[k];
                    float oldC = c[k];
                    float g1 = f * oldC * rate;
                    float g2 = f * oldW * rate;
                    w[k] = oldW - g1 / (float) Math.sqrt(gw[k]);
                    c[k] = oldC - g2 / (float) Math.sqrt(gc[k]);
                    gw[k] += g1 * g1;
                    gc[k] += g2 * g2;
                }
            } else {
                for (int k = 0; k < d; k++) {
                    float oldW = w[k];
                    float oldC = c[k];
                    float g1 = clamp(f * oldC) * rate;
                    float g2 = clamp(f * oldW) * rate;
                    w[k] = oldW - g1 / (float) Math.sqrt(gw[k]);
                    c[k] = oldC - g2 / (float) Math.sqrt(gc[k]);
                    gw[k] += g1 * g1;
                    gc[k] += g2 * g2;
                }
            }
            // Biases: no learning rate and no clipping, as in glove.c.
            w[d] -= f / (float) Math.sqrt(gw[d]);
            c[d] -= f / (float) Math.sqrt(gc[d]);
            gw[d] += f * f;
            gc[d] += f * f;
            System.arraycopy(w, 0, words, l1, n);
            System.arraycopy(c, 0, contexts, l2, n);
            System.arraycopy(gw, 0, wordGradsq, l1, n);
            System.arraycopy(gc, 0, contextGradsq, l2, n);
            return 0.5f * f * diff;
        }

        private float clamp(float x) {
            return x > clip ? clip : (x < -clip ? -clip : x);
        }
    }
}
