package org.glossa.tasks.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.plot.Heatmap;
import org.glossa.nn.Engine;
import org.glossa.nn.train.Checkpoints;
import org.glossa.nn.train.Schedule;
import org.glossa.tasks.TestFiles;
import org.glossa.tasks.translate.TranslationModel.Architecture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TranslationTraining} end to end on real Multi30k pairs: a tiny Transformer and a tiny RNN learn 24 pairs by
 * heart through the trainer (greedy translations equal the references), a run interrupted and resumed ends with the
 * weights of one that never stopped, attention pictures have the shape of the model, and bad input fails in one line.
 */
@Tag("model")
class TranslationTrainingTest {
    @TempDir static Path dir;
    /** The first 24 pairs of Multi30k's training set with at most 7 words on each side, as a tab-separated file. */
    static List<SentencePair> pairs;
    static Path pairsFile;

    @BeforeAll
    static void pickPairs() throws IOException {
        Engine.init();
        // Tiny models run several times faster on one thread (no pool to wake), on a shared machine most of all.
        torch.set_num_threads(1);
        List<SentencePair> all = Multi30k.read(SpaEngSplitTest.shared("multi30k"), "train").pairs();
        List<SentencePair> shortOnes = new ArrayList<>();
        for (SentencePair pair : all) {
            if (pair.source().split(" ").length <= 7 && pair.target().split(" ").length <= 7) {
                shortOnes.add(pair);
                if (shortOnes.size() == 24) {
                    break;
                }
            }
        }
        pairs = List.copyOf(shortOnes);
        StringBuilder tsv = new StringBuilder();
        pairs.forEach(p -> tsv.append(p.source()).append('\t').append(p.target()).append('\n'));
        pairsFile = Files.writeString(dir.resolve("pairs.tsv"), tsv);
    }

    @AfterAll
    static void restoreThreads() {
        torch.set_num_threads(Engine.threads());
    }

    /** Tiny models trained and validated on the 24 pairs, evaluated only at the end. */
    static TranslationTraining.Options tiny(Architecture architecture) {
        return TranslationTraining.Options.defaults(architecture).with(Map.of(
                "model_size", "tiny", "dataset", "files", "train_files", List.of(pairsFile.toString()),
                "valid_files", List.of(pairsFile.toString()), "shared_vocabulary", true, "source_vocab_size", 300,
                "batch_size", 8, "precision", "fp32", "eval_every", 0, "save_every", 0))
                .with(Map.of("schedule", "constant", "warmup_steps", 10, "label_smoothing", 0.0, "epochs", 0.0, "max_steps", 100));
    }

    private static List<String> references() {
        return pairs.stream().map(SentencePair::target).toList();
    }

