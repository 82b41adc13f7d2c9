package org.glossa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.HfConfig;
import org.glossa.nn.Engine;
import org.glossa.tasks.translate.Multi30k;
import org.glossa.tasks.translate.SentencePair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glossa translate train|run|eval|attention} end to end on a tiny Transformer that learnt 24 real Multi30k
 * pairs by heart (so every translation is known), and their one-line errors.
 */
@Tag("model")
class TranslateCommandTest {
    @TempDir static Path temp;
    static List<SentencePair> pairs;
    static Path pairsFile;
    static Path run;
    static CliRun trained;

    @BeforeAll
    static void train() throws IOException {
        Path multi30k = Path.of(System.getProperty("glossa.shared", "../../shared"), "data", "multi30k");
        assumeTrue(Files.isDirectory(multi30k), "../shared/data/multi30k is missing: test skipped");
        Engine.init();
        torch.set_num_threads(1); // a tiny model trains several times faster on one thread
        List<SentencePair> picked = new ArrayList<>();
        for (SentencePair pair : Multi30k.read(multi30k, "train").pairs()) {
            if (pair.source().split(" ").length <= 7 && pair.target().split(" ").length <= 7 && picked.size() < 24) {
                picked.add(pair);
            }
        }
        pairs = List.copyOf(picked);
        StringBuilder tsv = new StringBuilder();
        pairs.forEach(p -> tsv.append(p.source()).append('\t').append(p.target()).append('\n'));
        pairsFile = Files.writeString(temp.resolve("pairs.tsv"), tsv);
        run = temp.resolve("run");
        trained = CliRun.of("translate", "train", "--train", pairsFile.toString(), "--valid", pairsFile.toString(), "--test",
                pairsFile.toString(), "--model-size", "tiny", "--vocab-size", "300", "--batch-size", "8", "--precision", "fp32",
                "--schedule", "cosine", "--warmup", "10", "--label-smoothing", "0", "--lr", "0.005", "--steps", "200",
                "--eval-every", "0", "--save-every", "0", "--no-progress", "--out", run.toString());
    }

    @AfterAll
    static void restoreThreads() {
        torch.set_num_threads(Engine.threads());
    }

