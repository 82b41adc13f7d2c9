package org.glossa.tasks.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.glossa.models.bert.Bert;
import org.glossa.models.bert.Bert.SequenceClassification.Pooling;
import org.glossa.nn.Tensors;
import org.glossa.nn.train.MetricsLog;
import org.glossa.nn.train.TrainConfig.Precision;
import org.glossa.tasks.classify.ClassificationData.Columns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tuning a tiny random BERT with {@link ClassifyTraining}: it overfits CoLA sentences, freezing freezes, bad input. */
@Tag("model")
class ClassifyTrainingTest {
    @TempDir static Path shared;
    @TempDir Path dir;
    static Path tiny;

    @BeforeAll
    static void tinyModel() throws IOException {
        tiny = TinyBert.create(Files.createDirectories(shared.resolve("tiny")));
    }

    /** 8 acceptable and 8 unacceptable sentences of CoLA's training set, in CoLA's format. */
    static Path colaSample(Path dir) throws IOException {
        Path train;
        try {
            train = ClassifyTraining.sharedFile(ClassifyTraining.COLA_TRAIN);
        } catch (GlossaException e) {
            assumeTrue(false, "needs ../shared/data/cola (absent here): " + e.getMessage());
            return null;
        }
        List<String> picked = new ArrayList<>();
        int[] counts = new int[2];
        for (String line : Files.readAllLines(train)) {
            int label = line.split("\t")[1].equals("1") ? 1 : 0;
            if (counts[label] < 8) {
                counts[label]++;
                picked.add(line);
            }
        }
        return Files.write(dir.resolve("sample.tsv"), picked);
    }

    static ClassifyTraining.Options options(Path train, Path dev) {
        return ClassifyTraining.Options.defaults(train, dev, tiny).with(Map.of("batch_size", 8, "epochs", 12,
                "learning_rate", 1e-2, "weight_decay", 0.0, "precision", "fp32", "seed", 7));
    }

