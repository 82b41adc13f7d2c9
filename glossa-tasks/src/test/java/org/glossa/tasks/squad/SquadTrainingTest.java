package org.glossa.tasks.squad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.SafeTensorsFile;
import org.glossa.models.bert.Bert;
import org.glossa.models.bert.BertConfig;
import org.glossa.models.bert.SentenceEmbedder.Precision;
import org.glossa.nn.train.Checkpoints;
import org.glossa.tasks.TestFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SquadTraining} end to end on a tiny random BERT with MiniLM's tokenizer: it learns four real SQuAD 2.0
 * questions by heart (one of them unanswerable), its checkpoints are model directories, an interrupted run
 * resumes to the very same weights, and bad input is explained.
 *
 * <p>The fixture {@code zelda-four-questions.json} holds one paragraph of SQuAD 2.0's training set
 * (The_Legend_of_Zelda:_Twilight_Princess, paragraph 2, CC BY-SA 4.0) with four of its questions, copied with
 * their ids from {@code train-v2.0.first10articles.json}.
 */
@Tag("model")
class SquadTrainingTest {
    @TempDir Path dir;

    /** The gold answers of the fixture, by id ("" = unanswerable). */
    private static final Map<String, String> GOLD = new LinkedHashMap<>();

    static {
        GOLD.put("56cd8ad162d2951400fa6698", "Link");
        GOLD.put("56cd8ad162d2951400fa6699", "Hyrule");
        GOLD.put("56d1162317492d1400aab8ef", "The Wind Waker");
        GOLD.put("5a8d800edf8bba001a0f9abf", "");
    }

    private Path fixture() throws IOException {
        Path file = dir.resolve("zelda.json");
        try (InputStream in = getClass().getResourceAsStream("zelda-four-questions.json")) {
            Files.copy(in, file);
        }
        return file;
    }

