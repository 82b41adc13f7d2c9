package org.glossa.tasks.charlm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.tasks.RunOptions;

/**
 * A training text: read strictly as UTF-8 and split 90/10 into training and validation tokens, the
 * validation part being the end of the text (as nanoGPT splits Tiny Shakespeare), so both are contiguous.
 */
public final class Corpus {
    /** The share of the tokens held out for validation. */
    public static final double VALIDATION_FRACTION = 0.1;
    /** Where Tiny Shakespeare lives relative to the repository root (and in {@code glossa.shared}). */
    public static final String TINY_SHAKESPEARE = "data/tinyshakespeare/input.txt";

    private Corpus() {}

    /** The token ids of a text cut in two: the first 90 % to train on, the last 10 % to validate on. */
    public record Split(int[] train, int[] validation) {}

    /** The whole file as text; fails with one line when it is missing, unreadable, not UTF-8 or empty. */
    public static String read(Path file) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new GlossaException(file + ": is a directory, expected a text file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new GlossaException(file + ": no such file", e);
        } catch (IOException e) {
            throw new GlossaException(file + ": cannot read: " + AtomicFiles.describe(e), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new GlossaException(file + ": not UTF-8 text (" + e.getMessage() + ")", e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte-order mark is not part of the text
        }
        if (text.isBlank()) {
            throw new GlossaException(file + ": the corpus is empty");
        }
        return text;
    }

    /** Cuts {@code ids} at 90 %: training first, validation last. */
    public static Split split(int[] ids) {
        int cut = (int) (ids.length * (1 - VALIDATION_FRACTION));
        return new Split(Arrays.copyOfRange(ids, 0, cut), Arrays.copyOfRange(ids, cut, ids.length));
    }

    /**
     * Tiny Shakespeare, looked up as {@code $glossa.shared/data/…} when that property is set, else as
     * {@code ../shared/data/…} from the working directory and each of its parents (so it is found from the
     * repository root and from a module directory alike).
     */
    public static Path defaultCorpus() {
        Path found = RunOptions.findShared(TINY_SHAKESPEARE);
        if (found != null) {
            return found;
        }
        throw new GlossaException("no corpus given and Tiny Shakespeare is not at ../shared/" + TINY_SHAKESPEARE
                + " (from " + Path.of("").toAbsolutePath() + " or its parents): pass --corpus FILE");
    }

    /** A checksum of the text, to tell whether a resumed run still reads the same corpus. */
    public static long checksum(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
