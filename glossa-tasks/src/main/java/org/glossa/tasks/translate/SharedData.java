package org.glossa.tasks.translate;

import java.nio.file.Path;
import org.glossa.core.GlossaException;
import org.glossa.tasks.RunOptions;

/** Finds a data set of ../shared/data, as {@code charlm.Corpus} finds Tiny Shakespeare. */
final class SharedData {
    private SharedData() {}

    /**
     * {@code $glossa.shared/relative} when that property is set and the path exists, else
     * {@code ../shared/relative} from the working directory or one of its parents.
     */
    static Path locate(String relative, String option) {
        Path found = RunOptions.findShared(relative);
        if (found != null) {
            return found;
        }
        throw new GlossaException(relative + " is not in ../shared (from " + Path.of("").toAbsolutePath()
                + " or its parents): pass " + option);
    }
}
