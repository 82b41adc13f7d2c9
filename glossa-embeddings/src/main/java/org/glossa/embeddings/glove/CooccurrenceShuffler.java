package org.glossa.embeddings.glove;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.Progress;

/**
 * Shuffles a {@link CooccurrenceFile} out of core, as Stanford GloVe's {@code shuffle} does: the input is
 * cut into chunks that fit in memory, each chunk is shuffled (Fisher-Yates) and written to a temporary file,
 * and the files are then merged by repeatedly taking an equal share from each into memory and shuffling
 * that. When the whole input fits in memory it is a single uniform shuffle. Unlike {@code shuffle}, which
 * seeds from the clock unless told otherwise, the result depends only on the seed.
 */
public final class CooccurrenceShuffler {
    private CooccurrenceShuffler() {}

    /**
     * What a shuffle did.
     *
     * @param records     records shuffled
     * @param chunks      chunks shuffled separately (1 when all fitted in memory)
     * @param seconds     wall-clock time
     */
    public record Stats(long records, int chunks, double seconds) {}

    /**
     * Shuffles {@code input} into {@code output} (replaced atomically).
     *
     * @param memoryBytes   memory for records in flight (16 bytes each), like {@code shuffle -memory}
     * @param tempDirectory where chunks go; null for the system's temporary directory
     */
    public static Stats shuffle(Path input, Path output, long seed, long memoryBytes, Path tempDirectory,
                                boolean showProgress) {
        long start = System.nanoTime();
        long records = CooccurrenceFile.records(input);
        // Two longs per record in one array: at most about a billion records per chunk.
        int capacity = (int) Math.max(1, Math.min((Integer.MAX_VALUE - 16) / 2, memoryBytes / CooccurrenceFile.RECORD_BYTES));
        SplittableRandom random = new SplittableRandom(seed);
        List<Path> chunks = new ArrayList<>();
        try (Progress progress = showProgress ? Progress.start("shuffling co-occurrences", records, "records")
                : Progress.quiet()) {
            if (records <= capacity) {
                Chunk all = new Chunk((int) records);
                AtomicFiles.write(output, temporary -> {
                    try (FileChannel in = FileChannel.open(input, StandardOpenOption.READ);
                         FileChannel out = open(temporary)) {
                        all.read(in, input, 0, (int) records);
                        all.shuffle(random);
                        all.write(out, temporary);
                    }
                });
                progress.advance(records);
                return new Stats(records, 1, (System.nanoTime() - start) / 1e9);
            }
            Chunk buffer = new Chunk(capacity);
            try (FileChannel in = FileChannel.open(input, StandardOpenOption.READ)) {
                for (long from = 0; from < records; from += capacity) {
                    int count = (int) Math.min(capacity, records - from);
                    buffer.read(in, input, from * CooccurrenceFile.RECORD_BYTES, count);
                    buffer.shuffle(random);
                    Path chunk = createTemp(tempDirectory);
                    chunks.add(chunk);
                    try (FileChannel out = open(chunk)) {
                        buffer.write(out, chunk);
                    }
                    progress.advance(count / 2);
                }
            }
            AtomicFiles.write(output, temporary -> mergeChunks(chunks, buffer, random, temporary, progress));
            return new Stats(records, chunks.size(), (System.nanoTime() - start) / 1e9);
        } catch (IOException e) {
            throw new GlossaException("cannot shuffle " + input + ": " + AtomicFiles.describe(e), e);
        } finally {
            for (Path chunk : chunks) {
                AtomicFiles.deleteRecursively(chunk);
            }
        }
    }

