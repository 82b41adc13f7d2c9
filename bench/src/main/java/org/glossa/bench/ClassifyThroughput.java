package org.glossa.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.glossa.core.HfConfig;
import org.glossa.core.onnx.MiniLm;
import org.glossa.models.bert.Bert.SequenceClassification;
import org.glossa.models.bert.Bert.SequenceClassification.Head;
import org.glossa.models.bert.Bert.SequenceClassification.Pooling;
import org.glossa.nn.Engine;
import org.glossa.nn.train.AdamW;
import org.glossa.nn.train.LengthGroupedBatches;
import org.glossa.nn.train.Schedule;
import org.glossa.nn.train.TrainConfig;
import org.glossa.nn.train.TrainConfig.Precision;
import org.glossa.nn.train.TrainData;
import org.glossa.nn.train.Trainer;
import org.glossa.tasks.classify.ClassificationData;
import org.glossa.tasks.classify.ClassifyTraining;
import org.glossa.tasks.classify.Example;
import org.glossa.tasks.classify.Featurizer;
import org.glossa.tasks.classify.Featurizer.Features;
import org.glossa.tasks.classify.LabelMap;
import org.glossa.tasks.classify.TextClassifier;
import org.glossa.text.HfTokenizer;

/**
 * Fine-tuning throughput on CoLA, as {@code glossa classify train} runs it: all-MiniLM-L6-v2 with a new pooler
 * and classifier, the first {@code steps} batches of epoch 0 from {@link LengthGroupedBatches} (32 sentences of
 * similar length, each batch padded to its longest), AdamW with a linear schedule, clipping at 1.0, dropout 0.1,
 * through the {@link Trainer} itself.
 *
 * <pre>bench/classify-throughput.sh [steps=20] [threads=2]   (this class: ClassifyThroughput BATCHES_JSON [steps] [threads])</pre>
 *
 * For fp32 and then bf16 the trainer runs the batches twice in a row: the first pass warms up (libtorch and
 * oneDNN build their kernels for each new shape), the second is timed (the optimizer-step time the trainer logs,
 * which leaves out checkpoints). The batches go to {@code BATCHES_JSON}, token ids without padding, for the
 * PyTorch side of the benchmark ({@code bench/python/torch_classify.py}), which pads them its own way.
 */
public final class ClassifyThroughput {
    public static void main(String[] args) throws IOException {
        Path batchesJson = Path.of(args[0]);
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        if (args.length > 2) {
            System.setProperty("glossa.threads", args[2]);
        }
        Engine.init();
        Path modelDir = MiniLm.ensureImported();
        HfTokenizer tokenizer = HfTokenizer.load(modelDir.resolve("tokenizer.json"));
        List<Example> train = ClassificationData.read(ClassifyTraining.sharedFile(ClassifyTraining.COLA_TRAIN), null,
                ClassificationData.Columns.defaults()).examples();
        LabelMap labels = new LabelMap(List.of(ClassificationData.UNACCEPTABLE, ClassificationData.ACCEPTABLE));
        List<Features> features = new Featurizer(tokenizer, 512).encodeAll(train, labels).features();
        LengthGroupedBatches<Features, List<Features>> grouped = new LengthGroupedBatches<>(features, Features::length, 32,
                LengthGroupedBatches.DEFAULT_MEGA_BATCH_FACTOR, picked -> picked, List::size, 42);
        List<List<Features>> batches = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            batches.add(grouped.batch(0, i));
        }
        writeBatches(batchesJson, batches);
        long examples = batches.stream().mapToLong(List::size).sum();
        long tokens = batches.stream().flatMap(List::stream).mapToLong(Features::length).sum();
        long padded = batches.stream().mapToLong(b -> (long) b.size() * b.stream().mapToInt(Features::length).max().orElse(0)).sum();
        System.out.println("# " + Engine.describe().replace("\n", "\n# "));
        System.out.printf(Locale.ROOT, "# CoLA train, first %d length-grouped batches of epoch 0: %d sentences, %d tokens,"
                + " %d with padding (%.1f%% padding), %d threads%n", steps, examples, tokens, padded,
                100.0 * (padded - tokens) / padded, Engine.threads());
        Map<String, Double> results = new LinkedHashMap<>();
        for (Precision precision : Precision.values()) {
            double perSecond = run(modelDir, tokenizer.padId(), batches, precision);
            results.put(precision.name().toLowerCase(Locale.ROOT), perSecond);
            System.out.printf(Locale.ROOT, "glossa %s: %.1f examples/s%n", precision.name().toLowerCase(Locale.ROOT), perSecond);
        }
    }

    /** Two passes over the batches through the Trainer; the examples per second of the second. */
    static double run(Path modelDir, long padId, List<List<Features>> batches, Precision precision) throws IOException {
        SequenceClassification model = SequenceClassification.fromPretrained(modelDir,
                new Head(List.of(ClassificationData.UNACCEPTABLE, ClassificationData.ACCEPTABLE), false, Pooling.CLS, null), 42);
        Path runDir = Files.createTempDirectory("glossa-bench-classify");
        int n = batches.size();
        TrainData<List<Features>> data = TwoPasses.fixedBatches(batches, List::size); // examples, for examples/s
        TrainConfig config = TwoPasses.config(runDir, n, precision).seed(42).build();
        new Trainer<>(model, batch -> {
            TextClassifier.Batch tensors = TextClassifier.collate(batch, padId, 2, false);
            return model.loss(model.forward(tensors.ids(), tensors.typeIds(), tensors.mask()), tensors.labels());
        }, data, new AdamW(model, AdamW.Options.defaults().withEps(1e-8)), new Schedule.WarmupLinear(2e-5, 0, 2L * n), config)
                .train();
        // "tokens_per_s" counts examples here.
        return TwoPasses.timedPass(runDir, precision, "examples/s").get("tokens_per_s").asDouble();
    }

    static void writeBatches(Path file, List<List<Features>> batches) {
        ObjectNode root = HfConfig.mapper().createObjectNode();
        ArrayNode out = root.putArray("batches");
        for (List<Features> batch : batches) {
            ObjectNode node = out.addObject();
            ArrayNode ids = node.putArray("ids");
            ArrayNode labels = node.putArray("labels");
            for (Features f : batch) {
                ArrayNode row = ids.addArray();
                for (long id : f.ids()) {
                    row.add(id);
                }
                labels.add(f.labels()[0]);
            }
        }
        HfConfig.write(file, root);
    }
}
