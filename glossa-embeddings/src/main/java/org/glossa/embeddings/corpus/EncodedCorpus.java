package org.glossa.embeddings.corpus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.glossa.core.GlossaException;
import org.glossa.core.Progress;
import org.glossa.embeddings.Vocabulary;

/**
 * A corpus turned into word ids once, so that training epochs re-read 4 bytes per word instead of
 * decoding and hashing text again. Words outside the vocabulary are dropped (as word2vec.c and gensim
 * drop them before windowing); sentences left empty disappear.
 *
 * <p>The ids live either in a temporary file ({@link Storage#TEMP_FILE}, the default: the Java heap then
 * holds only the vocabulary, and the operating system's page cache keeps the file warm) or on the heap
 * ({@link Storage#MEMORY}: 4 bytes per corpus word, e.g. 40 MB for 10 M words). Encoding reads the text
 * once: words get provisional ids in order of first occurrence while they are counted, and a second pass
 * over the ids (not the text) renumbers them by the final vocabulary.
 *
 * <p>Layout: the ids of each sentence followed by an end marker. {@link #reader(int, int) Readers} for
 * parts of the corpus let training threads share the work. Thread-safe for reading; {@link #close}
 * deletes the temporary file.
 */
public final class EncodedCorpus implements AutoCloseable {
    /** Marks the end of a sentence in the stored ids. */
    static final int END = -1;
    private static final int BLOCK_INTS = 1 << 18; // 1 MiB of ids per file read or write
    private static final int MAX_MEMORY_INTS = Integer.MAX_VALUE - 16;

    /** Where the ids are kept. */
    public enum Storage { MEMORY, TEMP_FILE }

    private final Vocabulary vocabulary;
    private final String description;
    private final Store store;
    private final long tokens;
    private final long sentences;
    private final int longestSentence;

    private EncodedCorpus(Vocabulary vocabulary, String description, Store store, Stats stats) {
        this.vocabulary = vocabulary;
        this.description = description;
        this.store = store;
        this.tokens = stats.tokens;
        this.sentences = stats.sentences;
        this.longestSentence = stats.longest;
    }

    /**
     * Reads {@code source} once, builds its vocabulary ({@code minCount}, {@code maxVocab}: see
     * {@link Vocabulary#build}) and keeps the ids of its words.
     *
     * @param tempDirectory where a {@link Storage#TEMP_FILE} goes; null for the system's temporary directory
     */
    public static EncodedCorpus encode(SentenceSource source, int minCount, int maxVocab, Storage storage,
                                       Path tempDirectory) {
        return encode(source, minCount, maxVocab, storage, tempDirectory, true);
    }

    /** As {@link #encode(SentenceSource, int, int, Storage, Path)}, with or without a progress line on standard error. */
    public static EncodedCorpus encode(SentenceSource source, int minCount, int maxVocab, Storage storage,
                                       Path tempDirectory, boolean showProgress) {
        Vocabulary.checkLimits(minCount, maxVocab);
        Store store = new Store(storage, tempDirectory);
        try {
            Vocabulary.Counter counter = new Vocabulary.Counter();
            try (Progress progress = showProgress ? Progress.start("reading corpus", 0, "words") : Progress.quiet()) {
                source.forEachSentence((words, length) -> {
                    for (int i = 0; i < length; i++) {
                        store.append(counter.add(words[i]));
                    }
                    store.append(END);
                    progress.advance(length);
                });
            }
            store.flush();
            Vocabulary vocabulary = counter.select(minCount, maxVocab, source.description());
            int[] finalIds = new int[counter.size()]; // provisional id -> vocabulary id, or -1 when dropped
            for (int i = 0; i < finalIds.length; i++) {
                finalIds[i] = vocabulary.id(counter.word(i));
            }
            Stats stats = store.renumber(finalIds);
            return new EncodedCorpus(vocabulary, source.description(), store, stats);
        } catch (RuntimeException | Error e) {
            store.delete();
            throw e;
        }
    }

    /** Reads {@code source} once and keeps the ids of its words by {@code vocabulary} (other words are dropped). */
    public static EncodedCorpus encode(SentenceSource source, Vocabulary vocabulary, Storage storage,
                                       Path tempDirectory) {
        return encode(source, vocabulary, storage, tempDirectory, true);
    }