    /**
     * A random 2-layer BERT of width 64 (4 heads) with MiniLM's vocabulary and tokenizer, saved as an encoder
     * directory. Width 32 learns the four questions too slowly for a quick test (75 % after 60 steps).
     */
    private Path tinyEncoder(double dropout) throws IOException {
        BertConfig config = new BertConfig(30522, 64, 2, 4, 128, "gelu", dropout, dropout, 512, 2, 0.02, 1e-12, 0, "absolute", false);
        torch.manual_seed(3);
        Path model = dir.resolve("encoder-" + dropout);
        new Bert.Model(config, false).save(model);
        try (InputStream in = getClass().getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, model.resolve("tokenizer.json"));
        }
        return model;
    }

    private SquadTraining.Options options(Path model, Path data) {
        return SquadTraining.Options.defaults(model, data, null, data).with(Map.of("negatives", 0.0, "batch_size", 4,
                "precision", "fp32", "weight_decay", 0.0, "log_every", 5)).with(Map.of("epochs", 0.0, "max_steps", 60,
                "learning_rate", 5e-3, "eval_every", 30, "save_every", 0));
    }

    @Test
    void aTinyModelLearnsFourQuestionsByHeart() throws IOException {
        Path data = fixture();
        Path run = dir.resolve("run");
        // A random tiny encoder has no pretrained vocabulary table worth keeping: it learns its word embeddings too.
        SquadTraining.Options options = options(tinyEncoder(0.0), data).with("freeze_word_embeddings", false);
        SquadTraining.Result result = SquadTraining.train(options, run, false, line -> {});
        assertEquals(new SquadTraining.DataSummary(4, 3, 1, 0, 4), result.data());
        assertEquals(60, result.training().steps());
        assertEquals(100.0, result.training().bestMetric(), "best_f1 on the four training questions");

        // The run directory and each checkpoint are question-answering model directories.
        for (Path model : Stream.concat(Stream.of(run), Checkpoints.list(run).stream()).toList()) {
            for (String file : SquadTraining.MODEL_FILES) {
                assertTrue(Files.isRegularFile(model.resolve(file)), model + " lacks " + file);
            }
        }
        SquadPredictor predictor = SquadPredictor.load(run, Precision.FP32);
        List<SquadExample> examples = SquadDataset.read(data);
        SquadPredictor.Prediction prediction = predictor.predict(examples, QaPostprocess.Options.defaults(), false);
        assertEquals(GOLD, prediction.result().predictions());
        assertEquals(100.0, prediction.scores().exact());

        Path out = dir.resolve("predictions");
        SquadPredictor.write(prediction, out);
        for (String file : List.of("predictions.json", "nbest_predictions.json", "null_odds.json", "scores.json")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        assertTrue(Files.readString(out.resolve("scores.json")).startsWith("{\n  \"exact\": 100.0,"));

        // One question at a time: the span, its offsets in the context, and "no answer".
        String context = examples.get(0).context();
        SquadPredictor.Answer link = predictor.answer("Who is the main character of the story?", context,
                QaPostprocess.Options.defaults());
        assertEquals("Link", link.text());
        assertEquals("Link", context.substring(link.charStart(), link.charEnd()));
        SquadPredictor.Answer none = predictor.answer("When does the Waker take place?", context, QaPostprocess.Options.defaults());
        assertEquals("", none.text());
        assertTrue(none.nullOdds() > 0, "no answer means the null score won: " + none.nullOdds());
    }

    @Test
    void anInterruptedRunResumesToTheSameWeights() throws IOException {
        // Dropout on, two batches of two per epoch: resuming needs the generator state and the data position.
        Path encoder = tinyEncoder(0.1);
        SquadTraining.Options options = options(encoder, fixture()).with(Map.of("batch_size", 2, "max_steps", 10,
                "eval_every", 4, "save_every", 4));
        Path whole = dir.resolve("whole");
        SquadTraining.train(options, whole, false, line -> {});
        assertTrue(Files.isDirectory(whole.resolve("checkpoint-8")), "checkpoints: " + Checkpoints.list(whole));
        byte[] expected = Files.readAllBytes(whole.resolve("checkpoint-10/model.safetensors"));
        // Word embeddings are frozen by default: the trained table is the encoder's, bit for bit.
        try (SafeTensorsFile base = SafeTensors.open(encoder.resolve("model.safetensors"));
             SafeTensorsFile trained = SafeTensors.open(whole.resolve("checkpoint-10/model.safetensors"))) {
            String baseName = base.contains(SquadTraining.WORD_EMBEDDINGS) ? SquadTraining.WORD_EMBEDDINGS
                    : "embeddings.word_embeddings.weight";
            assertEquals(base.get(baseName).bytes(), trained.get(SquadTraining.WORD_EMBEDDINGS).bytes());
            assertNotEquals(base.get("embeddings.LayerNorm.weight").bytes(),
                    trained.get("bert.embeddings.LayerNorm.weight").bytes(), "the rest of the encoder trains");
        }

        // The same run stopped after step 8: its directory as it was then.
        Path stopped = dir.resolve("stopped");
        TestFiles.copyTree(whole, stopped);
        AtomicFiles.deleteRecursively(stopped.resolve("checkpoint-10"));
        for (String file : SquadTraining.MODEL_FILES) {
            Files.delete(stopped.resolve(file));
        }
        SquadTraining.Result resumed = SquadTraining.resume(stopped, SquadTraining.savedOptions(stopped), false, line -> {});
        assertEquals(10, resumed.training().steps());
        assertArrayEquals(expected, Files.readAllBytes(stopped.resolve("checkpoint-10/model.safetensors")),
                "resumed weights differ from the uninterrupted run's");

        GlossaException changed = assertThrows(GlossaException.class, () -> SquadTraining.resume(stopped,
                options.with(Map.of("learning_rate", 0.02, "negatives", 1.0)), false, line -> {}));
        assertEquals("cannot resume " + stopped + " with different settings: negatives 0.0 in the run, 1.0 now;"
                + " learning_rate 0.005 in the run, 0.02 now", changed.getMessage());
    }

    @Test
    void badInputIsExplainedInOneLine() throws IOException {
        Path model = tinyEncoder(0.0);
        Path data = fixture();
        Path missing = dir.resolve("missing.json");
        GlossaException noData = assertThrows(GlossaException.class,
                () -> SquadTraining.train(options(model, missing), dir.resolve("a"), false, line -> {}));
        assertEquals(missing + ": no such file", noData.getMessage());

        Files.delete(model.resolve("model.safetensors"));
        GlossaException noWeights = assertThrows(GlossaException.class,
                () -> SquadTraining.train(options(model, data), dir.resolve("b"), false, line -> {}));
        assertEquals(model.resolve("model.safetensors") + ": no such file (a model directory needs its weights)",
                noWeights.getMessage());

        // An encoder is not a reader: predicting needs a fine-tuned head.
        Path encoder = tinyEncoder(0.5);
        GlossaException notQa = assertThrows(GlossaException.class, () -> SquadPredictor.load(encoder, Precision.FP32));
        assertTrue(notQa.getMessage().endsWith("not a question-answering model (no qa_outputs weights): fine-tune it first"
                + " with 'glossa squad train'"), notQa.getMessage());
    }
}
