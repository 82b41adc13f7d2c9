package org.glossa.embeddings.glove;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.Progress;

/**
 * Counts word-word co-occurrences the way Stanford GloVe's {@code cooccur} does and writes them, sorted by
 * (word1, word2) and summed, to one {@link CooccurrenceFile}.
 *
 * <p>What is counted (as {@code cooccur}): within each sentence (a line of the corpus: windows never cross
 * a line break), every word is paired with each of the {@code windowSize} words before it; a pair d words
 * apart adds 1/d (or 1 without distance weighting) to the entry (earlier word, later word) and, when
 * symmetric, to (later word, earlier word). Words outside the vocabulary are dropped before the windows
 * are laid, so they take no room in them.
 *
 * <p>How it stays within memory (the same split as {@code cooccur}): pairs of frequent words land in a
 * dense table of doubles holding, for every word of frequency rank a (1-based), the partners of rank
 * b with a·b ≤ maxProduct; the table is sized to a quarter of the memory budget. Other pairs go to a sparse buffer
 * of packed longs (word1, word2, distance) which, when full, is radix-sorted, summed per pair and spilled to a
 * temporary file. At the end the dense table, the spilled runs and the buffers are merged (summing
 * duplicates) into the output, and the temporary files are deleted.
 *
 * <p>Threads: each counting thread reads the whole id corpus (cheap) but handles only the entries whose
 * first word it owns (word id modulo threads), so dense rows are never written by two threads and no
 * lock is needed.
 */
public final class CooccurrenceCounter {
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
    private static final int MAX_MERGE_FAN_IN = 64; // open files per merge pass
    private static final int INITIAL_BUFFER = 1 << 20;
    private static final int RADIX_BITS = 11;
    private static final int RADIX_MASK = (1 << RADIX_BITS) - 1;
    // Shares of the memory budget. A larger dense table saves sorting but its random updates miss the
    // caches more: on the 10 M-word Wikipedia extract a quarter of 4 GB (about cooccur's own table size for
    // this budget) counted fastest.
    private static final double DENSE_SHARE = 0.25;
    private static final double SPARSE_SHARE = 0.6;  // buffers and radix scratch; the rest is slack

    /** Sentences of word ids (0-based, all in the vocabulary), readable any number of times, from several threads at once. */
    @FunctionalInterface
    public interface IdSentences {
        void forEachSentence(IdSentenceVisitor visitor);
    }

    /** Receives one sentence: {@code ids[0..length)}, reused after the call. */
    @FunctionalInterface
    public interface IdSentenceVisitor {
        void sentence(int[] ids, int length);
    }

    /**
     * What a count produced.
     *
     * @param tokens      corpus words read (per pass; each thread reads them all)
     * @param records     distinct (word1, word2) records written
     * @param spilledRuns sorted runs written to temporary files
     * @param maxProduct  the dense table's bound on the product of frequency ranks
     * @param seconds     wall-clock time
     */
    public record Stats(long tokens, long records, int spilledRuns, long maxProduct, double seconds) {}

    private final int vocabularySize;
    private final CooccurrenceOptions options;
    private final int threads;
    private final long maxProduct;
    private final int[] rowLength;  // dense partners per word: ids b < rowLength[a] are in the table
    private final long[] rowStart;  // offset of each word's row in the dense table
    private final double[] dense;
    private final int sparseCapacity; // per thread
    private final int idBits;
    private final int distanceBits;
    private final double[] weightOfDistance;
    private final List<Path> runs = new ArrayList<>();
    private final byte[] owner; // counting thread of each first word (id mod threads), null with one thread

