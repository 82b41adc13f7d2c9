package org.glossa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.global.torch;
import org.glossa.models.bert.Bert;
import org.glossa.models.bert.BertConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code glossa classify train|eval|predict} end to end on a tiny random BERT, and their one-line errors. */
@Tag("model")
class ClassifyCommandTest {
    @TempDir static Path temp;
    static Path tiny;
    static Path data;
    static Path run;
    static CliRun trained;

    /** Which words occur decides the label: something a tiny model learns in a few steps. */
    static final String DATA = """
            text,label
            what a wonderful happy film,good
            what a terrible sad film,bad
            a wonderful story told well,good
            a terrible story told badly,bad
            happy people and wonderful music,good
            sad people and terrible music,bad
            """;

    @BeforeAll
    static void train() throws Exception {
        tiny = Files.createDirectories(temp.resolve("tiny"));
        torch.manual_seed(1);
        new Bert.Model(new BertConfig(30522, 32, 2, 4, 64, "gelu", 0.0, 0.0, 64, 2, 0.02, 1e-12, 0, "absolute", false), false)
                .save(tiny);
        try (InputStream in = ClassifyCommandTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, tiny.resolve("tokenizer.json"));
        }
        data = Files.writeString(temp.resolve("order.csv"), DATA);
        run = temp.resolve("run");
        trained = CliRun.of("classify", "train", "--train", data.toString(), "--dev", data.toString(), "--model", tiny.toString(),
                "--out", run.toString(), "--batch-size", "3", "--epochs", "15", "--lr", "1e-2", "--precision", "fp32",
                "--freeze-embeddings", "--no-progress");
    }

    @Test
    void trainWritesAClassifierDirectoryAndReportsTheDevScores() {
        assertEquals(0, trained.exitCode(), trained.err());
        List<String> lines = trained.outLines();
        assertEquals("training into " + run, lines.get(0));
        assertTrue(lines.get(1).startsWith("train: 6 examples from " + data + "; dev: 6 from " + data + "; labels: bad, good"),
                lines.get(1));
        assertTrue(trained.out().contains("(embeddings frozen)"), trained.out());
        assertTrue(trained.out().contains("dev (fp32): loss "), trained.out());
        assertTrue(trained.out().contains("6 examples: MCC 1.0000, accuracy 1.0000"), trained.out());
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "classify.json", "eval_results.json",
                "metrics.jsonl")) {
            assertTrue(Files.isRegularFile(run.resolve(file)), file);
        }
    }

    @Test
    void evalAndPredictReadTheSavedModel() throws Exception {
        CliRun eval = CliRun.of("classify", "eval", "--model", run.toString(), "--data", data.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertEquals("model: " + run + " (labels: bad, good)", eval.outLines().get(0));
        assertTrue(eval.outLines().get(1).startsWith("data: " + data + ", 0 of 6 examples truncated to 64 tokens; loss "),
                eval.out());
        assertEquals("6 examples: MCC 1.0000, accuracy 1.0000, macro F1 1.0000", eval.outLines().get(2));

        Path lines = Files.writeString(temp.resolve("lines.txt"), "a wonderful happy story\na terrible sad story\n");
        CliRun fromFile = CliRun.of("classify", "predict", "--model", run.toString(), lines.toString());
        assertEquals(0, fromFile.exitCode(), fromFile.err());
        assertEquals(2, fromFile.outLines().size());
        assertTrue(fromFile.outLines().get(0).matches("good\t0\\.\\d{4}|good\t1\\.0000"), fromFile.out());
        assertTrue(fromFile.outLines().get(1).matches("bad\t0\\.\\d{4}|bad\t1\\.0000"), fromFile.out());

        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("a wonderful happy story\n".getBytes(StandardCharsets.UTF_8)));
            CliRun fromStdin = CliRun.of("classify", "predict", "--model", run.toString());
            assertEquals(0, fromStdin.exitCode(), fromStdin.err());
            assertEquals(fromFile.outLines().get(0), fromStdin.out().strip());
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void badInputGetsOneLineAndExitCode1() throws Exception {
        String model = tiny.toString();
        Path missing = temp.resolve("missing.csv");
        assertError("glossa: " + missing + ": no such file", "classify", "train", "--train", missing.toString(), "--dev",
                data.toString(), "--model", model, "--out", temp.resolve("x1").toString());

        Path empty = Files.writeString(temp.resolve("empty.csv"), "");
        assertError("glossa: " + empty + ": empty file, expected a header row and examples", "classify", "train", "--train",
                empty.toString(), "--dev", data.toString(), "--model", model, "--out", temp.resolve("x2").toString());

        assertError("glossa: " + data + ": no column 'sentence' (the text column) in the header; columns: text, label",
                "classify", "train", "--train", data.toString(), "--dev", data.toString(), "--text-column", "sentence",
                "--model", model, "--out", temp.resolve("x3").toString());

        Path dev = Files.writeString(temp.resolve("dev.csv"), "text,label\na happy film,good\na film,maybe\n");
        assertError("glossa: " + dev + ":3: label 'maybe' does not occur in the training data (labels: bad, good)",
                "classify", "train", "--train", data.toString(), "--dev", dev.toString(), "--model", model, "--out",
                temp.resolve("x4").toString());

        assertError("glossa: cannot freeze the bottom 5 layers: the model has 2", "classify", "train", "--train",
                data.toString(), "--dev", data.toString(), "--model", model, "--freeze-layers", "5", "--out",
                temp.resolve("x5").toString());

        Path nowhere = temp.resolve("nowhere");
        assertError("glossa: " + nowhere + ": no such model directory", "classify", "predict", "--model", nowhere.toString(),
                data.toString());
        assertError("glossa: " + tiny + ": not a sequence classifier (config.json's architectures: BertModel): fine-tune it"
                + " with 'glossa classify train --model " + tiny + "'", "classify", "eval", "--model", model, "--data",
                data.toString());

        Path unpaired = Files.writeString(temp.resolve("unpaired.txt"), "no tab here\n");
        assertError("glossa: " + unpaired + ":1: no tab between the two texts of the pair (--pairs)", "classify", "predict",
                "--model", run.toString(), "--pairs", unpaired.toString());

        CliRun pooling = CliRun.of("classify", "train", "--pooling", "max", "--model", model);
        assertEquals(2, pooling.exitCode(), "a usage error");
        assertTrue(pooling.err().startsWith("glossa: --pooling must be auto, cls or mean, got 'max'\n"), pooling.err());
    }

    static void assertError(String expected, String... args) {
        CliRun result = CliRun.of(args);
        assertEquals(1, result.exitCode(), result.err());
        assertEquals(expected + "\n", result.err());
        assertEquals(List.of(), result.outLines().stream().filter(l -> !l.startsWith("training into")).toList());
    }
}
