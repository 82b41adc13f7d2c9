package org.glossa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.glossa.core.HfConfig;
import org.glossa.core.onnx.MiniLm;
import org.glossa.models.bert.Bert;
import org.glossa.nn.Engine;
import org.glossa.tasks.squad.ReaderPackage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code glossa squad pack}: writes a reader that loads with the given threshold and card; one-line errors. */
@Tag("model")
class SquadPackCommandTest {
    @TempDir Path temp;

    @Test
    void packsAQaModelIntoALoadableReader() throws Exception {
        Engine.init();
        Path base = MiniLm.ensureImported();
        Path model = temp.resolve("qa");
        Bert.QuestionAnswering.load(base, 3).save(model, base.resolve("tokenizer.json"));
        Path out = temp.resolve("reader");
        CliRun run = CliRun.of("squad", "pack", "--model", model.toString(), "--out", out.toString(), "--null-threshold", "-2.25",
                "--training-data", "SQuAD 1.1", "--steps", "500", "--scores", "F1 12.5",
                "--limitations", "a test model");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        assertEquals(1, run.outLines().size(), run.out());
        assertTrue(run.out().startsWith("wrote " + out + ": F16 weights ("), run.out());
        assertEquals(-2.25, HfConfig.read(out.resolve(ReaderPackage.MANIFEST)).get("null_threshold").asDouble());
        String card = Files.readString(out.resolve("README.md"));
        assertTrue(card.contains("Optimizer steps: 500") && card.contains("Scores: F1 12.5")
                && card.contains("Training data: SQuAD 1.1") && card.contains("## Limitations\n\na test model"), card);
        assertEquals(-2.25, ReaderPackage.load(out).nullThreshold());
    }

    @Test
    void namesAMissingModelFileInOneLine() {
        Path missing = temp.resolve("nothing");
        CliRun run = CliRun.of("squad", "pack", "--model", missing.toString(), "--out", temp.resolve("r").toString());
        assertEquals(1, run.exitCode());
        assertEquals("glossa: " + missing + ": no config.json (a fine-tuned question-answering directory needs one)",
                run.err().strip());
    }

    @Test
    void rejectsANonNumericThreshold() {
        CliRun run = CliRun.of("squad", "pack", "--model", "m", "--out", "o", "--null-threshold", "NaN");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--null-threshold must be a finite number"), run.err());
    }
}
