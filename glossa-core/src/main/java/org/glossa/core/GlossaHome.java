package org.glossa.core;

import java.nio.file.Path;
import java.util.Map;

/** Glossa's own directory for imported models and caches: {@code $GLOSSA_HOME}, else {@code ~/.cache/glossa}. */
public final class GlossaHome {
    private GlossaHome() {}

    /** The directory for this process's environment. */
    public static Path dir() {
        return dir(System.getenv(), System.getProperty("user.home"));
    }

    /** The directory for a given environment and home directory (a blank GLOSSA_HOME counts as unset). */
    public static Path dir(Map<String, String> environment, String userHome) {
        String home = environment.get("GLOSSA_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(userHome, ".cache", "glossa");
    }
}
