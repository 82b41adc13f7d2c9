package org.glossa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The glossa command's wiring: help, exit codes and error messages; nothing here loads a model. */
@Tag("unit")
class MainTest {
    @TempDir
    Path temp;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** A command that fails the way a library call might. */
    @Command(name = "fail")
    static final class Fail implements Callable<Integer> {
        @CommandLine.Parameters(index = "0")
        String kind;

        @Override
        public Integer call() {
            throw kind.equals("glossa")
                    ? new GlossaException("model.safetensors: tensor bert.pooler.dense.weight is missing")
                    : new IllegalStateException("native failure\n  at frame 1\n  at frame 2");
        }
    }

    private static CommandLine withFailingCommand() {
        CommandLine commandLine = Main.commandLine();
        commandLine.addSubcommand(new Fail());
        return commandLine;
    }

    @Test
    void helpListsTheCommands() {
        CliRun run = run("--help");
        assertEquals(0, run.exitCode());
        for (String command : List.of("embed", "similar", "model", "plot", "--verbose", "--threads", "--version")) {
            assertTrue(run.out().contains(command), command + " missing from\n" + run.out());
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] args : List.of(new String[] {"embed", "--help"}, new String[] {"similar", "--help"},
                new String[] {"model", "--help"}, new String[] {"model", "import", "--help"})) {
            CliRun run = run(args);
            assertEquals(0, run.exitCode(), String.join(" ", args));
            assertTrue(run.out().startsWith("Usage: glossa " + String.join(" ", args).replace(" --help", "")),
                    run.out());
        }
        assertTrue(run("similar", "--help").out().contains("--top-k"));
        assertTrue(run("model", "import", "--help").out().contains("--onnx"));
    }

    @Test
    void versionNamesGlossaAndJava() {
        CliRun run = run("--version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().startsWith("glossa "), run.out());
        assertTrue(run.out().contains("Java " + System.getProperty("java.version")), run.out());
    }

    @Test
    void plotDrawsTheLossCurvesOfARun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path run) throws Exception {
        CliRun missing = run("plot", run.resolve("absent").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().strip().endsWith("no metrics.jsonl (not a training run directory?)"), missing.err());
        assertEquals(1, missing.err().strip().lines().count());
        java.nio.file.Files.writeString(run.resolve("metrics.jsonl"), String.join("\n",
                "{\"step\": 10, \"loss\": 4.2}", "{\"step\": 20, \"loss\": 3.1, \"eval_loss\": 3.3}",
                "{\"step\": 30, \"loss\": 2.5}") + "\n");
        CliRun plotted = run("plot", run.toString());
        assertEquals(0, plotted.exitCode(), plotted.err());
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(run.resolve("loss.png").toFile());
        assertTrue(image.getWidth() > 100 && image.getHeight() > 100);
    }

    @Test
    void unknownOptionIsAShortUsageError() {
        CliRun run = run("similar", "--frobnicate", "query");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Unknown option: '--frobnicate'"), run.err());
        assertTrue(run.err().contains("Try 'glossa similar --help'"), run.err());
        assertTrue(run.errLines().size() <= 4, "usage errors stay short:\n" + run.err());
        assertEquals("", run.out());
    }

    @Test
    void missingParameterAndBadNumberAreUsageErrors() {
        assertEquals(2, run("similar").exitCode());
        CliRun badNumber = run("similar", "--top-k", "five", "query");
        assertEquals(2, badNumber.exitCode());
        assertTrue(badNumber.err().contains("five"), badNumber.err());
        assertEquals(2, run("similar", "--top-k", "0", "query").exitCode());
        assertEquals(2, run("--threads", "0", "similar", "query").exitCode());
        assertEquals(2, run().exitCode(), "glossa without a command");
        assertEquals(2, run("model").exitCode(), "model without a subcommand");
        CliRun badPrecision = run("similar", "--precision", "fp16", "query");
        assertEquals(2, badPrecision.exitCode());
        assertTrue(badPrecision.err().contains("'fp16' is not a precision: use fp32 or bf16"), badPrecision.err());
    }

    @Test
    void inconsistentOptionsAreUsageErrors() {
        assertEquals(2, run("model", "import", "--onnx", "encoder.onnx").exitCode(), "--onnx without --out");
        assertEquals(2, run("model", "import", "--out", "dir").exitCode(), "--out without --onnx");
        assertEquals(2, run("model", "import", "--minilm", "--onnx", "a.onnx", "--out", "d").exitCode());
        assertEquals(2, run("embed", "some text", "--file", "texts.txt").exitCode());
    }

    @Test
    void importOfAMissingOnnxFileNamesIt() {
        Path onnx = temp.resolve("missing.onnx");
        CliRun run = run("model", "import", "--onnx", onnx.toString(), "--out", temp.resolve("out").toString());
        assertEquals(1, run.exitCode());
        assertEquals(List.of("glossa: " + onnx + ": no such file"), run.errLines());
    }

    @Test
    void importWithoutATokenizerNamesTheOneItLookedFor() throws Exception {
        Path onnx = Files.writeString(temp.resolve("encoder.onnx"), "not read");
        CliRun run = run("model", "import", "--onnx", onnx.toString(), "--out", temp.resolve("out").toString());
        assertEquals(1, run.exitCode());
        assertEquals(List.of("glossa: no --tokenizer given and " + temp.resolve("tokenizer.json") + " does not exist"),
                run.errLines());
        assertFalse(Files.exists(temp.resolve("out")));
    }

    @Test
    void missingCorpusIsOneLineNamingIt() {
        Path corpus = temp.resolve("no-such-corpus.txt");
        CliRun run = run("similar", "--corpus", corpus.toString(), "query");
        assertEquals(1, run.exitCode());
        assertEquals(List.of("glossa: " + corpus + ": no such file"), run.errLines());
        assertEquals("", run.out());
    }

    @Test
    void emptyCorpusIsOneLine() throws Exception {
        Path corpus = Files.writeString(temp.resolve("blank.txt"), "\n\n");
        CliRun run = run("similar", "--corpus", corpus.toString(), "query");
        assertEquals(1, run.exitCode());
        assertEquals(List.of("glossa: " + corpus + ": corpus is empty"), run.errLines());
    }

    @Test
    void invalidUtf8InTheTextFileIsOneLineWithTheLineNumber() throws Exception {
        Path texts = Files.write(temp.resolve("texts.txt"), new byte[] {'o', 'k', '\n', (byte) 0xC3, '(', '\n'});
        CliRun run = run("embed", "--file", texts.toString());
        assertEquals(1, run.exitCode());
        assertEquals(List.of("glossa: " + texts + ": line 2 is not valid UTF-8"), run.errLines());
    }

    @Test
    void emptyStandardInputHasNothingToEmbed() {
        CommandLine commandLine = Main.commandLine();
        EmbedCommand embed = commandLine.getSubcommands().get("embed").getCommand();
        embed.standardInput = new ByteArrayInputStream("\n \n".getBytes(StandardCharsets.UTF_8));
        CliRun run = CliRun.of(commandLine, "embed");
        assertEquals(1, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("glossa: no text to embed"), run.err());
    }

    @Test
    void glossaExceptionIsItsMessageOnOneLine() {
        CliRun run = CliRun.of(withFailingCommand(), "fail", "glossa");
        assertEquals(1, run.exitCode());
        assertEquals(List.of("glossa: model.safetensors: tensor bert.pooler.dense.weight is missing"), run.errLines());
    }

    @Test
    void otherExceptionsAreOneLineInternalErrors() {
        CliRun run = CliRun.of(withFailingCommand(), "fail", "other");
        assertEquals(1, run.exitCode());
        assertEquals(List.of("glossa: internal error: java.lang.IllegalStateException: native failure"
                + " (run with --verbose for the stack trace)"), run.errLines());
    }

    @Test
    void verbosePrintsTheStackTraceBeforeOrAfterTheCommand() {
        for (List<String> args : List.of(List.of("--verbose", "fail", "other"), List.of("fail", "other", "--verbose"))) {
            CliRun run = CliRun.of(withFailingCommand(), args.toArray(String[]::new));
            assertEquals(1, run.exitCode());
            assertEquals("glossa: internal error: java.lang.IllegalStateException: native failure", run.errLines().get(0));
            assertTrue(run.err().contains("\tat org.glossa.cli.MainTest$Fail.call("), run.err());
        }
        CliRun quiet = CliRun.of(withFailingCommand(), "fail", "glossa");
        assertFalse(quiet.err().contains("\tat "), quiet.err());
    }

    @Test
    void floatsArePrintedSoThatTheyReadBackExactly() {
        float[] vector = {0.1f, -0.0f, 1e-8f, Float.MIN_VALUE, Float.MAX_VALUE, 0.33333334f, -0.999999f, 1f / 3};
        String json = EmbedCommand.jsonArray(vector);
        assertTrue(json.startsWith("[") && json.endsWith("]") && !json.contains(" "), json);
        String[] parts = json.substring(1, json.length() - 1).split(",");
        assertEquals(vector.length, parts.length);
        for (int i = 0; i < vector.length; i++) {
            // JSON number grammar: optional minus, digits, optional fraction and exponent.
            assertTrue(parts[i].matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?"), parts[i]);
            assertEquals(Float.floatToIntBits(vector[i]), Float.floatToIntBits(Float.parseFloat(parts[i])), parts[i]);
        }
        assertEquals("[]", EmbedCommand.jsonArray(new float[0]));
    }

    @Test
    void longTextsAreCutForDisplay() {
        String shortText = "Chitinispirillum: a genus of bacteria.";
        assertEquals(shortText, SimilarCommand.forDisplay(shortText));
        String exactly = "x".repeat(SimilarCommand.DISPLAY_LENGTH);
        assertEquals(exactly, SimilarCommand.forDisplay(exactly));
        String cut = SimilarCommand.forDisplay("word ".repeat(100));
        assertTrue(cut.endsWith("…"), cut);
        assertTrue(cut.codePointCount(0, cut.length()) <= SimilarCommand.DISPLAY_LENGTH, cut);
        // Characters outside the BMP are never split into a lone surrogate.
        String emoji = SimilarCommand.forDisplay("\uD83D\uDE00".repeat(200));
        assertEquals(SimilarCommand.DISPLAY_LENGTH, emoji.codePointCount(0, emoji.length()));
        assertTrue(emoji.startsWith("\uD83D\uDE00") && emoji.endsWith("\uD83D\uDE00…"), emoji);
    }
}
