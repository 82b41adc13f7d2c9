package org.glossa.nn.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;

/**
 * The checkpoint directories of a run and their retention.
 *
 * <p>Layout, HF's plus our training state:
 * <pre>
 * RUN_DIR/
 *   metrics.jsonl
 *   loss.png
 *   checkpoint-200/
 *     config.json                 (the model's own writer)
 *     model.safetensors           (HF names)
 *     training_state/
 *       trainer_state.json        (step, epoch, data position, best metric, early-stopping count, settings)
 *       optimizer.safetensors     (moments and per-parameter step counts)
 *       rng.safetensors           (libtorch's CPU generator state)
 *       carried_state.safetensors (only when the model carries state across batches)
 * </pre>
 */
public final class Checkpoints {
    public static final String PREFIX = "checkpoint-";
    public static final String TRAINING_STATE = "training_state";
    public static final String TRAINER_STATE_FILE = "trainer_state.json";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String RNG_FILE = "rng.safetensors";
    public static final String CARRIED_STATE_FILE = "carried_state.safetensors";
    public static final String MODEL_FILE = "model.safetensors";

    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)");

    private Checkpoints() {}

    /** The name of the checkpoint written after {@code step} steps. */
    public static String name(long step) {
        return PREFIX + step;
    }

    /** The step of a checkpoint directory, or -1 when the name is not {@code checkpoint-N}. */
    public static long stepOf(Path dir) {
        Matcher matcher = NAME.matcher(dir.getFileName().toString());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
    }

    /** The complete checkpoints of {@code runDir} (ones with a training state), oldest first. */
    public static List<Path> list(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(runDir)) {
            return entries.filter(p -> stepOf(p) >= 0 && Files.isDirectory(p.resolve(TRAINING_STATE)))
                    .sorted(Comparator.comparingLong(Checkpoints::stepOf))
                    .toList();
        } catch (IOException e) {
            throw new GlossaException("cannot list " + runDir + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** {@code path} if it is a checkpoint, else the newest checkpoint of the run directory {@code path}. */
    public static Path resolve(Path path) {
        if (Files.isDirectory(path.resolve(TRAINING_STATE))) {
            return path;
        }
        if (!Files.isDirectory(path)) {
            throw new GlossaException(path + ": no such checkpoint or run directory");
        }
        List<Path> all = list(path);
        if (all.isEmpty()) {
            throw new GlossaException(path + ": no checkpoint to resume from (neither a " + TRAINING_STATE
                    + " folder nor " + PREFIX + "N directories)");
        }
        return all.get(all.size() - 1);
    }

    /** Deletes all but the newest {@code keepLast} checkpoints and {@code keep} (the best; may be null). 0 keeps all. */
    static void prune(Path runDir, int keepLast, String keep) {
        if (keepLast <= 0) {
            return;
        }
        List<Path> all = new ArrayList<>(list(runDir));
        for (int i = 0; i < all.size() - keepLast; i++) {
            Path old = all.get(i);
            if (!old.getFileName().toString().equals(keep)) {
                AtomicFiles.deleteRecursively(old);
            }
        }
    }
}