    @Test
    void aTinyBertOverfitsSixteenColaSentences() throws IOException {
        Path sample = colaSample(dir);
        Path run = dir.resolve("run");
        List<String> log = new ArrayList<>();
        ClassifyTraining.Result result = ClassifyTraining.train(options(sample, sample), run, false, log::add);

        assertEquals(24, result.training().steps(), "2 batches × 12 epochs");
        Metrics dev = result.dev().metrics();
        assertEquals(1.0, dev.mcc(), 1e-12, dev.report());
        assertEquals(1.0, dev.accuracy(), 1e-12);

        // One evaluation per epoch in metrics.jsonl, with the confusion matrix; it started far from perfect.
        List<JsonNode> evaluations = MetricsLog.read(run.resolve(MetricsLog.FILE_NAME)).stream()
                .filter(line -> line.has("val_mcc")).toList();
        assertEquals(12, evaluations.size());
        assertEquals(2, evaluations.get(0).get("step").asLong());
        assertTrue(evaluations.get(0).get("val_mcc").asDouble() < 0.5, evaluations.get(0).toString());
        JsonNode last = evaluations.get(11);
        // From chance (ln 2 = 0.69) to confident.
        assertTrue(evaluations.get(0).get("val_loss").asDouble() > 0.6, evaluations.get(0).toString());
        assertTrue(last.get("val_loss").asDouble() < 0.25, last.toString());
        assertEquals(8.0, last.get("val_confusion/acceptable/acceptable").asDouble());
        assertEquals(0.0, last.get("val_confusion/acceptable/unacceptable").asDouble());
        // The saved model is the first checkpoint that reached the best MCC (a tie does not replace it, as in HF).
        long bestStep = evaluations.stream().filter(line -> line.get("val_mcc").asDouble() == 1.0).findFirst().orElseThrow()
                .get("step").asLong();
        assertEquals(run.resolve("checkpoint-" + bestStep), result.training().bestCheckpoint());
        assertTrue(log.contains("max length 64 tokens: 0 training and 0 dev examples truncated"), log.toString());

        // The run directory is the best checkpoint as an HF classifier: it reloads to the same scores and logits.
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "classify.json", "eval_results.json")) {
            assertTrue(Files.isRegularFile(run.resolve(file)), file);
        }
        TextClassifier reloaded = TextClassifier.load(run, Precision.FP32);
        assertEquals(List.of("unacceptable", "acceptable"), reloaded.labels().names());
        List<Example> examples = ClassificationData.read(sample, null, Columns.defaults()).examples();
        TextClassifier.Evaluation again = reloaded.evaluate(examples);
        assertEquals(result.dev().loss(), again.loss(), 1e-6);
        assertEquals(dev.toMap(""), again.metrics().toMap(""));
        TextClassifier.Prediction first = reloaded.predict(examples).get(0);
        assertEquals(examples.get(0).labels().get(0), first.label());
        assertTrue(first.probability() > 0.5);
    }

    @Test
    void autoPoolingIsClsThroughATrainedPoolerElseMean() throws IOException {
        Path withPooler = Files.createDirectories(dir.resolve("with-pooler"));
        torch.manual_seed(1);
        new Bert.Model(TinyBert.CONFIG, true).save(withPooler);
        ClassifyTraining.Options defaults = ClassifyTraining.Options.defaults(dir, dir, tiny);
        assertEquals(ClassifyTraining.AUTO_POOLING, defaults.pooling());
        assertEquals(Pooling.MEAN, defaults.resolvedPooling(), "no pooler in the encoder (as in all-MiniLM-L6-v2)");
        assertEquals(Pooling.CLS, defaults.with("model", withPooler.toString()).resolvedPooling());
        assertEquals(Pooling.CLS, defaults.with("pooling", "cls").resolvedPooling(), "asked for: a new pooler");
        assertEquals(Pooling.MEAN, defaults.with(Map.of("model", withPooler.toString(), "pooling", "mean")).resolvedPooling());
    }

    @Test
    void frozenParametersStayExactlyAsTheyWereAndTheOthersMove() throws IOException {
        Path data = Files.writeString(dir.resolve("tiny.tsv"), "text\tlabel\nthe cat sat\tyes\ncat the sat\tno\n"
                + "a dog ran home\tyes\nran dog a home\tno\n");
        record Case(String name, Map<String, Object> freeze, java.util.function.Predicate<String> frozen) {}
        List<Case> cases = List.of(
                new Case("embeddings", Map.of("freeze_embeddings", true), name -> name.startsWith("bert.embeddings.")),
                new Case("bottom layer", Map.of("freeze_layers", 1), name -> name.startsWith("bert.encoder.layer.0.")),
                new Case("all but the head", Map.of("freeze_encoder", true),
                        name -> !name.startsWith("bert.pooler.") && !name.startsWith("classifier.")),
                new Case("nothing", Map.of(), name -> false));
        for (Case c : cases) {
            // No warmup: its first step would have a learning rate of 0.
            ClassifyTraining.Options options = options(data, data).with(Map.of("max_steps", 1, "warmup_ratio", 0.0))
                    .with(c.freeze());
            ClassifyTraining.Prepared prepared = ClassifyTraining.prepare(options, line -> {});
            Map<String, float[]> before = snapshot(prepared.model.namedParameters());
            prepared.trainer(dir.resolve("run-" + c.name().replace(' ', '-')), false).train();
            Map<String, float[]> after = snapshot(prepared.model.namedParameters());
            int frozen = 0;
            for (String name : before.keySet()) {
                if (c.frozen().test(name)) {
                    frozen++;
                    assertArrayEquals(before.get(name), after.get(name), c.name() + ": frozen " + name + " moved");
                    assertFalse(prepared.trainable.containsKey(name));
                } else {
                    assertFalse(java.util.Arrays.equals(before.get(name), after.get(name)), c.name() + ": " + name + " did not move");
                }
            }
            assertEquals(c.name().equals("nothing") ? 0 : c.name().equals("embeddings") ? 5 : c.name().equals("bottom layer") ? 16
                    : 5 + 2 * 16, frozen, c.name());
        }
    }

    static Map<String, float[]> snapshot(Map<String, Tensor> parameters) {
        Map<String, float[]> out = new LinkedHashMap<>();
        parameters.forEach((name, tensor) -> out.put(name, Tensors.toFloats(tensor)));
        return out;
    }

    @Test
    void badInputIsOneLineNamingFileLineOrValue() throws IOException {
        Path train = Files.writeString(dir.resolve("train.jsonl"), "{\"text\": \"good\", \"label\": \"yes\"}\n"
                + "{\"text\": \"bad\", \"label\": \"no\"}\n");
        Path dev = Files.writeString(dir.resolve("dev.jsonl"), "{\"text\": \"fine\", \"label\": \"yes\"}\n"
                + "{\"text\": \"unsure\", \"label\": \"maybe\"}\n");
        String unseen = assertThrows(GlossaException.class,
                () -> ClassifyTraining.prepare(options(train, dev), line -> {})).getMessage();
        assertEquals(dev + ":2: label 'maybe' does not occur in the training data (labels: no, yes)", unseen);

        String layers = assertThrows(GlossaException.class, () -> ClassifyTraining.prepare(options(train, train)
                .with("freeze_layers", 3), line -> {})).getMessage();
        assertEquals("cannot freeze the bottom 3 layers: the model has 2", layers);

        // Texts longer than the input are cut, and the log says how many.
        Path longText = Files.writeString(dir.resolve("long.jsonl"), "{\"text\": \"" + "word ".repeat(80) + "\", \"label\": \"yes\"}\n"
                + "{\"text\": \"short\", \"label\": \"no\"}\n");
        List<String> log = new ArrayList<>();
        ClassifyTraining.Prepared prepared = ClassifyTraining.prepare(options(longText, longText).with("max_length", 16), log::add);
        assertTrue(log.contains("max length 16 tokens: 1 training and 1 dev examples truncated"), log.toString());
        assertEquals(16, prepared.train.get(0).length());
        Path noTokenizer = Files.createDirectories(dir.resolve("bare"));
        Files.copy(tiny.resolve("config.json"), noTokenizer.resolve("config.json"));
        Files.copy(tiny.resolve("model.safetensors"), noTokenizer.resolve("model.safetensors"));
        String tokenizer = assertThrows(GlossaException.class, () -> ClassifyTraining.prepare(
                options(train, train).with("model", noTokenizer.toString()), line -> {})).getMessage();
        assertEquals(noTokenizer + ": no tokenizer.json (the model directory needs its tokenizer)", tokenizer);
    }
}