    /** As {@link #encode(SentenceSource, Vocabulary, Storage, Path)}, with or without a progress line on standard error. */
    public static EncodedCorpus encode(SentenceSource source, Vocabulary vocabulary, Storage storage,
                                       Path tempDirectory, boolean showProgress) {
        Store store = new Store(storage, tempDirectory);
        try {
            Stats stats = new Stats();
            try (Progress progress = showProgress ? Progress.start("reading corpus", 0, "words") : Progress.quiet()) {
                source.forEachSentence((words, length) -> {
                    int kept = 0;
                    for (int i = 0; i < length; i++) {
                        int id = vocabulary.id(words[i]);
                        if (id >= 0) {
                            store.append(id);
                            kept++;
                        }
                    }
                    if (kept > 0) {
                        store.append(END);
                        stats.sentence(kept);
                    }
                    progress.advance(length);
                });
            }
            store.flush();
            if (stats.tokens == 0) {
                throw new GlossaException("corpus " + source.description() + " has no word of the vocabulary");
            }
            return new EncodedCorpus(vocabulary, source.description(), store, stats);
        } catch (RuntimeException | Error e) {
            store.delete();
            throw e;
        }
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Names the source corpus in messages. */
    public String description() {
        return description;
    }

    /** Words kept (in the vocabulary): the words one epoch trains on, before subsampling. */
    public long tokens() {
        return tokens;
    }

    /** Non-empty sentences kept. */
    public long sentences() {
        return sentences;
    }

    /** Length of the longest sentence: the size a buffer for {@link SentenceReader#next} needs. */
    public int longestSentence() {
        return longestSentence;
    }

    public Storage storage() {
        return store.memory != null ? Storage.MEMORY : Storage.TEMP_FILE;
    }

    /** Calls {@code visitor} with the ids of each sentence in order ({@code ids} is reused between calls). */
    public void forEachSentence(IdSentenceVisitor visitor) {
        int[] ids = new int[longestSentence];
        try (SentenceReader reader = reader(0, 1)) {
            int length;
            while ((length = reader.next(ids)) >= 0) {
                visitor.sentence(ids, length);
            }
        }
    }

    /**
     * Reads the sentences that start in part {@code part} of {@code parts} equal slices of the stored ids:
     * every sentence belongs to exactly one part, so {@code parts} threads together read the corpus once.
     * A reader is for one thread; any number of readers may run at once.
     */
    public SentenceReader reader(int part, int parts) {
        if (parts < 1 || part < 0 || part >= parts) {
            throw new IllegalArgumentException("part " + part + " of " + parts);
        }
        long length = store.length;
        long from = length / parts * part + Math.min(part, length % parts);
        long to = length / parts * (part + 1) + Math.min(part + 1, length % parts);
        return new SentenceReader(from, to);
    }

    /** Deletes the temporary file, if any. Readers must not be used afterwards. */
    @Override
    public void close() {
        store.delete();
    }

    /** Receives the sentences of an {@link EncodedCorpus} as word ids. */
    @FunctionalInterface
    public interface IdSentenceVisitor {
        /** @param ids the sentence in {@code ids[0..length)}, reused after the call */
        void sentence(int[] ids, int length);
    }

    /** Reads sentences of one part of the corpus, in order. Not thread-safe. */
    public final class SentenceReader implements AutoCloseable {
        private final long end;
        private long position;
        private final IntBuffer block;  // TEMP_FILE: the ids of [blockStart, blockStart + block.limit())
        private final ByteBuffer blockBytes;
        private long blockStart = -1;

        private SentenceReader(long from, long to) {
            this.end = to;
            if (store.memory == null) {
                blockBytes = ByteBuffer.allocateDirect(BLOCK_INTS * 4).order(ByteOrder.nativeOrder());
                block = blockBytes.asIntBuffer();
            } else {
                blockBytes = null;
                block = null;
            }
            // A sentence belongs to the part it starts in: skip the tail of one that began before.
            position = from;
            if (from > 0 && from < store.length) {
                position = from - 1;
                while (read() != END) {
                    // the previous part's sentence
                }
            }
        }

        /**
         * Copies the next sentence into {@code ids} (at least {@link #longestSentence()} long).
         *
         * @return its length, or -1 when the part has no more sentences
         */
        public int next(int[] ids) {
            if (position >= end || position >= store.length) {
                return -1;
            }
            int length = 0;
            int id;
            while ((id = read()) != END) {
                ids[length++] = id;
            }
            return length;
        }

        private int read() {
            if (store.memory != null) {
                return store.memory[(int) position++];
            }
            long offset = position - blockStart;
            if (blockStart < 0 || offset < 0 || offset >= block.limit()) {
                load(position);
                offset = 0;
            }
            position++;
            return block.get((int) offset);
        }

        private void load(long start) {
            int count = (int) Math.min(BLOCK_INTS, store.length - start);
            blockBytes.clear().limit(count * 4);
            try {
                long at = start * 4;
                while (blockBytes.hasRemaining()) {
                    int n = store.channel.read(blockBytes, at);
                    if (n < 0) {
                        throw new GlossaException("temporary corpus file " + store.file + " is shorter than written");
                    }
                    at += n;
                }
            } catch (IOException e) {
                throw new GlossaException("cannot read temporary corpus file " + store.file + ": " + e.getMessage(), e);
            }
            block.clear().limit(count);
            blockStart = start;
        }

        @Override
        public void close() {
            // direct buffers are freed by the garbage collector; nothing else is held
        }
    }

    /** Counts of what was kept. */
    private static final class Stats {
        long tokens;
        long sentences;
        int longest;

        void sentence(int length) {
            tokens += length;
            sentences++;
            longest = Math.max(longest, length);
        }
    }

    /** The stored ints: an array on the heap or a temporary file. */
    private static final class Store {
        int[] memory;
        final Path file;
        final FileChannel channel;
        private final ByteBuffer writeBytes;
        private final IntBuffer writeInts;
        long length;        // ints stored
        private long flushed; // ints written to the file

        Store(Storage storage, Path tempDirectory) {
            if (storage == Storage.MEMORY) {
                memory = new int[1 << 16];
                file = null;
                channel = null;
                writeBytes = null;
                writeInts = null;
                return;
            }
            Path directory = tempDirectory != null ? tempDirectory : Path.of(System.getProperty("java.io.tmpdir"));
            try {
                file = Files.createTempFile(directory, "glossa-corpus-", ".ids");
                file.toFile().deleteOnExit();
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new GlossaException("cannot create a temporary corpus file in " + directory + ": " + e.getMessage(), e);
            }
            writeBytes = ByteBuffer.allocateDirect(BLOCK_INTS * 4).order(ByteOrder.nativeOrder());
            writeInts = writeBytes.asIntBuffer();
        }

        void append(int value) {
            if (memory != null) {
                if (length == memory.length) {
                    if (length >= MAX_MEMORY_INTS) {
                        throw new GlossaException("corpus has over " + MAX_MEMORY_INTS
                                + " words: too many to keep in memory, use temporary-file storage");
                    }
                    memory = Arrays.copyOf(memory, (int) Math.min(MAX_MEMORY_INTS, length + (length >> 1)));
                }
                memory[(int) length++] = value;
                return;
            }
            if (!writeInts.hasRemaining()) {
                writeBlock();
            }
            writeInts.put(value);
            length++;
        }

        void flush() {
            if (memory != null) {
                memory = Arrays.copyOf(memory, (int) length);
            } else {
                writeBlock();
            }
        }

        /** Writes the buffered ints at the end of what the file holds. */
        private void writeBlock() {
            int count = writeInts.position();
            writeBytes.clear().limit(count * 4);
            write(writeBytes, flushed * 4);
            flushed += count;
            writeInts.clear();
        }

        private void write(ByteBuffer bytes, long at) {
            try {
                while (bytes.hasRemaining()) {
                    at += channel.write(bytes, at);
                }
            } catch (IOException e) {
                throw new GlossaException("cannot write temporary corpus file " + file + ": " + e.getMessage(), e);
            }
        }

        /**
         * Rewrites provisional ids as final ones in place, dropping words mapped to -1 and the end markers
         * of sentences left empty. The write position never passes the read position, so one buffer of each
         * suffices.
         */
        Stats renumber(int[] finalIds) {
            Stats stats = new Stats();
            if (memory != null) {
                int written = 0;
                int sentenceLength = 0;
                for (int i = 0; i < length; i++) {
                    int value = memory[i];
                    if (value == END) {
                        if (sentenceLength > 0) {
                            memory[written++] = END;
                            stats.sentence(sentenceLength);
                            sentenceLength = 0;
                        }
                    } else if (finalIds[value] >= 0) {
                        memory[written++] = finalIds[value];
                        sentenceLength++;
                    }
                }
                length = written;
                memory = Arrays.copyOf(memory, written);
                return stats;
            }
            ByteBuffer readBytes = ByteBuffer.allocateDirect(BLOCK_INTS * 4).order(ByteOrder.nativeOrder());
            IntBuffer readInts = readBytes.asIntBuffer();
            long written = 0;
            int sentenceLength = 0;
            writeInts.clear();
            for (long readAt = 0; readAt < length; readAt += BLOCK_INTS) {
                int count = (int) Math.min(BLOCK_INTS, length - readAt);
                readBytes.clear().limit(count * 4);
                try {
                    long at = readAt * 4;
                    while (readBytes.hasRemaining()) {
                        at += channel.read(readBytes, at);
                    }
                } catch (IOException e) {
                    throw new GlossaException("cannot read temporary corpus file " + file + ": " + e.getMessage(), e);
                }
                readInts.clear().limit(count);
                for (int i = 0; i < count; i++) {
                    int value = readInts.get(i);
                    int out;
                    if (value == END) {
                        if (sentenceLength == 0) {
                            continue;
                        }
                        stats.sentence(sentenceLength);
                        sentenceLength = 0;
                        out = END;
                    } else if (finalIds[value] >= 0) {
                        out = finalIds[value];
                        sentenceLength++;
                    } else {
                        continue;
                    }
                    if (!writeInts.hasRemaining()) {
                        flushRenumbered(written);
                        written += BLOCK_INTS;
                    }
                    writeInts.put(out);
                }
            }
            int tail = writeInts.position();
            flushRenumbered(written);
            written += tail;
            try {
                channel.truncate(written * 4);
            } catch (IOException e) {
                throw new GlossaException("cannot write temporary corpus file " + file + ": " + e.getMessage(), e);
            }
            length = written;
            return stats;
        }

        private void flushRenumbered(long at) {
            writeBytes.clear().limit(writeInts.position() * 4);
            write(writeBytes, at * 4);
            writeInts.clear();
        }

        void delete() {
            memory = null;
            if (channel != null) {
                try {
                    channel.close();
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // deleteOnExit tries again
                }
            }
        }
    }
}
