package org.glossa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TrainingCommandsTest {
    @TempDir Path dir;

    @Test
    void onlyGivenOptionsAreRecordedAndStepsAloneReplaceTheEpochs() {
        Map<String, Object> given = new LinkedHashMap<>();
        TrainingCommands.putGiven(given, "seed", 7L);
        TrainingCommands.putGiven(given, "epochs", null);
        TrainingCommands.stepsReplaceEpochs(given, null, 50L);
        assertEquals(Map.of("seed", 7L, "epochs", 0.0), given);

        Map<String, Object> both = new LinkedHashMap<>(Map.of("epochs", 3.0, "max_steps", 50L));
        TrainingCommands.stepsReplaceEpochs(both, 3.0, 50L);
        assertEquals(3.0, both.get("epochs"), "epochs given with --steps stay");
        Map<String, Object> none = new LinkedHashMap<>();
        TrainingCommands.stepsReplaceEpochs(none, null, null);
        assertEquals(Map.of(), none);
    }

    @Test
    void everyResumableCommandRefusesOutWithResumeBeforeReadingTheRun() {
        // The run directory does not exist: the usage error must come first, as exit code 2.
        String run = dir.resolve("no-run").toString();
        String out = dir.resolve("elsewhere").toString();
        for (List<String> command : List.of(List.of("textgen", "train"), List.of("squad", "train"), List.of("translate", "train"))) {
            CliRun result = CliRun.of(command.get(0), command.get(1), "--resume", run, "--out", out, "--no-progress");
            assertEquals(2, result.exitCode(), command + ": " + result.err());
            assertTrue(result.err().startsWith("glossa: --resume writes on into the run it continues: drop --out"),
                    command + ": " + result.err());
        }
    }

    @Test
    void theNewestCompleteRunIsFound() throws Exception {
        Path runs = dir.resolve("runs");
        assertNull(TrainingCommands.newestRun(runs, "textgen-", List.of("config.json")), "no runs directory: none");
        for (String name : List.of("textgen-20260101-120000", "textgen-20260301-080000", "classify-20270101-000000")) {
            Files.createDirectories(runs.resolve(name));
            Files.writeString(runs.resolve(name).resolve("config.json"), "{}");
        }
        Files.createDirectories(runs.resolve("textgen-20260401-000000")); // newer, but still training: no model yet
        assertEquals(runs.resolve("textgen-20260301-080000"), TrainingCommands.newestRun(runs, "textgen-", List.of("config.json")));
        assertNull(TrainingCommands.newestRun(runs, "textgen-", List.of("config.json", "vocab.json")));
    }

    @Test
    void loggedLinesAreFlushedOneByOne() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(new BufferedWriter(text), false); // buffered, as a console writer is
        TrainingCommands.flushedLines(out).accept("epoch 1");
        assertEquals("epoch 1" + System.lineSeparator(), text.toString(), "visible without a later flush");
    }
}
