package org.glossa.tasks.translate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glossa.core.GlossaException;

/**
 * Multi30k (WMT16 multimodal task 1), German → English: the line-aligned files {@code train.de/.en}
 * (29,000 pairs), {@code val.de/.en} (1,014) and {@code test.de/.en} (1,000, the 2016 test set) of
 * {@code ../shared/data/multi30k}, raw text, not tokenised.
 */
public final class Multi30k {
    /** Where the files live below ../shared. */
    public static final String DIRECTORY = "data/multi30k";
    public static final List<String> PARTS = List.of("train", "val", "test");

    private Multi30k() {}

    /** ../shared/data/multi30k. */
    public static Path defaultDirectory() {
        return SharedData.locate(DIRECTORY, "the multi30k directory");
    }

    /** One part ("train", "val" or "test"), German → English. */
    public static ParallelCorpus read(Path directory, String part) {
        if (!PARTS.contains(part)) {
            throw new GlossaException("unknown Multi30k part \"" + part + "\": expected one of " + PARTS);
        }
        if (!Files.isDirectory(directory)) {
            throw new GlossaException(directory + ": not a directory (expected the Multi30k files)");
        }
        return ParallelCorpus.readAligned(directory.resolve(part + ".de"), directory.resolve(part + ".en"));
    }

    /** train, val and test as one split. */
    public static DataSplit split(Path directory) {
        return new DataSplit(read(directory, "train").pairs(), read(directory, "val").pairs(),
                read(directory, "test").pairs());
    }
}
