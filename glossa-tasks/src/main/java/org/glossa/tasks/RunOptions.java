package org.glossa.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.nn.train.Checkpoints;
import org.glossa.nn.train.TrainConfig.Precision;

/**
 * What the training tasks ({@code TextgenTraining}, {@code SquadTraining}, {@code ClassifyTraining},
 * {@code TranslationTraining}) do alike with their options records and run directories. An options record is
 * read and written as JSON keyed like its {@code @JsonProperty} names and validates itself in its compact
 * constructor, so changing a setting goes through JSON and the constructor again.
 */
public final class RunOptions {
    private static final DateTimeFormatter RUN_TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunOptions() {}

    /**
     * A copy of {@code options} with the settings in {@code changes} (JSON keys) replaced, validated again; a
     * {@link Path} value is written as its string. An unknown key is a programming error, not the user's.
     */
    public static <T extends Record> T with(T options, Map<String, ?> changes) {
        ObjectNode json = HfConfig.mapper().valueToTree(options);
        changes.forEach((key, value) -> {
            if (!json.has(key)) {
                throw new IllegalArgumentException("no option '" + key + "'");
            }
            json.set(key, HfConfig.mapper().valueToTree(value instanceof Path p ? p.toString() : value));
        });
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) options.getClass();
        return fromJson(json, type, "options");
    }

    /** {@link #with(Record, Map)} for one setting; {@code value} may be null. */
    public static <T extends Record> T with(T options, String key, Object value) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put(key, value);
        return with(options, change);
    }

    /**
     * The settings of {@code now} that differ from {@code original} outside {@code changeable}, each as
     * "key OLD in the run, NEW now": what forbids resuming a run with {@code now}.
     */
    public static List<String> incompatible(Record now, Record original, Set<String> changeable) {
        ObjectNode mine = HfConfig.mapper().valueToTree(now);
        ObjectNode theirs = HfConfig.mapper().valueToTree(original);
        List<String> out = new ArrayList<>();
        theirs.fieldNames().forEachRemaining(key -> {
            if (!changeable.contains(key) && !mine.get(key).equals(theirs.get(key))) {
                out.add(key + " " + theirs.get(key) + " in the run, " + mine.get(key) + " now");
            }
        });
        return out;
    }

    /**
     * The options record in {@code json}. Whatever goes wrong becomes one line prefixed by {@code where}: the
     * record's own validation message when its constructor refused a value, else Jackson's first line.
     */
    public static <T> T fromJson(JsonNode json, Class<T> type, String where) {
        try {
            return HfConfig.mapper().treeToValue(json, type);
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String message = cause instanceof GlossaException ? cause.getMessage()
                    : e.getMessage().lines().findFirst().orElse(e.toString());
            throw new GlossaException(where + ": " + message, e);
        }
    }

    /** The options saved under "options" in the JSON {@code file} of a run. */
    public static <T> T readSaved(Path file, Class<T> type) {
        return fromJson(HfConfig.read(file).get("options"), type, file.toString());
    }

    /**
     * The options saved in the run directory of {@code runOrCheckpoint} (a checkpoint's run is its parent);
     * {@code kind} names the task's runs in the error when the file is missing ("not a KIND run").
     */
    public static <T> T readSaved(Path runOrCheckpoint, String optionsFile, String kind, Class<T> type) {
        Path runDir = runDirOf(runOrCheckpoint);
        Path file = runDir.resolve(optionsFile);
        if (!Files.isRegularFile(file)) {
            throw new GlossaException(runDir + ": not a " + kind + " run (no " + optionsFile + ")");
        }
        return readSaved(file, type);
    }

    /** Refuses to resume {@code runDir} when some settings may not change ({@link #incompatible}'s list). */
    public static void requireResumable(Path runDir, List<String> incompatible) {
        if (!incompatible.isEmpty()) {
            throw new GlossaException("cannot resume " + runDir + " with different settings: " + String.join("; ", incompatible));
        }
    }

    /** {@code runs/<name>-<timestamp>} under the working directory. */
    public static Path defaultRunDir(String name) {
        return Path.of("runs", name + "-" + LocalDateTime.now().format(RUN_TIMESTAMP));
    }

    /** Whether {@code runDir} already holds a run: a checkpoint or the task's options file. */
    public static boolean holdsRun(Path runDir, String optionsFile) {
        return !Checkpoints.list(runDir).isEmpty() || Files.exists(runDir.resolve(optionsFile));
    }

    /** A checkpoint's run is its parent; anything else is taken for a run directory. */
    public static Path runDirOf(Path runOrCheckpoint) {
        if (Files.isDirectory(runOrCheckpoint.resolve(Checkpoints.TRAINING_STATE))) {
            Path parent = runOrCheckpoint.toAbsolutePath().getParent();
            return parent == null ? runOrCheckpoint : parent;
        }
        return runOrCheckpoint;
    }

    /** {@code path} made absolute and normalised, so that saved options do not depend on the working directory. */
    public static String absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    /** "fp32" or "bf16" ({@code fallback} for null), lower-cased. */
    public static String precision(String precision, String fallback) {
        String value = precision == null ? fallback : precision.toLowerCase(Locale.ROOT);
        if (!List.of("fp32", "bf16").contains(value)) {
            throw new GlossaException("precision '" + value + "' is not fp32 or bf16");
        }
        return value;
    }

    /** The trainer's precision for a checked "fp32"/"bf16" setting. */
    public static Precision trainPrecision(String precision) {
        return precision.equals("bf16") ? Precision.BF16 : Precision.FP32;
    }

    public static void checkPositive(String what, long value) {
        if (value <= 0) {
            throw new GlossaException(what + " must be positive, got " + value);
        }
    }

    /** A run's length: a positive number of steps, or none (0) and a positive number of epochs. */
    public static void checkLength(double epochs, long maxSteps) {
        if (maxSteps < 0 || (maxSteps == 0 && !(epochs > 0))) {
            throw new GlossaException("give a positive number of epochs or steps, got epochs " + epochs + " and steps " + maxSteps);
        }
    }

    public static void checkLearningRate(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new GlossaException("learning rate must be a positive number, got " + learningRate);
        }
    }

    /**
     * {@code $glossa.shared/relative} when that property is set and the path exists, else {@code ../shared/relative}
     * from the working directory or one of its parents (so it is found from the repository root and from a module
     * directory alike); null when neither exists.
     */
    public static Path findShared(String relative) {
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
        return null;
    }
}
