package org.glossa.embeddings.io;

import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.embeddings.KeyedVectors;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads and writes word vectors in the word2vec C text and binary formats and Stanford GloVe's
 * headerless text, interchangeably with word2vec.c and gensim ({@code KeyedVectors.load_word2vec_format}
 * / {@code save_word2vec_format}).
 *
 * <p>Reading streams the file through one buffer and parses words and floats in place (no String per
 * value); gzip files (recognised by their magic bytes) are read the same way. The format is detected
 * from the first two lines unless given: a first line of two integers is a word2vec header, and the row
 * after it is text when it holds D numbers, binary otherwise; any other first line must be a GloVe row.
 * Like gensim, binary rows may or may not end with a line break, and line breaks before a word are
 * skipped. Text values are separated by spaces (one or more); trailing spaces, tabs and carriage
 * returns are ignored (word2vec.c ends its rows with a space), and so are blank lines.
 *
 * <p>Bad files are errors that name the file and the line (text) or row (binary): a header whose counts
 * do not match the rows, a row with the wrong number of values, a value that is not a number, a
 * truncated binary row, a word that is not UTF-8 (unless {@link ReadOptions#replaceInvalidUtf8()}, for
 * word2vec.c files whose long words were cut inside a character), a repeated word.
 *
 * <p>Writing goes through a temporary file renamed into place. Text values are the shortest decimals
 * that read back as the same float32, written as numpy does, so gensim's text files and ours are
 * byte-identical for the same vectors; binary rows end with a line break as in word2vec.c unless
 * {@code binaryLineBreaks} is false (gensim's layout). Both layouts load in word2vec.c's tools and gensim.
 */
public final class VectorFiles {
    private VectorFiles() {}

    /**
     * @param format the layout, or null to detect it
     * @param limit read only the first rows (as gensim's {@code limit}); 0 or less: all. Rows after the
     *              limit are not checked.
     * @param replaceInvalidUtf8 decode words with U+FFFD for malformed bytes instead of failing
     * @param vocabulary a "word count" file giving the corpus counts, or null
     */
    public record ReadOptions(VectorFormat format, int limit, boolean replaceInvalidUtf8, Path vocabulary) {
        public static ReadOptions defaults() {
            return new ReadOptions(null, 0, false, null);
        }

        public ReadOptions withFormat(VectorFormat format) {
            return new ReadOptions(format, limit, replaceInvalidUtf8, vocabulary);
        }

        public ReadOptions withLimit(int limit) {
            return new ReadOptions(format, limit, replaceInvalidUtf8, vocabulary);
        }

        public ReadOptions withReplaceInvalidUtf8(boolean replace) {
            return new ReadOptions(format, limit, replace, vocabulary);
        }

        /** Word counts from a "word count" file (word2vec.c's -save-vocab, gensim's fvocab); every word needs one. */
        public ReadOptions withVocabulary(Path vocabulary) {
            return new ReadOptions(format, limit, replaceInvalidUtf8, vocabulary);
        }
    }

    /** Longest word accepted in a binary file (gensim has no limit; word2vec.c cuts words at 100 bytes). */
    private static final int MAX_WORD_BYTES = 1 << 20;
    /** Longest text line accepted. */
    private static final int MAX_LINE_BYTES = 1 << 28;
    /** Bytes looked at to detect the format (grown up to MAX_LINE_BYTES when a line is longer). */
    private static final int SNIFF_BYTES = 1 << 16;
    private static final VarHandle LITTLE_ENDIAN_FLOAT =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    /** Reads {@code file}, detecting its format. */
    public static KeyedVectors read(Path file) {
        return read(file, ReadOptions.defaults());
    }

    public static KeyedVectors read(Path file, ReadOptions options) {
        KeyedVectors vectors;
        try (Input in = Input.open(file)) {
            VectorFormat format = options.format() != null ? options.format() : detect(in, file);
            Reader reader = new Reader(file, in, options);
            vectors = switch (format) {
                case WORD2VEC_TEXT -> reader.readText(true);
                case GLOVE_TEXT -> reader.readText(false);
                case WORD2VEC_BINARY -> reader.readBinary();
            };
        } catch (IOException e) {
            throw new GlossaException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
        if (options.vocabulary() == null) {
            return vectors;
        }
        Map<String, Long> counts = readVocabulary(options.vocabulary(), options.replaceInvalidUtf8());
        long[] byRow = new long[vectors.size()];
        for (int row = 0; row < byRow.length; row++) {
            Long count = counts.get(vectors.words().get(row));
            if (count == null) {
                throw new GlossaException(options.vocabulary() + ": no count for '" + vectors.words().get(row)
                        + "' (row " + (row + 1) + " of " + file + ")");
            }
            byRow[row] = count;
        }
        float[] all = new float[vectors.size() * vectors.dimension()];
        for (int row = 0; row < byRow.length; row++) {
            vectors.copyVector(row, all, row * vectors.dimension());
        }
        return KeyedVectors.adopt(vectors.words(), all, vectors.dimension(), byRow);
    }

    /** Reads "word count" lines (word2vec.c's -save-vocab, gensim's fvocab); UTF-8, blank lines ignored. */
    public static Map<String, Long> readVocabulary(Path file) {
        return readVocabulary(file, false);
    }

    private static Map<String, Long> readVocabulary(Path file, boolean replaceInvalidUtf8) {
        Map<String, Long> counts = new HashMap<>();
        List<String> lines;
        try {
            CodingErrorAction onError = replaceInvalidUtf8 ? CodingErrorAction.REPLACE : CodingErrorAction.REPORT;
            lines = StandardCharsets.UTF_8.newDecoder().onMalformedInput(onError).onUnmappableCharacter(onError)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString().lines().toList();
        } catch (CharacterCodingException e) {
            throw new GlossaException(file + ": not valid UTF-8");
        } catch (IOException e) {
            throw new GlossaException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\\s+");
            long count;
            try {
                count = fields.length == 2 ? Long.parseLong(fields[1]) : -1;
            } catch (NumberFormatException e) {
                count = -1;
            }
            if (count < 0) {
                throw new GlossaException(file + ": line " + (i + 1) + ": expected 'word count', found '"
                        + (line.length() > 60 ? line.substring(0, 60) + "…" : line) + "'");
            }
            if (counts.putIfAbsent(fields[0], count) != null) {
                throw new GlossaException(file + ": line " + (i + 1) + ": '" + fields[0] + "' appears twice");
            }
        }
        return counts;
    }

    /** Writes "word count" lines in row order, as word2vec.c's -save-vocab does; the vectors need counts. */
    public static void writeVocabulary(KeyedVectors vectors, Path file) {
        if (!vectors.hasCounts()) {
            throw new GlossaException("cannot write " + file + ": these vectors carry no word counts");
        }
        AtomicFiles.write(file, temporary -> {
            try (var out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                for (int row = 0; row < vectors.size(); row++) {
                    out.write(vectors.words().get(row));
                    out.write(' ');
                    out.write(Long.toString(vectors.count(row)));
                    out.write('\n');
                }
            }
        });
    }

    /** The format of {@code file}, judged from its first two lines. */
    public static VectorFormat detect(Path file) {
        try (Input in = Input.open(file)) {
            return detect(in, file);
        } catch (IOException e) {
            throw new GlossaException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    private static VectorFormat detect(Input in, Path file) throws IOException {
        int firstEnd = in.peekLineEnd(in.pos);
        if (firstEnd < 0) {
            throw new GlossaException(file + " is empty");
        }
        byte[] b = in.buf;
        long[] header = parseHeader(b, in.pos, firstEnd);
        if (header != null) {
            int secondStart = firstEnd + 1;
            int secondEnd = in.peekLineEnd(secondStart);
            b = in.buf; // peeking may have grown the buffer
            if (secondEnd < 0 || header[0] == 0) {
                return VectorFormat.WORD2VEC_TEXT; // no rows: either layout reads the same
            }
            // Text when the row holds D numbers, or at least reads as text (then its errors are reported
            // as text errors); raw float bytes hardly ever form valid UTF-8 without control bytes.
            int rowEnd = trimEnd(b, secondStart, secondEnd);
            return isTextRow(b, secondStart, rowEnd, (int) header[1]) || looksLikeText(b, secondStart, rowEnd)
                    ? VectorFormat.WORD2VEC_TEXT : VectorFormat.WORD2VEC_BINARY;
        }
        if (isTextRow(b, in.pos, trimEnd(b, in.pos, firstEnd), -1)) {
            return VectorFormat.GLOVE_TEXT;
        }
        throw new GlossaException("cannot tell the format of " + file
                + ": its first line is neither a word2vec header 'count dimension' nor a GloVe row 'word v1 … vD'");
    }

    /** The two integers of a word2vec header line, or null when the line is not one. */
    private static long[] parseHeader(byte[] b, int from, int to) {
        to = trimEnd(b, from, to);
        long[] values = new long[2];
        int count = 0;
        int i = from;
        while (i < to) {
            while (i < to && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            if (i == to) {
                break;
            }
            int start = i;
            long value = 0;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                value = Math.min(value * 10 + (b[i] - '0'), Long.MAX_VALUE / 16);
                i++;
            }
            if (i == start || (i < to && b[i] != ' ' && b[i] != '\t') || count == 2) {
                return null;
            }
            values[count++] = value;
        }
        return count == 2 ? values : null;
    }

    /** Whether b[from, to) is "word v1 … vD" with numbers (D given, or any D ≥ 1 when negative). */
    private static boolean isTextRow(byte[] b, int from, int to, int dimension) {
        int i = from;
        while (i < to && b[i] == ' ') {
            i++;
        }
        while (i < to && b[i] != ' ') { // the word
            i++;
        }
        int values = 0;
        while (i < to) {
            while (i < to && b[i] == ' ') {
                i++;
            }
            if (i == to) {
                break;
            }
            int start = i;
            while (i < to && b[i] != ' ') {
                i++;
            }
            try {
                FloatText.parse(b, start, i);
            } catch (FloatText.NotANumber e) {
                return false;
            }
            values++;
        }
        return dimension < 0 ? values >= 1 : values == dimension;
    }

    /** Whether b[from, to) is valid UTF-8 without control bytes other than tab. */
    private static boolean looksLikeText(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xFF;
            int continuation;
            if (c < 0x80) {
                if ((c < 0x20 && c != '\t') || c == 0x7F) {
                    return false;
                }
                continuation = 0;
            } else if (c >= 0xC2 && c <= 0xDF) {
                continuation = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                continuation = 2;
            } else if (c >= 0xF0 && c <= 0xF4) {
                continuation = 3;
            } else {
                return false;
            }
            if (i + continuation >= to && continuation > 0) {
                return false;
            }
            for (int k = 1; k <= continuation; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += continuation + 1;
        }
        return true;
    }

    /** End of b[from, to) without trailing spaces, tabs and carriage returns. */
    private static int trimEnd(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t' || b[to - 1] == '\r')) {
            to--;
        }
        return to;
    }

    // ---------------------------------------------------------------------------------------------

    /** One read of one file. */
    private static final class Reader {
        private final Path file;
        private final Input in;
        private final ReadOptions options;
        private final CharsetDecoder decoder;
        private final List<String> words = new ArrayList<>();
        private final Map<String, Integer> rowOfWord = new HashMap<>();
        private float[] vectors = new float[0];
        private int dimension;

        Reader(Path file, Input in, ReadOptions options) {
            this.file = file;
            this.in = in;
            this.options = options;
            CodingErrorAction onError = options.replaceInvalidUtf8() ? CodingErrorAction.REPLACE : CodingErrorAction.REPORT;
            this.decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(onError).onUnmappableCharacter(onError);
        }

        private int rowLimit(long declared) {
            return options.limit() > 0 ? (int) Math.min(declared, options.limit()) : (int) declared;
        }

        /** Reads text rows, after a header line when {@code withHeader}. */
        KeyedVectors readText(boolean withHeader) throws IOException {
            long line = 0;
            long declaredRows = -1;
            if (withHeader) {
                int end = in.lineEnd();
                line++;
                long[] header = end < 0 ? null : parseHeader(in.buf, in.pos, end);
                if (header == null) {
                    throw error("line 1: expected the header 'count dimension', found '"
                            + preview(in.buf, in.pos, Math.max(in.pos, end)) + "'");
                }
                in.pos = end + 1;
                declaredRows = header[0];
                setShape(header[0], header[1], null, 2 * header[1]);
            }
            int rows = 0;
            int wanted = declaredRows >= 0 ? rowLimit(declaredRows) : (options.limit() > 0 ? options.limit() : Integer.MAX_VALUE);
            while (rows < wanted) {
                int end = in.lineEnd();
                if (end < 0) {
                    break;
                }
                line++;
                int start = in.pos;
                int stop = trimEnd(in.buf, start, end);
                in.pos = end + 1;
                if (stop == start) {
                    continue; // a blank line
                }
                if (dimension == 0) { // GloVe: the first row tells the dimension
                    setShape(-1, countValues(in.buf, start, stop), "line " + line + ": a word without values", 0);
                }
                parseTextRow(in.buf, start, stop, rows, line);
                rows++;
            }
            if (declaredRows >= 0 && rows < wanted) {
                throw error("the header announces " + declaredRows + " rows but the file ends after " + rows
                        + " (line " + line + ")");
            }
            if (declaredRows >= 0 && options.limit() <= 0) {
                while (true) {
                    int end = in.lineEnd();
                    if (end < 0) {
                        break;
                    }
                    line++;
                    int stop = trimEnd(in.buf, in.pos, end);
                    if (stop > in.pos) {
                        throw error("line " + line + ": the header announces " + declaredRows
                                + " rows but the file holds more");
                    }
                    in.pos = end + 1;
                }
            }
            if (rows == 0 && dimension == 0) {
                throw error("no vectors in the file");
            }
            return build(rows);
        }

        private void parseTextRow(byte[] b, int from, int to, int row, long line) {
            int i = from;
            while (i < to && b[i] == ' ') {
                i++;
            }
            int wordStart = i;
            while (i < to && b[i] != ' ') {
                i++;
            }
            String word = word(b, wordStart, i, "line " + line);
            int base = row * dimension;
            ensureCapacity(base + dimension);
            int values = 0;
            while (i < to) {
                while (i < to && b[i] == ' ') {
                    i++;
                }
                if (i == to) {
                    break;
                }
                int start = i;
                while (i < to && b[i] != ' ') {
                    i++;
                }
                if (values == dimension) {
                    throw error("line " + line + ": '" + word + "' has " + countValues(b, from, to)
                            + " values, expected " + dimension);
                }
                try {
                    vectors[base + values] = FloatText.parse(b, start, i);
                } catch (FloatText.NotANumber e) {
                    throw error("line " + line + ": value " + (values + 1) + " of '" + word + "' is not a number: '"
                            + preview(b, start, i) + "'");
                }
                values++;
            }
            if (values != dimension) {
                throw error("line " + line + ": '" + word + "' has " + values + " values, expected " + dimension);
            }
            addWord(word, row, "line " + line);
        }

        /** Number of space-separated tokens after the word in b[from, to). */
        private static int countValues(byte[] b, int from, int to) {
            int tokens = 0;
            int i = from;
            while (i < to) {
                while (i < to && b[i] == ' ') {
                    i++;
                }
                if (i == to) {
                    break;
                }
                tokens++;
                while (i < to && b[i] != ' ') {
                    i++;
                }
            }
            return Math.max(0, tokens - 1);
        }

        KeyedVectors readBinary() throws IOException {
            int end = in.lineEnd();
            long[] header = end < 0 ? null : parseHeader(in.buf, in.pos, end);
            if (header == null) {
                throw error("expected the header 'count dimension' on the first line, found '"
                        + preview(in.buf, in.pos, Math.max(in.pos, end)) + "'");
            }
            in.pos = end + 1;
            setShape(header[0], header[1], null, 4 * header[1] + 2);
            int wanted = rowLimit(header[0]);
            int bytesPerRow = 4 * dimension;
            for (int row = 0; row < wanted; row++) {
                // Line breaks before a word: word2vec.c ends every row with one, gensim none (both skip them).
                while (in.available(1) > 0 && in.buf[in.pos] == '\n') {
                    in.pos++;
                }
                if (in.available(1) == 0) {
                    throw error("the header announces " + header[0] + " rows but the file ends after " + row);
                }
                int space = in.find((byte) ' ', MAX_WORD_BYTES);
                if (space < 0) {
                    throw error("row " + (row + 1) + ": no space after the word within "
                            + Math.min(in.available(MAX_WORD_BYTES), MAX_WORD_BYTES)
                            + " bytes: the file is truncated or not a word2vec binary file");
                }
                for (int i = in.pos; i < space; i++) {
                    if (in.buf[i] >= 0 && in.buf[i] < 0x20) {
                        throw error("row " + (row + 1) + ": the word holds control bytes (" + hex(in.buf, in.pos, space)
                                + "): the rows are not " + dimension + " floats long as the header says, or the file is damaged");
                    }
                }
                String word = word(in.buf, in.pos, space, "row " + (row + 1));
                in.pos = space + 1;
                int have = in.available(bytesPerRow);
                if (have < bytesPerRow) {
                    throw error("row " + (row + 1) + " ('" + word + "') is truncated: " + have + " of " + bytesPerRow
                            + " bytes (the header announces " + header[0] + " rows of " + dimension + " floats)");
                }
                int base = row * dimension;
                ensureCapacity(base + dimension);
                byte[] b = in.buf;
                for (int k = 0, at = in.pos; k < dimension; k++, at += 4) {
                    vectors[base + k] = (float) LITTLE_ENDIAN_FLOAT.get(b, at);
                }
                in.pos += bytesPerRow;
                addWord(word, row, "row " + (row + 1));
            }
            if (options.limit() <= 0) {
                while (in.available(1) > 0 && isSpace(in.buf[in.pos])) {
                    in.pos++;
                }
                if (in.available(1) > 0) {
                    throw error("the header announces " + header[0] + " rows of " + dimension
                            + " floats but more data follows them (at byte " + in.offset() + ")");
                }
            }
            return build(wanted);
        }

        private static boolean isSpace(byte b) {
            return b == '\n' || b == '\r' || b == ' ' || b == '\t';
        }

        /**
         * Sets the dimension and allocates for the rows a header announces (rows < 0: none), trusting the
         * header only as far as the file size allows ({@code minRowBytes} per row).
         */
        private void setShape(long rows, long dimension, String noValues, long minRowBytes) {
            if (dimension <= 0) {
                throw error(noValues != null ? noValues
                        : "the header gives dimension " + dimension + ", expected a positive number");
            }
            if (dimension > Integer.MAX_VALUE / 8) {
                throw error("dimension " + dimension + " is too large");
            }
            this.dimension = (int) dimension;
            if (rows >= 0) {
                long wanted = rowLimit(Math.min(rows, Integer.MAX_VALUE));
                if (rows > Integer.MAX_VALUE || wanted * dimension > Integer.MAX_VALUE - 16) {
                    throw error("the header announces " + rows + " rows of " + dimension
                            + " floats: more than one Java array holds (2^31 floats)");
                }
                long plausible = in.compressed() ? 1 << 16 : in.fileSize() / minRowBytes + 1;
                vectors = new float[(int) (Math.min(wanted, plausible) * dimension)];
            }
        }

        private void ensureCapacity(int floats) {
            if (floats > vectors.length) {
                long grown = Math.max(floats, Math.min((long) vectors.length * 2, Integer.MAX_VALUE - 16));
                if (grown < floats || floats < 0) {
                    throw error("more values than one Java array holds (2^31 floats)");
                }
                vectors = Arrays.copyOf(vectors, (int) Math.max(grown, 1024L * dimension));
            }
        }

        private String word(byte[] b, int from, int to, String where) {
            if (from == to) {
                throw error(where + ": empty word");
            }
            boolean ascii = true;
            for (int i = from; i < to; i++) {
                if (b[i] < 0) {
                    ascii = false;
                    break;
                }
            }
            if (ascii) {
                return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
            }
            try {
                CharBuffer chars = decoder.decode(ByteBuffer.wrap(b, from, to - from));
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw error(where + ": the word is not valid UTF-8 (bytes " + hex(b, from, to) + ")");
            }
        }

        private void addWord(String word, int row, String where) {
            Integer previous = rowOfWord.putIfAbsent(word, row);
            if (previous != null) {
                throw error(where + ": the word '" + word + "' appears twice (rows " + (previous + 1) + " and "
                        + (row + 1) + ")");
            }
            words.add(word);
        }

        private KeyedVectors build(int rows) {
            float[] exact = vectors.length == rows * dimension ? vectors : Arrays.copyOf(vectors, rows * dimension);
            vectors = null;
            return KeyedVectors.adopt(words, exact, dimension, null);
        }

        private GlossaException error(String message) {
            return new GlossaException(file + ": " + message);
        }
    }

    private static String preview(byte[] b, int from, int to) {
        String text = new String(b, from, Math.min(to, from + 40) - from, StandardCharsets.UTF_8)
                .replaceAll("\\p{Cntrl}", "?");
        return to - from > 40 ? text + "…" : text;
    }

    private static String hex(byte[] b, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < Math.min(to, from + 24); i++) {
            if (s.length() > 0) {
                s.append(' ');
            }
            s.append(String.format("%02x", b[i] & 0xFF));
        }
        return to - from > 24 ? s + " …" : s.toString();
    }

    /** A growable window over a (possibly gzip) input stream. */
    private static final class Input implements Closeable {
        private final InputStream stream;
        private final long fileSize;
        private final boolean compressed;
        byte[] buf = new byte[1 << 20];
        int pos;
        int end;
        private long bufferOffset; // stream offset of buf[0]
        private boolean eof;

        private Input(InputStream stream, long fileSize, boolean compressed) {
            this.stream = stream;
            this.fileSize = fileSize;
            this.compressed = compressed;
        }

        static Input open(Path file) throws IOException {
            if (Files.isDirectory(file)) {
                throw new GlossaException(file + " is a directory, not a vector file");
            }
            long size = Files.size(file);
            InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream stream = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            return new Input(stream, size, gzip);
        }

        long fileSize() {
            return fileSize;
        }

        boolean compressed() {
            return compressed;
        }

        long offset() {
            return bufferOffset + pos;
        }

        /** Buffers up to {@code n} bytes from pos; returns how many are there (fewer only at the end). */
        int available(int n) throws IOException {
            if (end - pos >= n) {
                return end - pos;
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, end - pos);
                bufferOffset += pos;
                end -= pos;
                pos = 0;
            }
            if (n > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(Math.max(n, 2L * buf.length), Integer.MAX_VALUE - 16));
            }
            while (end < n && !eof) {
                int read = stream.read(buf, end, buf.length - end);
                if (read < 0) {
                    eof = true;
                } else {
                    end += read;
                }
            }
            return end - pos;
        }

        /** Index of the next {@code target} within {@code max} bytes from pos (reading as needed), or -1. */
        int find(byte target, int max) throws IOException {
            int scanned = 0;
            while (true) {
                int limit = Math.min(end, pos + max);
                for (int i = pos + scanned; i < limit; i++) {
                    if (buf[i] == target) {
                        return i;
                    }
                }
                scanned = limit - pos;
                if (scanned >= max || eof && end - pos == scanned) {
                    return -1;
                }
                available(Math.min(max, Math.max(scanned + 1, 2 * scanned)));
            }
        }

        /** End (index of '\n', or of the data at the end of input) of the line at pos; -1 when nothing is left. */
        int lineEnd() throws IOException {
            int at = find((byte) '\n', MAX_LINE_BYTES);
            if (at >= 0) {
                return at;
            }
            if (end - pos >= MAX_LINE_BYTES) {
                throw new GlossaException("a line longer than " + MAX_LINE_BYTES + " bytes at byte " + offset()
                        + ": not a text vector file?");
            }
            return end > pos ? end : -1;
        }

        /** Like lineEnd for the line starting at {@code from} (≥ pos), without consuming; may move data. */
        int peekLineEnd(int from) throws IOException {
            int skip = from - pos;
            int max = SNIFF_BYTES;
            while (true) {
                available(skip + max);
                for (int i = pos + skip; i < end; i++) {
                    if (buf[i] == '\n') {
                        return i;
                    }
                }
                if (eof || max >= MAX_LINE_BYTES) {
                    return end > pos + skip ? end : -1;
                }
                max *= 4;
            }
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    /** Writes {@code vectors} to {@code file} in {@code format} (binary rows end with a line break, as word2vec.c). */
    public static void write(KeyedVectors vectors, Path file, VectorFormat format) {
        write(vectors, file, format, true);
    }

    /**
     * Writes {@code vectors} to {@code file} in {@code format}; gzip-compressed when the name ends in .gz.
     *
     * @param binaryLineBreaks end binary rows with "\n" as word2vec.c does; false writes gensim's layout
     */
    public static void write(KeyedVectors vectors, Path file, VectorFormat format, boolean binaryLineBreaks) {
        List<String> words = vectors.words();
        byte[][] encoded = new byte[words.size()][];
        for (int i = 0; i < encoded.length; i++) {
            String word = words.get(i);
            if (word.isEmpty() || word.chars().anyMatch(c -> c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
                throw new GlossaException("cannot write " + file + ": the word '" + word.replace("\n", "\\n")
                        + "' (row " + (i + 1) + ") is empty or holds a space, tab or line break, which the "
                        + "word2vec and GloVe formats cannot store");
            }
            encoded[i] = word.getBytes(StandardCharsets.UTF_8);
        }
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        AtomicFiles.write(file, temporary -> {
            try (OutputStream raw = Files.newOutputStream(temporary);
                 OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw) {
                writeTo(vectors, encoded, out, format, binaryLineBreaks);
            }
        });
    }

    private static void writeTo(KeyedVectors vectors, byte[][] words, OutputStream out, VectorFormat format,
                                boolean binaryLineBreaks) throws IOException {
        int d = vectors.dimension();
        byte[] buffer = new byte[1 << 20];
        int at = 0;
        if (format != VectorFormat.GLOVE_TEXT) {
            byte[] header = (vectors.size() + " " + d + "\n").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(header, 0, buffer, 0, header.length);
            at = header.length;
        }
        float[] row = new float[d];
        boolean binary = format == VectorFormat.WORD2VEC_BINARY;
        int worstRow = binary ? 4 * d + 1 : 17 * d + 1; // bytes after the word
        for (int i = 0; i < words.length; i++) {
            vectors.copyVector(i, row, 0);
            byte[] word = words[i];
            if (at + word.length + 1 + worstRow > buffer.length) {
                out.write(buffer, 0, at);
                at = 0;
                if (word.length + 1 + worstRow > buffer.length) {
                    buffer = new byte[word.length + 1 + worstRow];
                }
            }
            System.arraycopy(word, 0, buffer, at, word.length);
            at += word.length;
            buffer[at++] = ' ';
            if (binary) {
                for (int k = 0; k < d; k++, at += 4) {
                    LITTLE_ENDIAN_FLOAT.set(buffer, at, row[k]);
                }
                if (binaryLineBreaks) {
                    buffer[at++] = '\n';
                }
            } else {
                for (int k = 0; k < d; k++) {
                    if (k > 0) {
                        buffer[at++] = ' ';
                    }
                    at = FloatText.format(row[k], buffer, at);
                }
                buffer[at++] = '\n';
            }
        }
        out.write(buffer, 0, at);
    }
}
