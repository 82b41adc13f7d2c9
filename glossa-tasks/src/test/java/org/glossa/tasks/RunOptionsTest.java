package org.glossa.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.nn.train.Checkpoints;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class RunOptionsTest {
    @TempDir Path dir;

    /** A task's options in miniature: JSON keys, a default filled in and a check in the constructor. */
    record Sample(@JsonProperty("corpus") String corpus, @JsonProperty("batch_size") int batchSize,
                  @JsonProperty("epochs") double epochs) {
        Sample {
            corpus = corpus == null ? "default.txt" : corpus;
            RunOptions.checkPositive("batch size", batchSize);
        }
    }

    @Test
    void withReplacesSettingsThroughTheConstructor() {
        Sample sample = new Sample("a.txt", 8, 2);
        assertEquals(new Sample("b.txt", 16, 2), RunOptions.with(sample, Map.of("corpus", Path.of("b.txt"), "batch_size", 16)));
        // One null setting goes through the constructor, which fills in its default.
        assertEquals(new Sample("default.txt", 8, 2), RunOptions.with(sample, "corpus", null));
        assertEquals(new Sample("a.txt", 8, 2), sample, "the original is unchanged");
    }

    @Test
    void withRefusesUnknownKeysAndInvalidValues() {
        Sample sample = new Sample("a.txt", 8, 2);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> RunOptions.with(sample, "batch", 4));
        assertEquals("no option 'batch'", unknown.getMessage());
        // The constructor's own message, one line, prefixed by where the options came from.
        GlossaException invalid = assertThrows(GlossaException.class, () -> RunOptions.with(sample, "batch_size", 0));
        assertEquals("options: batch size must be positive, got 0", invalid.getMessage());
    }

    @Test
    void fromJsonNamesTheSourceAndKeepsOneLine() {
        var json = HfConfig.parse("{\"corpus\": \"x\", \"batch_size\": \"many\", \"epochs\": 1}".getBytes(), "test");
        GlossaException e = assertThrows(GlossaException.class, () -> RunOptions.fromJson(json, Sample.class, "run.json"));
        assertTrue(e.getMessage().startsWith("run.json: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void incompatibleListsOnlyTheSettingsThatMayNotChange() {
        Sample original = new Sample("a.txt", 8, 2);
        Sample now = new Sample("b.txt", 16, 5);
        assertEquals(List.of("corpus \"a.txt\" in the run, \"b.txt\" now", "batch_size 8 in the run, 16 now"),
                RunOptions.incompatible(now, original, Set.of("epochs")));
        assertEquals(List.of(), RunOptions.incompatible(now, original, Set.of("corpus", "batch_size", "epochs")));
    }

    @Test
    void savedOptionsRoundTripAndRunDirectories() throws Exception {
        Sample sample = new Sample("a.txt", 8, 2);
        Path file = dir.resolve("task.json");
        var json = HfConfig.mapper().createObjectNode();
        json.set("options", HfConfig.mapper().valueToTree(sample));
        HfConfig.write(file, json);
        assertEquals(sample, RunOptions.readSaved(file, Sample.class));

        assertTrue(RunOptions.holdsRun(dir, "task.json"));
        assertFalse(RunOptions.holdsRun(dir, "other.json"));
        Path checkpoint = dir.resolve("checkpoint-10");
        Files.createDirectories(checkpoint.resolve(Checkpoints.TRAINING_STATE));
        assertEquals(dir.toAbsolutePath(), RunOptions.runDirOf(checkpoint));
        assertEquals(dir, RunOptions.runDirOf(dir));
        assertTrue(RunOptions.defaultRunDir("textgen").toString().matches("runs/textgen-\\d{8}-\\d{6}"));

        // From a checkpoint, the saved options are its run's.
        assertEquals(sample, RunOptions.readSaved(checkpoint, "task.json", "sample", Sample.class));
        Path otherCheckpoint = dir.resolve("other/checkpoint-3");
        Files.createDirectories(otherCheckpoint.resolve(Checkpoints.TRAINING_STATE));
        assertEquals(dir.resolve("other").toAbsolutePath() + ": not a sample run (no task.json)",
                assertThrows(GlossaException.class,
                        () -> RunOptions.readSaved(otherCheckpoint, "task.json", "sample", Sample.class)).getMessage());
    }

    @Test
    void resumingRefusesChangedSettingsNamingThem() {
        RunOptions.requireResumable(dir, List.of());
        assertEquals("cannot resume " + dir + " with different settings: seed 1 in the run, 2 now; batch_size 8 in the run, 4 now",
                assertThrows(GlossaException.class, () -> RunOptions.requireResumable(dir,
                        List.of("seed 1 in the run, 2 now", "batch_size 8 in the run, 4 now"))).getMessage());
    }

    @Test
    void precisionAndRunLengthChecks() {
        assertEquals("bf16", RunOptions.precision("BF16", "fp32"));
        assertEquals("fp32", RunOptions.precision(null, "fp32"));
        assertEquals("precision 'fp16' is not fp32 or bf16",
                assertThrows(GlossaException.class, () -> RunOptions.precision("fp16", "fp32")).getMessage());
        RunOptions.checkLength(0.5, 0);
        RunOptions.checkLength(0, 10);
        assertThrows(GlossaException.class, () -> RunOptions.checkLength(0, 0));
        assertThrows(GlossaException.class, () -> RunOptions.checkLength(1, -1));
        assertThrows(GlossaException.class, () -> RunOptions.checkLearningRate(Double.POSITIVE_INFINITY));
        assertThrows(GlossaException.class, () -> RunOptions.checkLearningRate(Double.NaN));
    }
}
