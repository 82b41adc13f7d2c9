package org.glossa.tasks.translate;

import java.nio.file.Files;
import java.nio.file.Path;
import org.glossa.core.GlossaException;

/** Finds a data set of ../shared/data, as {@code charlm.Corpus} finds Tiny Shakespeare. */
final class SharedData {
    private SharedData() {}

    /**
     * {@code $glossa.shared/relative} when that property is set and the path exists, else
     * {@code ../shared/relative} from the working directory or one of its parents.
     */
    static Path locate(String relative, String option) {
        String shared = System.getProperty("glossa.shared");
        if (shared != null && Files.exists(Path.of(shared).resolve(relative))) {
            return Path.of(shared).resolve(relative).normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared").resolve(relative).normalize();
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new GlossaException(relative + " is not in ../shared (from " + Path.of("").toAbsolutePath()
                + " or its parents): pass " + option);
    }
}
