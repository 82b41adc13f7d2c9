package org.glossa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code glossa textgen train|generate|eval} end to end on a tiny model, and their one-line errors. */
@Tag("model")
class TextgenCommandTest {
    static final String LINE = "the quick brown fox jumps over the lazy dog; ";

    @TempDir static Path temp;
    static Path corpus;
    static Path run;
    static CliRun trained;

    static final String[] TINY = {"--embedding", "16", "--units", "64", "--seq-length", "20", "--batch-size", "4",
        "--steps", "150", "--lr", "0.02", "--warmup", "0", "--eval-every", "75", "--save-every", "75", "--no-progress"};

    @BeforeAll
    static void train() throws Exception {
        corpus = Files.writeString(temp.resolve("fox.txt"), LINE.repeat(14));
        run = temp.resolve("run");
        String[] args = new String[TINY.length + 7];
        String[] head = {"textgen", "train", "--corpus", corpus.toString(), "--out", run.toString(), "--sample=40"};
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(TINY, 0, args, head.length, TINY.length);
        trained = CliRun.of(args);
    }

    @Test
    void trainWritesAModelAndReportsValidation() {
        assertEquals(0, trained.exitCode(), trained.err());
        List<String> lines = trained.out().lines().toList();
        assertEquals("training into " + run, lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.matches("validation: 60 tokens, 0\\.0\\d+ nats/token, .*")), trained.out());
        assertTrue(lines.get(lines.size() - 2).equals("sample (temperature 1.0):"), trained.out());
        for (String file : List.of("config.json", "model.safetensors", "vocab.json", "textgen.json", "checkpoint-150")) {
            assertTrue(Files.exists(run.resolve(file)), file);
        }
    }

    @Test
    void generateContinuesThePrimeGreedilyAndBySampling() {
        CliRun greedy = CliRun.of("textgen", "generate", "--model", run.toString(), "--prime", "the lazy", "--length", "50",
                "--temperature", "0");
        assertEquals(0, greedy.exitCode(), greedy.err());
        assertEquals(LINE.repeat(3).substring(LINE.indexOf("the lazy")).substring(0, 58) + "\n", greedy.out());
        CliRun sampled = CliRun.of("textgen", "generate", "--model", run.toString(), "--prime", "the", "--length", "30",
                "--temperature", "3", "--top-k", "5", "--top-p", "0.95", "--seed", "4");
        CliRun again = CliRun.of("textgen", "generate", "--model", run.toString(), "--prime", "the", "--length", "30",
                "--temperature", "3", "--top-k", "5", "--top-p", "0.95", "--seed", "4");
        assertEquals(0, sampled.exitCode(), sampled.err());
        assertEquals(sampled.out(), again.out());
        assertEquals(34, sampled.out().length());
    }

    @Test
    void evalPrintsNatsPerCharacterAndPerplexity() {
        CliRun eval = CliRun.of("textgen", "eval", "--model", run.resolve("checkpoint-150").toString(), "--corpus", corpus.toString(),
                "--split", "all");
        assertEquals(0, eval.exitCode(), eval.err());
        List<String> lines = eval.out().lines().toList();
        assertEquals(3, lines.size(), eval.out());
        assertTrue(lines.get(0).startsWith("model: " + run.resolve("checkpoint-150") + " (gru, 1×64 units, embedding 16, char"
                + " vocabulary of 28)"), lines.get(0));
        // 630 characters read as 6 streams (629 / 100 windows) of 104 predictions each.
        assertEquals("all of " + corpus + ": 624 tokens predicted, 624 characters", lines.get(1));
        assertTrue(lines.get(2).matches("loss 0\\.0\\d{3} nats/char \\(0\\.\\d{4} bits/char\\), perplexity 1\\.\\d{3}"), lines.get(2));
    }

    @Test
    void badInputGetsOneLineEach() throws Exception {
        CliRun prime = CliRun.of("textgen", "generate", "--model", run.toString(), "--prime", "ROMEO:");
        assertEquals(1, prime.exitCode());
        assertEquals("glossa: the prime text has characters outside the model's vocabulary: 'R', 'O', 'M', 'E', ':'\n", prime.err());
        assertEquals("", prime.out(), "nothing printed before the error");

        Path partial = Files.createDirectories(temp.resolve("partial"));
        Files.copy(run.resolve("config.json"), partial.resolve("config.json"));
        CliRun missing = CliRun.of("textgen", "generate", "--model", partial.toString());
        assertEquals(1, missing.exitCode());
        assertEquals("glossa: " + partial + ": not a complete text-generation model, missing model.safetensors, vocab.json\n",
                missing.err());

        CliRun incompatible = CliRun.of("textgen", "train", "--resume", run.toString(), "--units", "32", "--no-progress");
        assertEquals(1, incompatible.exitCode());
        assertEquals("glossa: cannot resume " + run + " with different settings: hidden_size 64 in the run, 32 now\n",
                incompatible.err());

        Path empty = Files.writeString(temp.resolve("empty.txt"), "");
        CliRun emptyCorpus = CliRun.of("textgen", "train", "--corpus", empty.toString(), "--out", temp.resolve("x").toString());
        assertEquals(1, emptyCorpus.exitCode());
        assertEquals("glossa: " + empty.toAbsolutePath() + ": the corpus is empty\n", emptyCorpus.err());

        Path shortText = Files.writeString(temp.resolve("short.txt"), "to be or not to be");
        CliRun tooShort = CliRun.of("textgen", "train", "--corpus", shortText.toString(), "--out", temp.resolve("y").toString());
        assertEquals(1, tooShort.exitCode());
        assertTrue(tooShort.err().matches("glossa: .*short.txt: the training text has 16 tokens, too few for 64 streams of"
                + " 100-token windows \\(at least 6500 needed\\): use a longer corpus, or a smaller --batch-size or --seq-length\n"),
                tooShort.err());

        CliRun topP = CliRun.of("textgen", "generate", "--model", run.toString(), "--top-p", "0");
        assertEquals(2, topP.exitCode());
        assertTrue(topP.err().startsWith("glossa: top-p must be in (0, 1], got 0.0\n"), topP.err());
    }

    @Test
    void helpFormatsCleanly() {
        // picocli reports unformattable descriptions (a bare % sign) as warnings on System.err.
        java.io.PrintStream systemErr = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String sub : List.of("train", "generate", "eval")) {
                CliRun help = CliRun.of("textgen", sub, "--help");
                assertEquals(0, help.exitCode());
                assertEquals("", help.err());
                assertTrue(help.out().startsWith("Usage: glossa textgen " + sub), help.out());
            }
        } finally {
            System.setErr(systemErr);
        }
        assertEquals("", warnings.toString(java.nio.charset.StandardCharsets.UTF_8), "picocli complained about a help text");
        assertEquals(2, CliRun.of("textgen").exitCode(), "textgen without a subcommand");
    }
}
