package org.glossa.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.glossa.core.AtomicFiles;
import org.glossa.core.HfConfig;
import org.glossa.core.Progress;
import org.glossa.core.onnx.MiniLm;
import org.glossa.models.bert.Bert;
import org.glossa.models.bert.SentenceEmbedder;
import org.glossa.nn.Engine;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.glossa.nn.train.AdamW;
import org.glossa.nn.train.Schedule;
import org.glossa.nn.train.TrainConfig;
import org.glossa.nn.train.TrainConfig.Precision;
import org.glossa.nn.train.TrainData;
import org.glossa.nn.train.Trainer;
import org.glossa.tasks.squad.QaFeature;
import org.glossa.tasks.squad.QaFeatureOptions;
import org.glossa.tasks.squad.QaFeatures;
import org.glossa.tasks.squad.QaTrainingBatches;
import org.glossa.tasks.squad.QaTrainingBatches.Window;
import org.glossa.tasks.squad.SquadDataset;
import org.glossa.tasks.squad.SquadExample;
import org.glossa.tasks.squad.SquadPredictor;
import org.glossa.tasks.squad.SquadTraining;
import org.glossa.text.HfTokenizer;

/**
 * SQuAD fine-tuning and prediction throughput of all-MiniLM-L6-v2 with a question-answering head, in features
 * (windows) per second, on real windows of the SQuAD 2.0 dev file (384 tokens, stride 128, questions of at most
 * 64 tokens, labelled as for training).
 *
 * <pre>bench/squad-throughput.sh [steps=10] [threads=2]   (this class: SquadThroughput BATCHES_JSON [steps] [threads])</pre>
 *
 * <p>Batches: the first {@code steps} batches of epoch 0 that {@link QaTrainingBatches#batches} draws from the windows
 * (32 of similar length, seed 42, padded to their longest rounded up to a multiple of 8), exactly as
 * {@code glossa squad train} draws them.
 *
 * <p>Training: the {@link Trainer} runs the step of {@code glossa squad train} ({@link SquadTraining}): the
 * {@link Bert.QuestionAnswering} loss, AdamW (lr 5e-5, ε 1e-8, weight decay 0.01 except biases and LayerNorm) over
 * every parameter but the frozen word embeddings, clipping at 1.0, dropout 0.1, fp32 and then bf16 autocast.
 *
 * <p>Prediction: the windows of those batches through {@link SquadPredictor#logits} (batches of
 * {@value SquadPredictor#DEFAULT_BATCH_SIZE}, longest first), fp32 and bf16, under libtorch's inference mode as the
 * PyTorch side runs ({@code glossa squad predict} itself runs the predictor without gradients only, because the
 * same code also evaluates inside training).
 *
 * <p>Each measurement runs its batches twice: the first pass warms up (allocator, oneDNN kernels per shape), the
 * second is timed. Every padded batch of both phases goes to {@code BATCHES_JSON} for the PyTorch side of the
 * benchmark ({@code bench/python/torch_qa.py}), which runs the very same tensors.
 */
public final class SquadThroughput {
    private static final int TRAIN_BATCH_SIZE = 32;
    private static final long SEED = 42;

    public static void main(String[] args) throws IOException {
        Path batchesJson = Path.of(args[0]);
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        if (args.length > 2) {
            System.setProperty("glossa.threads", args[2]);
        }
        Engine.init();
        Path modelDir = MiniLm.ensureImported();
        HfTokenizer tokenizer = HfTokenizer.load(modelDir.resolve("tokenizer.json"));
        QaFeatureOptions featureOptions = QaFeatureOptions.defaults();
        Path devFile = SquadTraining.sharedFile(SquadTraining.DEFAULT_DEV, "the SQuAD 2.0 dev file");
        List<SquadExample> dev = SquadDataset.read(devFile);

        // Labelled features and their compact training form, index for index: the trainer needs the windows,
        // the predictor the features.
        List<QaFeature> features;
        try (Progress progress = Progress.start("features", dev.size(), "questions")) {
            features = QaFeatures.build(tokenizer, dev, featureOptions, true, progress);
        }
        List<Window> windows = features.stream().map(QaTrainingBatches::compact).toList();
        int[][] members = QaTrainingBatches.batches(windows, TRAIN_BATCH_SIZE, tokenizer.padId(), SEED).batches(0);
        if (steps > members.length) {
            throw new IllegalArgumentException(steps + " steps asked for, the dev windows make " + members.length + " batches");
        }
        List<List<Window>> trainBatches = new ArrayList<>();
        List<QaFeature> timedFeatures = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            List<Window> batch = new ArrayList<>();
            for (int index : members[i]) {
                batch.add(windows.get(index));
                timedFeatures.add(features.get(index));
            }
            trainBatches.add(batch);
        }
        // Longest first, as SquadPredictor orders them: its stable sort then keeps this very order, so consecutive runs
        // of DEFAULT_BATCH_SIZE here are its batches.
        timedFeatures.sort(Comparator.comparingInt(QaFeature::length).reversed());
        List<List<QaFeature>> predictBatches = new ArrayList<>();
        for (int from = 0; from < timedFeatures.size(); from += SquadPredictor.DEFAULT_BATCH_SIZE) {
            predictBatches.add(timedFeatures.subList(from, Math.min(timedFeatures.size(), from + SquadPredictor.DEFAULT_BATCH_SIZE)));
        }