    @Test
    void trainWritesAModelDirectoryAndReportsValidation() {
        assertEquals(0, trained.exitCode(), trained.err());
        List<String> lines = trained.outLines();
        assertEquals("training into " + run, lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bpe vocabulary shared by both languages: ")), trained.out());
        assertTrue(lines.get(lines.size() - 1).matches("validation \\(fp32, greedy\\): loss 0\\.0\\d+, perplexity 1\\.0\\d; BLEU"
                + " 100\\.00 \\(sacreBLEU\\), 100\\.00 \\(tokenised, lower-cased\\) on 24 sentences, .* sentences/s"),
                lines.get(lines.size() - 1));
        for (String file : List.of("config.json", "model.safetensors", "source/tokenizer.json", "target/tokenizer.json",
                "translate.json", "eval_results.json", "metrics.jsonl", "checkpoint-200")) {
            assertTrue(Files.exists(run.resolve(file)), file);
        }
        JsonNode config = HfConfig.read(run);
        assertEquals("glossa-transformer", config.get("model_type").asText());
    }

    @Test
    void runTranslatesLineByLineKeepingEmptyLines() throws IOException {
        Path input = Files.writeString(temp.resolve("in.de"), pairs.get(0).source() + "\n\n  " + pairs.get(5).source() + "\n");
        String expected = pairs.get(0).target() + "\n\n" + pairs.get(5).target() + "\n";
        CliRun greedy = CliRun.of("translate", "run", "--model", run.toString(), "--input", input.toString());
        assertEquals(0, greedy.exitCode(), greedy.err());
        assertEquals(expected, greedy.out());
        CliRun beam = CliRun.of("translate", "run", "--model", run.toString(), "--input", input.toString(), "--beam", "4",
                "--alpha", "1.0", "--batch-size", "1");
        assertEquals(0, beam.exitCode(), beam.err());
        assertEquals(expected, beam.out());

        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream((pairs.get(7).source() + "\n").getBytes(StandardCharsets.UTF_8)));
            CliRun piped = CliRun.of("translate", "run", "--model", run.toString());
            assertEquals(0, piped.exitCode(), piped.err());
            assertEquals(pairs.get(7).target() + "\n", piped.out());
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void evalScoresGreedyAndBeamBothWays() throws IOException {
        Path json = temp.resolve("scores.json");
        CliRun eval = CliRun.of("translate", "eval", "--model", run.toString(), "--beam", "3", "--out", json.toString(),
                "--translations", temp.resolve("hyp").toString());
        assertEquals(0, eval.exitCode(), eval.err());
        List<String> lines = eval.outLines();
        assertTrue(lines.get(0).startsWith("model: " + run + " (transformer: 2+2 layers of 32, 4 heads, FFN 64, post-LN;"),
                lines.get(0));
        assertEquals("test of files: 24 sentences, fp32", lines.get(1));
        assertEquals("decoding            sacreBLEU    BLEU tok lc  sentences/s", lines.get(2));
        assertTrue(lines.get(3).matches("greedy\\s+100\\.00\\s+100\\.00\\s+[\\d.]+"), lines.get(3));
        assertTrue(lines.get(4).matches("beam 3, α 0\\.6\\s+100\\.00\\s+100\\.00\\s+[\\d.]+"), lines.get(4));
        assertTrue(lines.get(5).endsWith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp"), lines.get(5));
        JsonNode scores = HfConfig.mapper().readTree(json.toFile());
        assertEquals(24, scores.get("sentences").asInt());
        assertEquals(100.0, scores.get("greedy").get("bleu").asDouble(), 1e-9);
        assertEquals(100.0, scores.get("beam").get("bleu_tok_lc").asDouble(), 1e-9);
        assertEquals(3, scores.get("beam").get("beam_size").asInt());
        List<String> references = pairs.stream().map(SentencePair::target).toList();
        assertEquals(references, Files.readAllLines(temp.resolve("hyp.greedy.txt")));
        assertEquals(references, Files.readAllLines(temp.resolve("hyp.beam.txt")));
        assertEquals(references, Files.readAllLines(temp.resolve("hyp.reference.txt")));
        assertEquals(pairs.stream().map(SentencePair::source).toList(), Files.readAllLines(temp.resolve("hyp.source.txt")));

        // Other pairs: the first 5 of the file, greedy only.
        CliRun limited = CliRun.of("translate", "eval", "--model", run.resolve("checkpoint-200").toString(), "--pairs",
                pairsFile.toString(), "--limit", "5", "--beam", "1");
        assertEquals(0, limited.exitCode(), limited.err());
        assertEquals(pairsFile + ": 5 sentences, fp32", limited.outLines().get(1));
        assertEquals(6, limited.outLines().size(), limited.out());
    }

    @Test
    void attentionDrawsAGridOfLayersAndHeads() throws IOException {
        Path png = temp.resolve("att.png");
        CliRun grid = CliRun.of("translate", "attention", "--model", run.toString(), "--text", pairs.get(2).source(), "--out",
                png.toString());
        assertEquals(0, grid.exitCode(), grid.err());
        assertEquals(pairs.get(2).target(), grid.outLines().get(0));
        assertTrue(grid.outLines().get(1).matches(java.util.regex.Pattern.quote(png.toString())
                + ": 8 heatmaps of \\d+ translation × \\d+ source tokens"), grid.outLines().get(1));
        Path one = temp.resolve("one.png");
        CliRun single = CliRun.of("translate", "attention", "--model", run.toString(), "--text", pairs.get(2).source(),
                "--out", one.toString(), "--layer", "2", "--head", "4");
        assertEquals(0, single.exitCode(), single.err());
        BufferedImage gridImage = ImageIO.read(png.toFile());
        BufferedImage tile = ImageIO.read(one.toFile());
        // 2 decoder layers (rows) × 4 heads (columns) of tiles of one size.
        assertEquals(4 * tile.getWidth(), gridImage.getWidth());
        assertEquals(2 * tile.getHeight(), gridImage.getHeight());
    }

    /** Exit code 1 and exactly one line on standard error, equal to {@code expected}. */
    private static void assertOneLineError(String expected, CliRun result) {
        assertEquals(1, result.exitCode(), result.out() + result.err());
        assertEquals(List.of(expected), result.errLines());
    }

    @Test
    void badInputFailsWithOneLine() throws IOException {
        Path longLine = Files.writeString(temp.resolve("long.de"), pairs.get(0).source() + "\n" + "Hund ".repeat(70) + "\n");
        CliRun tooLong = CliRun.of("translate", "run", "--model", run.toString(), "--input", longLine.toString(),
                "--batch-size", "1");
        assertEquals(pairs.get(0).target() + "\n", tooLong.out()); // the lines before it are translated
        assertTrue(tooLong.errLines().size() == 1 && tooLong.errLines().get(0).matches("glossa: "
                + java.util.regex.Pattern.quote(longLine.toString()) + ":2: \\d+ source tokens \\(with \\[EOS\\]\\), more than"
                + " the 64 this model takes \\(max_position_embeddings\\); split the sentence"), tooLong.err());

        Path textgen = Files.createDirectories(temp.resolve("textgen"));
        Files.writeString(textgen.resolve("config.json"), "{\"model_type\": \"char-rnn\"}");
        assertOneLineError("glossa: " + textgen.resolve("config.json") + ": model_type is 'char-rnn', not a translation model"
                + " (glossa-transformer or glossa-rnn-attention)",
                CliRun.of("translate", "run", "--model", textgen.toString(), "--input", longLine.toString()));
        assertOneLineError("glossa: " + temp.resolve("absent") + ": no such model directory",
                CliRun.of("translate", "eval", "--model", temp.resolve("absent").toString()));

        Path source = Files.writeString(temp.resolve("a.de"), "Ein Hund.\nZwei Hunde.\n");
        Path target = Files.writeString(temp.resolve("a.en"), "A dog.\n");
        assertOneLineError("glossa: line counts differ: " + source + " has 2 lines, " + target + " has 1",
                CliRun.of("translate", "train", "--train", source.toString(), target.toString(), "--valid",
                        pairsFile.toString(), "--out", temp.resolve("x").toString(), "--no-progress"));
        Path three = Files.writeString(temp.resolve("c.de"), "Ein Hund.\nZwei Hunde.\nEine Katze.\n");
        Path blank = Files.writeString(temp.resolve("c.en"), "A dog.\n\nA cat.\n");
        assertOneLineError("glossa: " + blank + ":2 is blank but " + three + ":2 is not: the files are not aligned",
                CliRun.of("translate", "train", "--train", three.toString(), blank.toString(), "--valid",
                        pairsFile.toString(), "--out", temp.resolve("y").toString(), "--no-progress"));

        assertOneLineError("glossa: cannot resume " + run + " with different settings: arch \"transformer\" in the run,"
                + " \"rnn-attention\" now", CliRun.of("translate", "train", "--resume", run.toString(), "--arch", "rnn-attention"));
        assertOneLineError("glossa: layer 3 does not exist: the model has 2 (numbered from 1)", CliRun.of("translate",
                "attention", "--model", run.toString(), "--text", "Ein Hund.", "--out", temp.resolve("z.png").toString(),
                "--layer", "3"));
        assertOneLineError("glossa: architecture 'lstm' is not one of [rnn-attention, transformer]",
                CliRun.of("translate", "train", "--arch", "lstm"));

        CliRun usage = CliRun.of("translate", "run", "--model", run.toString(), "--beam", "0");
        assertEquals(2, usage.exitCode());
        assertEquals("glossa: --beam must be at least 1, got 0", usage.errLines().get(0));
    }
}