    @Test
    void aTinyTransformerLearnsTwoDozenPairsByHeart() throws IOException {
        Path run = dir.resolve("transformer");
        TranslationTraining.Result result = TranslationTraining.train(tiny(Architecture.TRANSFORMER)
                .with(Map.of("max_steps", 300, "learning_rate", 0.005, "schedule", "cosine")), run, false, line -> {});
        assertEquals(references(), result.validation().hypotheses());
        assertEquals(100.0, result.validation().sacreBleu().score(), 1e-9);
        assertEquals(100.0, result.validation().tokenizedBleu().score(), 1e-9);
        // The run directory is a model directory that says what it is.
        for (String file : List.of("config.json", "model.safetensors", "source/tokenizer.json", "target/tokenizer.json",
                TranslationTraining.OPTIONS_FILE, TranslationTraining.RESULTS_FILE, "metrics.jsonl", "checkpoint-300")) {
            assertTrue(Files.exists(run.resolve(file)), file);
        }
        assertEquals(Architecture.TRANSFORMER, Architecture.ofDirectory(run));
        TranslationModel loaded = TranslationModel.load(run);
        assertEquals(references(), loaded.translate(pairs.stream().map(SentencePair::source).toList(), 3, 0.6, 5, "test"));
        // A checkpoint is a model directory too.
        assertEquals(references().subList(0, 2), TranslationModel.load(run.resolve("checkpoint-300"))
                .translate(List.of(pairs.get(0).source(), pairs.get(1).source()), 1, 0, 64, "test"));

        // The noam schedule peaks at the learning rate given, at the end of the warmup, then falls as 1/√step.
        Schedule noam = TranslationTraining.schedule(TranslationTraining.Options.defaults(Architecture.TRANSFORMER), loaded,
                10_000);
        assertEquals(7e-4, noam.lr(400), 1e-15);
        assertEquals(3.5e-4, noam.lr(1_600), 1e-15);
        assertEquals(3.5e-4, noam.lr(200), 1e-15);

        // Cross-attention: 2 decoder layers × 4 heads, one row per generated token and [EOS], one column per source
        // token and [EOS], each row a distribution.
        TranslationModel.Attention attention = loaded.attention(pairs.get(0).source());
        assertEquals(pairs.get(0).target(), attention.translation());
        long[] sourceIds = loaded.encodeSource(pairs.get(0).source(), "test");
        long[] targetIds = loaded.encodeTarget(pairs.get(0).target());
        assertEquals(2, attention.weights().length);
        assertEquals(4, attention.weights()[0].length);
        assertEquals(targetIds.length + 1, attention.targetTokens().size());
        assertEquals(sourceIds.length, attention.sourceTokens().size());
        assertEquals("[EOS]", attention.sourceTokens().get(sourceIds.length - 1));
        for (double[][][] layer : attention.weights()) {
            for (double[][] head : layer) {
                assertEquals(targetIds.length + 1, head.length);
                for (double[] row : head) {
                    assertEquals(sourceIds.length, row.length);
                    assertEquals(1.0, java.util.Arrays.stream(row).sum(), 1e-5);
                }
            }
        }
        // The grid: one row of tiles per layer, one column per head; one layer: one row; a layer and a head: one map.
        Heatmap tile = Heatmap.of(attention.weights()[0][0], attention.targetTokens(), attention.sourceTokens())
                .title("Layer 1, head 1").xLabel("source").yLabel("translation");
        BufferedImage one = tile.toImage();
        assertImage(run.resolve("all.png"), attention, null, null, 4 * one.getWidth(), 2 * one.getHeight(), 8);
        assertImage(run.resolve("layer2.png"), attention, 2, null, 4 * one.getWidth(), one.getHeight(), 4);
        assertImage(run.resolve("one.png"), attention, 2, 3, one.getWidth(), one.getHeight(), 1);
        AttentionMaps.write(attention, run.resolve("one.svg"), 1, 1);
        assertTrue(Files.readString(run.resolve("one.svg")).startsWith("<svg") || Files.readString(run.resolve("one.svg"))
                .contains("<svg"));
        GlossaException svgGrid = assertThrows(GlossaException.class,
                () -> AttentionMaps.write(attention, run.resolve("grid.svg"), null, null));
        assertTrue(svgGrid.getMessage().startsWith("a grid of 8 heatmaps is written as PNG"), svgGrid.getMessage());
        GlossaException noLayer = assertThrows(GlossaException.class,
                () -> AttentionMaps.write(attention, run.resolve("x.png"), 3, null));
        assertEquals("layer 3 does not exist: the model has 2 (numbered from 1)", noLayer.getMessage());
    }

    private static void assertImage(Path file, TranslationModel.Attention attention, Integer layer, Integer head, int width,
                                    int height, int tiles) throws IOException {
        assertEquals(tiles, AttentionMaps.write(attention, file, layer, head).size());
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(width, image.getWidth(), file.toString());
        assertEquals(height, image.getHeight(), file.toString());
    }

    @Test
    void aTinyRnnWithAttentionLearnsTwoDozenPairsByHeart() throws IOException {
        Path run = dir.resolve("rnn");
        TranslationTraining.Result result = TranslationTraining.train(tiny(Architecture.RNN_ATTENTION)
                .with(Map.of("max_steps", 150, "learning_rate", 0.02, "shared_vocabulary", false)), run, false, line -> {});
        assertEquals(references(), result.validation().hypotheses());
        assertEquals(100.0, result.validation().sacreBleu().score(), 1e-9);
        assertEquals(Architecture.RNN_ATTENTION, Architecture.ofDirectory(run));
        TranslationModel loaded = TranslationModel.load(run);
        assertTrue(!loaded.sharedVocabulary());
        // One attention (one layer, one head), each row a distribution over the source tokens and [EOS].
        TranslationModel.Attention attention = loaded.attention(pairs.get(3).source());
        assertEquals(pairs.get(3).target(), attention.translation());
        assertEquals(1, attention.weights().length);
        assertEquals(1, attention.weights()[0].length);
        for (double[] row : attention.weights()[0][0]) {
            assertEquals(attention.sourceTokens().size(), row.length);
            assertEquals(1.0, java.util.Arrays.stream(row).sum(), 1e-5);
        }
        BufferedImage expected = Heatmap.of(attention.weights()[0][0], attention.targetTokens(), attention.sourceTokens())
                .range(0, 1).title("Attention").xLabel("source").yLabel("translation").toImage();
        assertImage(run.resolve("rnn.png"), attention, null, null, expected.getWidth(), expected.getHeight(), 1);
    }