        double meanLength = timedFeatures.stream().mapToInt(QaFeature::length).average().orElseThrow();
        double meanPadded = trainBatches.stream().mapToLong(b -> (long) b.size() * paddedWidth(b.stream().mapToInt(Window::length)
                .max().orElseThrow())).sum() / (double) timedFeatures.size();
        writeBatches(batchesJson, trainBatches, predictBatches, tokenizer.padId(), meanLength);
        System.out.println("# " + Engine.describe().replace("\n", "\n# "));
        System.out.printf(Locale.ROOT, "# SQuAD 2.0 dev: %,d questions, %,d windows; the first %d length-grouped batches of epoch 0:"
                + " %d windows of %.1f tokens on average (%.1f padded in the training batches), %d threads%n",
                dev.size(), windows.size(), steps, timedFeatures.size(), meanLength, meanPadded, Engine.threads());
        System.out.printf(Locale.ROOT, "mean window length: %.1f%n", meanLength);

        for (Precision precision : Precision.values()) {
            double perSecond = train(modelDir, tokenizer.padId(), trainBatches, precision);
            System.out.printf(Locale.ROOT, "glossa train %s: %.2f features/s%n", name(precision), perSecond);
        }
        for (SentenceEmbedder.Precision precision : SentenceEmbedder.Precision.values()) {
            double perSecond = predict(modelDir, tokenizer, featureOptions, timedFeatures, precision);
            System.out.printf(Locale.ROOT, "glossa predict %s: %.2f features/s%n", precision.name().toLowerCase(Locale.ROOT),
                    perSecond);
        }
    }

    /** Two passes over the batches through the Trainer, as SquadTraining sets it up; the features per second of the second. */
    static double train(Path modelDir, long padId, List<List<Window>> batches, Precision precision) throws IOException {
        Bert.QuestionAnswering model = Bert.QuestionAnswering.load(modelDir, SEED);
        // SquadTraining's default: the word embeddings stay frozen, AdamW gets (and switches gradients on for) the rest.
        model.requiresGrad(false);
        Map<String, Tensor> trainable = new LinkedHashMap<>(model.namedParameters());
        trainable.remove(SquadTraining.WORD_EMBEDDINGS);
        Path runDir = Files.createTempDirectory("glossa-bench-squad");
        int n = batches.size();
        TrainData<List<Window>> data = TwoPasses.fixedBatches(batches, List::size); // windows, for features/s
        TrainConfig config = TwoPasses.config(runDir, n, precision).maxGradNorm(1.0).seed(SEED).build();
        new Trainer<>(model, windows -> {
            QaTrainingBatches.Batch batch = QaTrainingBatches.collate(windows, padId); // inside the step's scope, as in training
            return Bert.QuestionAnswering.loss(model.forward(batch.inputIds(), batch.tokenTypeIds(), batch.attentionMask()),
                    batch.startPositions(), batch.endPositions());
        }, data, new AdamW(trainable, AdamW.Options.defaults().withWeightDecay(0.01)), new Schedule.WarmupLinear(5e-5, 0, 2L * n),
                config).train();
        // "tokens_per_s" counts windows here.
        return TwoPasses.timedPass(runDir, precision, "features/s").get("tokens_per_s").asDouble();
    }

    /** Two passes of the predictor over {@code features}; the features per second of the second. */
    static double predict(Path modelDir, HfTokenizer tokenizer, QaFeatureOptions featureOptions, List<QaFeature> features,
                          SentenceEmbedder.Precision precision) {
        Bert.QuestionAnswering model = Bert.QuestionAnswering.load(modelDir, SEED);
        model.train(false);
        SquadPredictor predictor = new SquadPredictor(model, tokenizer, featureOptions, SquadPredictor.DEFAULT_BATCH_SIZE, precision);
        double[] seconds = new double[2];
        double clsLogits = 0; // printed, so that a broken forward (NaN, all zeros) shows
        for (int pass = 0; pass < 2; pass++) {
            long start = System.nanoTime();
            SquadPredictor.FeatureLogits logits = Tensors.inference(() -> predictor.logits(features, Progress.quiet()));
            seconds[pass] = (System.nanoTime() - start) / 1e9;
            clsLogits = logits.start()[0][0] + logits.end()[0][0];
        }
        System.out.printf(Locale.ROOT, "glossa predict %s: warm-up pass %.2f features/s, first window's [CLS] start + end logit %.4f%n",
                precision.name().toLowerCase(Locale.ROOT), features.size() / seconds[0], clsLogits);
        return features.size() / seconds[1];
    }

    private static String name(Precision precision) {
        return precision.name().toLowerCase(Locale.ROOT);
    }

    /** The width SquadPredictor and QaTrainingBatches pad a batch whose longest window has {@code longest} tokens to. */
    private static int paddedWidth(int longest) {
        int multiple = QaTrainingBatches.PAD_TO_MULTIPLE_OF;
        return (longest + multiple - 1) / multiple * multiple;
    }

    /**
     * The padded tensors of every batch: "train" as {@link QaTrainingBatches#collate} makes them (ids, token types,
     * mask, start and end positions), "predict" as SquadPredictor pads its batches (ids, token types, mask).
     */
    static void writeBatches(Path file, List<List<Window>> trainBatches, List<List<QaFeature>> predictBatches, long padId,
                             double meanLength) {
        ObjectNode root = HfConfig.mapper().createObjectNode();
        root.put("mean_window_length", meanLength);
        ArrayNode train = root.putArray("train");
        for (List<Window> windows : trainBatches) {
            try (NativeScope scope = new NativeScope()) {
                QaTrainingBatches.Batch batch = QaTrainingBatches.collate(windows, padId);
                ObjectNode node = train.addObject();
                putRows(node, "input_ids", Tensors.toLongs(batch.inputIds()), batch.length()); // (B, T)
                putRows(node, "token_type_ids", Tensors.toLongs(batch.tokenTypeIds()), batch.length()); // (B, T)
                putRows(node, "attention_mask", Tensors.toLongs(batch.attentionMask()), batch.length()); // (B, T)
                putValues(node, "start_positions", Tensors.toLongs(batch.startPositions())); // (B)
                putValues(node, "end_positions", Tensors.toLongs(batch.endPositions())); // (B)
            }
        }
        ArrayNode predict = root.putArray("predict");
        for (List<QaFeature> batch : predictBatches) {
            int width = paddedWidth(batch.get(0).length()); // longest first
            ObjectNode node = predict.addObject();
            ArrayNode ids = node.putArray("input_ids");
            ArrayNode types = node.putArray("token_type_ids");
            ArrayNode mask = node.putArray("attention_mask");
            for (QaFeature feature : batch) {
                ArrayNode idRow = ids.addArray();
                ArrayNode typeRow = types.addArray();
                ArrayNode maskRow = mask.addArray();
                for (int t = 0; t < width; t++) {
                    boolean real = t < feature.length();
                    idRow.add(real ? feature.inputIds()[t] : padId);
                    typeRow.add(real ? feature.tokenTypeIds()[t] : 0);
                    maskRow.add(real ? 1 : 0);
                }
            }
        }
        // Compact (HfConfig.write puts every number on its own line: ten times the size for nothing).
        AtomicFiles.write(file, temporary -> HfConfig.mapper().writer().without(SerializationFeature.INDENT_OUTPUT)
                .writeValue(temporary.toFile(), root));
    }

    /** {@code values} as rows of {@code width}. */
    private static void putRows(ObjectNode node, String key, long[] values, int width) {
        ArrayNode out = node.putArray(key);
        for (int from = 0; from < values.length; from += width) {
            ArrayNode row = out.addArray();
            for (int t = from; t < from + width; t++) {
                row.add(values[t]);
            }
        }
    }

    private static void putValues(ObjectNode node, String key, long[] values) {
        ArrayNode out = node.putArray(key);
        for (long value : values) {
            out.add(value);
        }
    }
}