    /**
     * shuffle.c's merge: fill the buffer with about capacity/chunks records from each chunk, shuffle it,
     * write it; repeat until every chunk is used up.
     */
    private static void mergeChunks(List<Path> chunks, Chunk buffer, SplittableRandom random, Path output,
                                    Progress progress) throws IOException {
        int share = Math.max(1, buffer.capacity() / chunks.size());
        FileChannel[] ins = new FileChannel[chunks.size()];
        long[] positions = new long[chunks.size()];
        long[] sizes = new long[chunks.size()];
        try (FileChannel out = open(output)) {
            for (int i = 0; i < ins.length; i++) {
                ins[i] = FileChannel.open(chunks.get(i), StandardOpenOption.READ);
                sizes[i] = ins[i].size() / CooccurrenceFile.RECORD_BYTES;
            }
            while (true) {
                buffer.clear();
                for (int i = 0; i < ins.length; i++) {
                    int count = (int) Math.min(share, sizes[i] - positions[i]);
                    if (count > 0) {
                        buffer.append(ins[i], chunks.get(i), positions[i] * CooccurrenceFile.RECORD_BYTES, count);
                        positions[i] += count;
                    }
                }
                if (buffer.size() == 0) {
                    break;
                }
                buffer.shuffle(random);
                buffer.write(out, output);
                progress.advance(buffer.size() - buffer.size() / 2);
            }
        } finally {
            for (FileChannel in : ins) {
                if (in != null) {
                    in.close();
                }
            }
        }
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static Path createTemp(Path directory) throws IOException {
        return directory == null ? Files.createTempFile("glossa-shuffle-", ".bin")
                : Files.createTempFile(Files.createDirectories(directory), "glossa-shuffle-", ".bin");
    }

    /**
     * Records in memory, two longs each: the two word fields packed together, then the value's bits. A
     * swap then touches one cache line per record rather than one in each of two arrays.
     */
    private static final class Chunk {
        private final long[] records;
        private final ByteBuffer io = ByteBuffer.allocateDirect(CooccurrenceFile.BLOCK_RECORDS * CooccurrenceFile.RECORD_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        private int size;

        Chunk(int capacity) {
            records = new long[Math.multiplyExact(2, capacity)];
        }

        int capacity() {
            return records.length / 2;
        }

        int size() {
            return size;
        }

        void clear() {
            size = 0;
        }

        void read(FileChannel in, Path file, long byteOffset, int count) throws IOException {
            clear();
            append(in, file, byteOffset, count);
        }

        /** Appends {@code count} raw records read at {@code byteOffset}; ids are copied as they are. */
        void append(FileChannel in, Path file, long byteOffset, int count) throws IOException {
            long at = byteOffset;
            int left = count;
            while (left > 0) {
                int block = Math.min(left, CooccurrenceFile.BLOCK_RECORDS);
                io.clear().limit(block * CooccurrenceFile.RECORD_BYTES);
                while (io.hasRemaining()) {
                    int n = in.read(io, at);
                    if (n < 0) {
                        throw new GlossaException("co-occurrence file " + file + " ended early at byte " + at);
                    }
                    at += n;
                }
                io.flip();
                for (int i = 0; i < block; i++) {
                    // The record's 16 bytes as two little-endian longs, copied unchanged.
                    records[2 * size] = io.getLong();
                    records[2 * size + 1] = io.getLong();
                    size++;
                }
                left -= block;
            }
        }

        /** Fisher-Yates over the records held. */
        void shuffle(SplittableRandom random) {
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long pair = records[2 * i];
                long value = records[2 * i + 1];
                records[2 * i] = records[2 * j];
                records[2 * i + 1] = records[2 * j + 1];
                records[2 * j] = pair;
                records[2 * j + 1] = value;
            }
        }

        void write(FileChannel out, Path file) throws IOException {
            for (int from = 0; from < size; from += CooccurrenceFile.BLOCK_RECORDS) {
                int block = Math.min(size - from, CooccurrenceFile.BLOCK_RECORDS);
                io.clear();
                for (int i = from; i < from + block; i++) {
                    io.putLong(records[2 * i]).putLong(records[2 * i + 1]);
                }
                io.flip();
                while (io.hasRemaining()) {
                    out.write(io);
                }
            }
        }
    }
}
