package org.glossa.embeddings.glove;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;

/**
 * Binary co-occurrence records in the layout Stanford GloVe's {@code cooccur} and {@code shuffle} write on
 * x86 (their {@code CREC} struct): per record a 32-bit first word, a 32-bit second word and a 64-bit float
 * value, little-endian, 16 bytes, no header. On disk words are 1-based frequency ranks, as in the C tools,
 * so files pass between Glossa and them; in Java the ids are 0-based vocabulary ids.
 */
public final class CooccurrenceFile {
    /** Bytes per record: int32 word1, int32 word2, float64 value. */
    public static final int RECORD_BYTES = 16;
    static final int BLOCK_RECORDS = 1 << 16; // 1 MiB per read or write

    private CooccurrenceFile() {}

    /** Number of records in {@code file}; fails when its size is not a whole number of records. */
    public static long records(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new GlossaException("cannot read co-occurrence file " + file + ": " + AtomicFiles.describe(e), e);
        }
        if (size % RECORD_BYTES != 0) {
            throw new GlossaException("co-occurrence file " + file + " is truncated or not a co-occurrence file: its "
                    + size + " bytes are not a whole number of " + RECORD_BYTES + "-byte records");
        }
        return size / RECORD_BYTES;
    }

    /** Writes records sequentially. Not thread-safe. */
    public static final class Writer implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK_RECORDS * RECORD_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        private long records;

        /** Creates or truncates {@code file}. */
        public Writer(Path file) {
            this.file = file;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw new GlossaException("cannot write co-occurrence file " + file + ": " + AtomicFiles.describe(e), e);
            }
        }

        /** Appends the record (word1, word2, value) with 0-based ids. */
        public void write(int word1, int word2, double value) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            buffer.putInt(word1 + 1).putInt(word2 + 1).putDouble(value);
            records++;
        }

        /** Records written so far. */
        public long records() {
            return records;
        }

        public Path file() {
            return file;
        }

        private void flush() {
            buffer.flip();
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                throw new GlossaException("cannot write co-occurrence file " + file + ": " + AtomicFiles.describe(e), e);
            }
            buffer.clear();
        }

        @Override
        public void close() {
            try (channel) {
                flush();
            } catch (IOException e) {
                throw new GlossaException("cannot write co-occurrence file " + file + ": " + AtomicFiles.describe(e), e);
            }
        }
    }

    /**
     * Reads the records {@code [from, to)} of a file in order, checking that every word id lies in the
     * vocabulary. Not thread-safe; open one reader per thread.
     */
    public static final class Reader implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final int vocabularySize;
        private final long end;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK_RECORDS * RECORD_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        private long position; // index of the next record to load into the buffer
        private int word1;
        private int word2;
        private double value;

        /** Reads the whole file. */
        public Reader(Path file, int vocabularySize) {
            this(file, vocabularySize, 0, records(file));
        }

        /** Reads records {@code [from, to)}; ids must lie in {@code [0, vocabularySize)}. */
        public Reader(Path file, int vocabularySize, long from, long to) {
            this.file = file;
            this.vocabularySize = vocabularySize;
            this.position = from;
            this.end = to;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new GlossaException("cannot read co-occurrence file " + file + ": " + AtomicFiles.describe(e), e);
            }
            buffer.limit(0);
        }

        /** Moves to the next record; false at the end. */
        public boolean next() {
            if (!buffer.hasRemaining() && !fill()) {
                return false;
            }
            int first = buffer.getInt();
            int second = buffer.getInt();
            value = buffer.getDouble();
            if (first < 1 || first > vocabularySize || second < 1 || second > vocabularySize) {
                long index = position - buffer.remaining() / RECORD_BYTES - 1;
                throw new GlossaException("co-occurrence file " + file + ": record " + index + " has word ranks ("
                        + first + ", " + second + ") outside the vocabulary of " + vocabularySize + " words");
            }
            word1 = first - 1;
            word2 = second - 1;
            return true;
        }

        /** 0-based id of the first word of the current record. */
        public int word1() {
            return word1;
        }

        /** 0-based id of the second word of the current record. */
        public int word2() {
            return word2;
        }

        /** Value of the current record. */
        public double value() {
            return value;
        }

        /**
         * Loads the next block of raw records into {@code target} (cleared first) and returns how many it
         * holds; 0 at the end. Bypasses the checks of {@link #next}: the caller validates ids.
         */
        int readBlock(ByteBuffer target) {
            target.clear();
            int count = (int) Math.min(target.capacity() / RECORD_BYTES, end - position);
            if (count <= 0) {
                target.limit(0);
                return 0;
            }
            target.limit(count * RECORD_BYTES);
            readFully(target, position);
            target.flip();
            position += count;
            return count;
        }

        private boolean fill() {
            return readBlock(buffer) > 0;
        }

        private void readFully(ByteBuffer target, long record) {
            long at = record * RECORD_BYTES;
            try {
                while (target.hasRemaining()) {
                    int n = channel.read(target, at);
                    if (n < 0) {
                        throw new GlossaException("co-occurrence file " + file + " ended early at byte " + at
                                + " (was it truncated while being read?)");
                    }
                    at += n;
                }
            } catch (IOException e) {
                throw new GlossaException("cannot read co-occurrence file " + file + ": " + AtomicFiles.describe(e), e);
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // read-only: nothing was lost
            }
        }
    }
}
