package org.glossa.embeddings.corpus;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.glossa.core.GlossaException;

/**
 * Reads a UTF-8 text file (gzip-compressed or not, recognised by its magic bytes) as segments of decoded
 * characters: normally one segment per line, but a line longer than {@link #MAX_SEGMENT_BYTES} comes in
 * several segments, cut after a blank where possible, so that a corpus without line breaks (text8) never
 * needs more than a megabyte of memory. Malformed UTF-8 is an error that names the file, the byte offset
 * and the line.
 */
final class Utf8LineReader implements Closeable {
    static final int MAX_SEGMENT_BYTES = 1 << 20;

    private final Path file;
    private final boolean gzipped;
    private final InputStream in;
    private final byte[] bytes;
    private int start;              // first unread byte in bytes
    private int end;                // end of the valid bytes
    private long bufferOffset;      // stream offset of bytes[0]
    private boolean eof;

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final char[] chars;
    private final CharBuffer charBuffer;
    private int length;             // chars of the current segment
    private boolean endsLine;       // whether the current segment ends its line
    private long lineNumber = 1;    // line of the current segment (1-based)
    private long nextLineNumber = 1;
    private boolean startsLine;     // whether the current segment begins its line
    private boolean previousEndedLine = true;

    Utf8LineReader(Path file) {
        this(file, MAX_SEGMENT_BYTES);
    }

    /** With a smaller segment size, for tests of the cutting. */
    Utf8LineReader(Path file, int maxSegmentBytes) {
        this.file = file;
        this.bytes = new byte[maxSegmentBytes];
        this.chars = new char[maxSegmentBytes];
        this.charBuffer = CharBuffer.wrap(chars);
        InputStream stream = null;
        try {
            stream = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            stream.mark(2);
            int b0 = stream.read();
            int b1 = stream.read();
            stream.reset();
            gzipped = b0 == 0x1f && b1 == 0x8b;
            in = gzipped ? new GZIPInputStream(stream, 1 << 16) : stream;
        } catch (NoSuchFileException e) {
            throw new GlossaException("corpus file " + file + " does not exist");
        } catch (IOException e) {
            closeQuietly(stream);
            throw new GlossaException("cannot read corpus file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Advances to the next segment; false at the end of the file. */
    boolean next() {
        lineNumber = nextLineNumber;
        startsLine = previousEndedLine;
        while (true) {
            for (int i = start; i < end; i++) {
                if (bytes[i] == '\n') {
                    decode(start, i);
                    start = i + 1;
                    endsLine = true;
                    previousEndedLine = true;
                    nextLineNumber++;
                    return true;
                }
            }
            if (eof) {
                if (start == end) {
                    return false;
                }
                decode(start, end);
                start = end;
                endsLine = true;
                previousEndedLine = true;
                nextLineNumber++;
                return true;
            }
            if (start == 0 && end == bytes.length) {
                int cut = cutPoint();
                decode(0, cut);
                start = cut;
                endsLine = false;
                previousEndedLine = false;
                return true;
            }
            fill();
        }
    }

    /** Characters of the current segment, in {@code chars()[0..length())}. */
    char[] chars() {
        return chars;
    }

    int length() {
        return length;
    }

    /** Whether the current segment is the last (or only) piece of its line. */
    boolean endsLine() {
        return endsLine;
    }

    /** Whether the current segment is the first (or only) piece of its line. */
    boolean startsLine() {
        return startsLine;
    }

    long lineNumber() {
        return lineNumber;
    }

    /** Where to cut a full buffer that holds no line break: after the last blank, else at a character boundary. */
    private int cutPoint() {
        for (int i = end - 1; i > end / 2; i--) {
            if (bytes[i] == ' ' || bytes[i] == '\t') {
                return i + 1;
            }
        }
        int cut = end;
        while (cut > 1 && (bytes[cut - 1] & 0xC0) == 0x80) {
            cut--; // continuation bytes: do not split a character
        }
        return (bytes[cut - 1] & 0x80) != 0 ? cut - 1 : cut; // nor cut right after its lead byte
    }

    private void fill() {
        if (start > 0) {
            System.arraycopy(bytes, start, bytes, 0, end - start);
            bufferOffset += start;
            end -= start;
            start = 0;
        }
        try {
            int n = in.read(bytes, end, bytes.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
            }
        } catch (ZipException | EOFException e) {
            throw new GlossaException("corpus file " + file + " is not valid gzip data near byte "
                    + (bufferOffset + end) + " of its decompressed text: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new GlossaException("cannot read corpus file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Decodes {@code bytes[from..to)} into {@link #chars}; ASCII, the common case, without the decoder. */
    private void decode(int from, int to) {
        if (bufferOffset + from == 0 && to - from >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB
                && bytes[2] == (byte) 0xBF) {
            from += 3; // a byte order mark at the start of the file is not text
        }
        int n = to - from;
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            for (int i = 0; i < n; i++) {
                chars[i] = (char) bytes[from + i];
            }
            length = n;
            return;
        }
        ByteBuffer input = ByteBuffer.wrap(bytes, from, n);
        charBuffer.clear();
        decoder.reset();
        CoderResult result = decoder.decode(input, charBuffer, true);
        if (!result.isError()) {
            result = decoder.flush(charBuffer);
        }
        if (result.isError()) {
            long offset = bufferOffset + input.position();
            throw new GlossaException("corpus file " + file + " is not valid UTF-8: malformed byte 0x"
                    + String.format("%02x", bytes[input.position()] & 0xFF) + " at byte offset " + offset
                    + (gzipped ? " of its decompressed text" : "") + " (line " + lineNumber + ")");
        }
        length = charBuffer.position();
    }

    @Override
    public void close() {
        closeQuietly(in);
    }

    private static void closeQuietly(InputStream stream) {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // nothing was written: nothing to lose
            }
        }
    }
}