    private CooccurrenceCounter(int vocabularySize, CooccurrenceOptions options) {
        this.vocabularySize = vocabularySize;
        this.options = options;
        this.threads = Math.min(options.threads(), vocabularySize);
        this.idBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(vocabularySize - 1));
        this.distanceBits = 32 - Integer.numberOfLeadingZeros(options.windowSize());
        if (2 * idBits + distanceBits > 63) {
            throw new GlossaException("vocabulary of " + vocabularySize + " words is too large to count co-occurrences"
                    + " with window-size " + options.windowSize());
        }
        long denseEntries = Math.min(MAX_ARRAY, (long) (options.memoryBytes() * DENSE_SHARE / Double.BYTES));
        this.maxProduct = maxProductFor(vocabularySize, denseEntries);
        this.rowLength = new int[vocabularySize];
        this.rowStart = new long[vocabularySize + 1];
        for (int a = 0; a < vocabularySize; a++) {
            rowLength[a] = (int) Math.min(vocabularySize, maxProduct / (a + 1));
            rowStart[a + 1] = rowStart[a] + rowLength[a];
        }
        this.dense = new double[(int) rowStart[vocabularySize]];
        // Two arrays per thread: the buffer and the radix sort's scratch.
        long sparse = (long) (options.memoryBytes() * SPARSE_SHARE / Long.BYTES / threads / 2);
        // At least room for one word's entries (2 × window) plus a margin, whatever the budget.
        this.sparseCapacity = (int) Math.min(MAX_ARRAY, Math.max(sparse, 4L * options.windowSize() + 16));
        if (threads > 1) {
            if (threads > Byte.MAX_VALUE) {
                throw new GlossaException("at most " + Byte.MAX_VALUE + " counting threads, got " + threads);
            }
            owner = new byte[vocabularySize];
            for (int w = 0; w < vocabularySize; w++) {
                owner[w] = (byte) (w % threads);
            }
        } else {
            owner = null;
        }
        this.weightOfDistance = new double[options.windowSize() + 1];
        for (int d = 1; d <= options.windowSize(); d++) {
            weightOfDistance[d] = options.distanceWeighting() ? 1.0 / d : 1.0;
        }
    }

    /**
     * Counts the co-occurrences of {@code corpus} and writes them to {@code output} (replaced atomically).
     *
     * @param tokens       words in the corpus, for the progress bar (0 if unknown)
     * @param showProgress draw a progress bar on standard error
     */
    public static Stats count(IdSentences corpus, int vocabularySize, long tokens, CooccurrenceOptions options,
                              Path output, boolean showProgress) {
        if (vocabularySize < 1) {
            throw new GlossaException("cannot count co-occurrences over an empty vocabulary");
        }
        long start = System.nanoTime();
        CooccurrenceCounter counter = new CooccurrenceCounter(vocabularySize, options);
        try (Progress progress = showProgress ? Progress.start("counting co-occurrences", tokens, "words")
                : Progress.quiet()) {
            long read = counter.countAll(corpus, progress);
            long[] records = new long[1];
            AtomicFiles.write(output, temporary -> records[0] = counter.merge(temporary));
            return new Stats(read, records[0], counter.runs.size(), counter.maxProduct,
                    (System.nanoTime() - start) / 1e9);
        } finally {
            counter.deleteRuns();
        }
    }

    /**
     * The largest bound p on the product of 1-based frequency ranks such that the dense table
     * (Σ over ranks a of min(V, ⌊p / a⌋) entries) fits in {@code entries}.
     */
    static long maxProductFor(int vocabularySize, long entries) {
        long v = vocabularySize;
        if (v * v <= entries) {
            return v * v;
        }
        long low = 0; // fits
        long high = v * v; // does not fit
        while (high - low > 1) {
            long mid = (low + high) >>> 1;
            if (denseSize(vocabularySize, mid) <= entries) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static long denseSize(int vocabularySize, long maxProduct) {
        long size = 0;
        for (long a = 1; a <= vocabularySize && maxProduct / a > 0; a++) {
            size += Math.min(vocabularySize, maxProduct / a);
        }
        return size;
    }

    private long countAll(IdSentences corpus, Progress progress) {
        Worker[] workers = new Worker[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Worker(t, progress);
        }
        if (threads == 1) {
            corpus.forEachSentence(workers[0]);
        } else {
            runInThreads(corpus, workers);
        }
        for (Worker worker : workers) {
            worker.finishReading();
        }
        this.workers = workers;
        return workers[0].tokens;
    }

    private Worker[] workers;

    private static void runInThreads(IdSentences corpus, Worker[] workers) {
        List<Thread> started = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (Worker worker : workers) {
            Thread thread = new Thread(() -> corpus.forEachSentence(worker), "glove-cooccur-" + worker.part);
            thread.setUncaughtExceptionHandler((t, e) -> {
                synchronized (failure) {
                    if (failure[0] == null) {
                        failure[0] = e;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GlossaException("interrupted while counting co-occurrences", e);
            }
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
    }

    /** One counting thread: the entries whose first word id ≡ part (mod threads). */
    private final class Worker implements IdSentenceVisitor {
        final int part;
        final Progress progress;
        long[] sparse;  // packed (word1, word2, distance), allocated on first use
        long[] scratch; // as large, for the radix sort
        int used;
        long tokens;
        private long unreported;

        Worker(int part, Progress progress) {
            this.part = part;
            this.progress = progress;
        }

        @Override
        public void sentence(int[] ids, int length) {
            final int window = options.windowSize();
            final boolean symmetric = options.symmetric();
            for (int j = 0; j < length; j++) {
                // Like cooccur, make room before a word rather than during it: a word adds at most 2 × window entries.
                if (sparse == null || used > sparse.length - 2 * window) {
                    makeRoom();
                }
                int later = ids[j];
                if (later < 0 || later >= vocabularySize) {
                    throw new GlossaException("word id " + later + " is outside the vocabulary of " + vocabularySize
                            + " words");
                }
                for (int k = j - 1, stop = Math.max(0, j - window); k >= stop; k--) {
                    int earlier = ids[k];
                    int distance = j - k;
                    add(earlier, later, distance);
                    if (symmetric) {
                        add(later, earlier, distance);
                    }
                }
            }
            tokens += length;
            if (part == 0) {
                unreported += length;
                if (unreported >= 100_000) {
                    progress.advance(unreported);
                    unreported = 0;
                }
            }
        }

        private void add(int first, int second, int distance) {
            if (owner != null && owner[first] != part) {
                return;
            }
            if (second < rowLength[first]) {
                dense[(int) (rowStart[first] + second)] += weightOfDistance[distance];
            } else {
                sparse[used++] = ((long) first << (idBits + distanceBits)) | ((long) second << distanceBits) | distance;
            }
        }

        /** Grows the buffer (so that a small corpus takes little memory) until its capacity, then spills it. */
        private void makeRoom() {
            if (sparse == null) {
                sparse = new long[Math.min(sparseCapacity, INITIAL_BUFFER)];
            } else if (sparse.length < sparseCapacity) {
                sparse = Arrays.copyOf(sparse, (int) Math.min(sparseCapacity, 2L * sparse.length));
            } else {
                spill();
            }
        }

        /** Sorts the buffer, sums each pair and writes the run to a temporary file. */
        private void spill() {
            sortBuffer();
            Path run = newRunFile();
            try (CooccurrenceFile.Writer writer = new CooccurrenceFile.Writer(run)) {
                SortedBufferSource source = new SortedBufferSource(sparse, used);
                while (source.advance()) {
                    writer.write(source.word1(), source.word2(), source.value());
                }
            }
            used = 0;
        }

        /**
         * Sorts {@code sparse[0..used)}: least-significant-digit radix sort over the bits the packed keys use
         * (a few passes of 11 bits), several times faster than a comparison sort on tens of millions of keys.
         */
        private void sortBuffer() {
            if (used < 1 << 12) {
                Arrays.sort(sparse, 0, used);
                return;
            }
            if (scratch == null || scratch.length < used) {
                scratch = new long[sparse.length];
            }
            int bits = 2 * idBits + distanceBits;
            int[] counts = new int[1 << RADIX_BITS];
            long[] from = sparse;
            long[] to = scratch;
            for (int shift = 0; shift < bits; shift += RADIX_BITS) {
                Arrays.fill(counts, 0);
                for (int i = 0; i < used; i++) {
                    counts[(int) (from[i] >>> shift) & RADIX_MASK]++;
                }
                if (counts[(int) (from[0] >>> shift) & RADIX_MASK] == used) {
                    continue; // every key has this digit: nothing to move
                }
                for (int d = 0, sum = 0; d < counts.length; d++) {
                    int count = counts[d];
                    counts[d] = sum;
                    sum += count;
                }
                for (int i = 0; i < used; i++) {
                    long key = from[i];
                    to[counts[(int) (key >>> shift) & RADIX_MASK]++] = key;
                }
                long[] swap = from;
                from = to;
                to = swap;
            }
            sparse = from;
            scratch = to;
        }

        void finishReading() {
            if (part == 0 && unreported > 0) {
                progress.advance(unreported);
                unreported = 0;
            }
            if (sparse != null) {
                sortBuffer();
                scratch = null;
            }
        }
    }

    private Path newRunFile() {
        Path directory = options.tempDirectory();
        try {
            Path run = directory == null ? Files.createTempFile("glossa-cooccur-", ".bin")
                    : Files.createTempFile(Files.createDirectories(directory), "glossa-cooccur-", ".bin");
            synchronized (runs) {
                runs.add(run);
            }
            return run;
        } catch (IOException e) {
            throw new GlossaException("cannot create a temporary file for co-occurrence counts in "
                    + (directory == null ? System.getProperty("java.io.tmpdir") : directory) + ": "
                    + AtomicFiles.describe(e), e);
        }
    }

    private void deleteRuns() {
        synchronized (runs) {
            for (Path run : runs) {
                AtomicFiles.deleteRecursively(run);
            }
        }
    }

    /** Merges the dense table, the spilled runs and the buffers into {@code output}; returns the records written. */
    private long merge(Path output) {
        List<Path> files = new ArrayList<>(runs);
        // Keep the number of open files bounded: fold runs together first when there are many.
        while (files.size() + 1 + threads > MAX_MERGE_FAN_IN) {
            List<Path> group = new ArrayList<>(files.subList(0, MAX_MERGE_FAN_IN));
            files.subList(0, MAX_MERGE_FAN_IN).clear();
            Path merged = newRunFile();
            List<Source> sources = new ArrayList<>();
            for (Path run : group) {
                sources.add(new FileSource(run, vocabularySize));
            }
            mergeInto(sources, merged);
            for (Path run : group) {
                AtomicFiles.deleteRecursively(run);
            }
            files.add(merged);
        }
        List<Source> sources = new ArrayList<>();
        sources.add(new DenseSource());
        for (Worker worker : workers) {
            if (worker.sparse != null && worker.used > 0) {
                sources.add(new SortedBufferSource(worker.sparse, worker.used));
            }
        }
        for (Path run : files) {
            sources.add(new FileSource(run, vocabularySize));
        }
        return mergeInto(sources, output);
    }

    /** K-way merge of sorted sources into {@code output}, summing records of the same pair. */
    private static long mergeInto(List<Source> sources, Path output) {
        try (CooccurrenceFile.Writer writer = new CooccurrenceFile.Writer(output)) {
            SourceHeap heap = new SourceHeap(sources);
            long pendingKey = -1;
            double pendingValue = 0;
            while (!heap.isEmpty()) {
                Source top = heap.top();
                long key = top.key();
                if (key == pendingKey) {
                    pendingValue += top.value();
                } else {
                    if (pendingKey >= 0) {
                        writer.write((int) (pendingKey >>> 32), (int) pendingKey, pendingValue);
                    }
                    pendingKey = key;
                    pendingValue = top.value();
                }
                heap.advanceTop();
            }
            if (pendingKey >= 0) {
                writer.write((int) (pendingKey >>> 32), (int) pendingKey, pendingValue);
            }
            return writer.records();
        } finally {
            for (Source source : sources) {
                source.close();
            }
        }
    }

    /** A sorted stream of (word1, word2, value) records, each pair at most once. */
    private abstract static class Source implements AutoCloseable {
        int word1;
        int word2;
        double value;

        /** Moves to the next record; false at the end. */
        abstract boolean advance();

        final long key() {
            return ((long) word1 << 32) | word2;
        }

        final int word1() {
            return word1;
        }

        final int word2() {
            return word2;
        }

        final double value() {
            return value;
        }

        @Override
        public void close() {}
    }

    /** The non-zero cells of the dense table, row by row. */
    private final class DenseSource extends Source {
        private int row;
        private long cell;

        @Override
        boolean advance() {
            while (row < vocabularySize) {
                long end = rowStart[row + 1];
                while (cell < end) {
                    double v = dense[(int) cell];
                    long column = cell - rowStart[row];
                    cell++;
                    if (v != 0) {
                        word1 = row;
                        word2 = (int) column;
                        value = v;
                        return true;
                    }
                }
                row++;
            }
            return false;
        }
    }

    /** A sorted buffer of packed entries, summed per pair on the fly. */
    private final class SortedBufferSource extends Source {
        private final long[] entries;
        private final int length;
        private int next;

        SortedBufferSource(long[] entries, int length) {
            this.entries = entries;
            this.length = length;
        }

        @Override
        boolean advance() {
            if (next >= length) {
                return false;
            }
            long pair = entries[next] >>> distanceBits;
            double sum = 0;
            while (next < length && entries[next] >>> distanceBits == pair) {
                sum += weightOfDistance[(int) (entries[next] & ((1L << distanceBits) - 1))];
                next++;
            }
            word1 = (int) (pair >>> idBits);
            word2 = (int) (pair & ((1L << idBits) - 1));
            value = sum;
            return true;
        }
    }

    /** A spilled run read back. */
    private static final class FileSource extends Source {
        private final CooccurrenceFile.Reader reader;

        FileSource(Path file, int vocabularySize) {
            this.reader = new CooccurrenceFile.Reader(file, vocabularySize);
        }

        @Override
        boolean advance() {
            if (!reader.next()) {
                return false;
            }
            word1 = reader.word1();
            word2 = reader.word2();
            value = reader.value();
            return true;
        }

        @Override
        public void close() {
            reader.close();
        }
    }

    /** A binary min-heap of sources ordered by their current key. */
    private static final class SourceHeap {
        private final Source[] heap;
        private int size;

        SourceHeap(List<Source> sources) {
            heap = new Source[sources.size()];
            for (Source source : sources) {
                if (source.advance()) {
                    heap[size++] = source;
                    siftUp(size - 1);
                }
            }
        }

        boolean isEmpty() {
            return size == 0;
        }

        Source top() {
            return heap[0];
        }

        /** Moves the top source to its next record, dropping it when exhausted. */
        void advanceTop() {
            if (!heap[0].advance()) {
                heap[0] = heap[--size];
                heap[size] = null;
            }
            if (size > 0) {
                siftDown(0);
            }
        }

        private void siftUp(int i) {
            while (i > 0) {
                int parent = (i - 1) / 2;
                if (heap[parent].key() <= heap[i].key()) {
                    return;
                }
                swap(i, parent);
                i = parent;
            }
        }

        private void siftDown(int i) {
            while (true) {
                int left = 2 * i + 1;
                if (left >= size) {
                    return;
                }
                int smallest = left + 1 < size && heap[left + 1].key() < heap[left].key() ? left + 1 : left;
                if (heap[i].key() <= heap[smallest].key()) {
                    return;
                }
                swap(i, smallest);
                i = smallest;
            }
        }

        private void swap(int i, int j) {
            Source s = heap[i];
            heap[i] = heap[j];
            heap[j] = s;
        }
    }
}