    @Test
    void anInterruptedRunResumesToTheSameWeights() throws IOException {
        // Dropout on, so that resuming also needs the generator's state; 3 batches per epoch, so step 8 is mid-epoch.
        TranslationTraining.Options options = tiny(Architecture.TRANSFORMER).with(Map.of("max_steps", 10, "dropout", 0.1,
                "eval_every", 4, "save_every", 4, "eval_sentences", 4, "learning_rate", 0.005));
        Path whole = dir.resolve("whole");
        TranslationTraining.train(options, whole, false, line -> {});
        byte[] expected = Files.readAllBytes(whole.resolve("checkpoint-10/model.safetensors"));

        // The same run stopped after step 8: its directory as it was then.
        Path stopped = dir.resolve("stopped");
        TestFiles.copyTree(whole, stopped);
        AtomicFiles.deleteRecursively(stopped.resolve("checkpoint-10"));
        for (String file : List.of("config.json", "model.safetensors", TranslationTraining.RESULTS_FILE)) {
            Files.delete(stopped.resolve(file));
        }
        assertEquals(stopped.resolve("checkpoint-8"), Checkpoints.resolve(stopped));
        TranslationTraining.Result resumed = TranslationTraining.resume(stopped, TranslationTraining.savedOptions(stopped),
                false, line -> {});
        assertEquals(10, resumed.training().steps());
        assertArrayEquals(expected, Files.readAllBytes(stopped.resolve("checkpoint-10/model.safetensors")),
                "resumed weights differ from the uninterrupted run's");

        // What may not change: the architecture, the model, the data.
        GlossaException otherArch = assertThrows(GlossaException.class, () -> TranslationTraining.resume(stopped,
                TranslationTraining.savedOptions(stopped).with("arch", "rnn-attention"), false, line -> {}));
        assertTrue(otherArch.getMessage().startsWith("cannot resume " + stopped + " with different settings: arch"
                + " \"transformer\" in the run, \"rnn-attention\" now"), otherArch.getMessage());
        Path fewer = Files.writeString(dir.resolve("fewer.tsv"), Files.readString(pairsFile).lines().skip(1)
                .reduce("", (a, b) -> a + b + "\n"));
        GlossaException otherData = assertThrows(GlossaException.class, () -> TranslationTraining.resume(stopped,
                TranslationTraining.savedOptions(stopped).with("train_files", List.of(fewer.toString())), false, line -> {}));
        assertTrue(otherData.getMessage().endsWith("the training pairs are not those the run started on (their number or"
                + " checksum changed)"), otherData.getMessage());
        GlossaException again = assertThrows(GlossaException.class, () -> TranslationTraining.train(options, whole, false,
                line -> {}));
        assertTrue(again.getMessage().contains("already holds a run"), again.getMessage());
    }

    @Test
    void theBasePresetKeepsThePapersSchedule() {
        TranslationTraining.Options base = TranslationTraining.Options.defaults(Architecture.TRANSFORMER, "base");
        assertEquals(4_000, base.warmupSteps());
        // Factor 1 of Vaswani et al.: d^-0.5 · warmup^-0.5 at the end of the warmup, d = 512.
        assertEquals(new Schedule.Noam(512, 4_000, 1.0).lr(4_000), base.learningRate(), 1e-15);
        assertEquals(400, TranslationTraining.Options.defaults(Architecture.TRANSFORMER, "small").warmupSteps());
    }

    @Test
    void badInputIsOneLine() throws IOException {
        Path source = Files.writeString(dir.resolve("src.de"), "Ein Hund.\nZwei Hunde.\n");
        Path target = Files.writeString(dir.resolve("tgt.en"), "A dog.\n");
        GlossaException misaligned = assertThrows(GlossaException.class, () -> TranslationTraining.train(
                tiny(Architecture.TRANSFORMER).with("train_files", List.of(source.toString(), target.toString())),
                dir.resolve("misaligned"), false, line -> {}));
        assertEquals("line counts differ: " + source + " has 2 lines, " + target + " has 1", misaligned.getMessage());

        Path noTab = Files.writeString(dir.resolve("notab.tsv"), "Ein Hund.\tA dog.\nZwei Hunde. Two dogs.\n");
        GlossaException tab = assertThrows(GlossaException.class, () -> TranslationTraining.train(
                tiny(Architecture.TRANSFORMER).with("train_files", List.of(noTab.toString())), dir.resolve("notab"), false,
                line -> {}));
        assertEquals(noTab + ":2: no tab in the line; expected tab-separated columns (2 needed)", tab.getMessage());

        GlossaException base = assertThrows(GlossaException.class,
                () -> tiny(Architecture.RNN_ATTENTION).with("model_size", "base"));
        assertTrue(base.getMessage().endsWith("model size 'base' is the Transformer paper's; the RNN has tiny and small"),
                base.getMessage());
        GlossaException noam = assertThrows(GlossaException.class,
                () -> tiny(Architecture.RNN_ATTENTION).with("schedule", "noam"));
        assertTrue(noam.getMessage().contains("the noam schedule scales with the Transformer's d_model"), noam.getMessage());

        // A model directory of another kind.
        Path bert = Files.createDirectories(dir.resolve("bert"));
        Files.writeString(bert.resolve("config.json"), "{\"model_type\": \"bert\", \"hidden_size\": 8}");
        GlossaException foreign = assertThrows(GlossaException.class, () -> TranslationModel.load(bert));
        assertEquals(bert.resolve("config.json") + ": model_type is 'bert', not a translation model (glossa-transformer or"
                + " glossa-rnn-attention)", foreign.getMessage());
    }
}
