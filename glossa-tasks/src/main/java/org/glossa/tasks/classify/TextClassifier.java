package org.glossa.tasks.classify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.glossa.models.bert.Bert;
import org.glossa.models.bert.Bert.SequenceClassification;
import org.glossa.nn.Autocast;
import org.glossa.nn.Engine;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.glossa.nn.train.TrainConfig.Precision;
import org.glossa.tasks.classify.Featurizer.Features;
import org.glossa.text.HfTokenizer;
import org.glossa.text.Tokenizer;

/**
 * A fine-tuned sequence classifier with its tokenizer: predictions and evaluation. Texts are encoded,
 * sorted by length and batched so that each batch is padded only to its own longest text; results come
 * back in input order.
 */
public final class TextClassifier {
    /** Multi-label: a label is predicted when its probability reaches this. */
    public static final double THRESHOLD = 0.5;
    public static final int DEFAULT_BATCH_SIZE = 64;

    private final SequenceClassification model;
    private final Tokenizer tokenizer;
    private final LabelMap labels;
    private final Featurizer featurizer;
    private final int batchSize;
    private final Precision precision;

    public TextClassifier(SequenceClassification model, Tokenizer tokenizer, int maxLength, int batchSize, Precision precision) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.labels = new LabelMap(model.head.labels());
        this.featurizer = new Featurizer(tokenizer, maxLength);
        this.batchSize = batchSize;
        this.precision = precision;
    }

    /** Loads a model directory written by fine-tuning: config.json with the labels, model.safetensors, tokenizer.json. */
    public static TextClassifier load(Path modelDir, Precision precision) {
        if (!Files.isDirectory(modelDir)) {
            throw new GlossaException(modelDir + ": no such model directory");
        }
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            if (!Files.isRegularFile(modelDir.resolve(file))) {
                throw new GlossaException(modelDir + ": not a classifier directory, no " + file);
            }
        }
        List<String> architectures = new ArrayList<>();
        org.glossa.core.HfConfig.read(modelDir).path("architectures").forEach(a -> architectures.add(a.asText()));
        if (!architectures.contains(SequenceClassification.ARCHITECTURE)) {
            throw new GlossaException(modelDir + ": not a sequence classifier (config.json's architectures: "
                    + (architectures.isEmpty() ? "none" : String.join(", ", architectures)) + "): fine-tune it with"
                    + " 'glossa classify train --model " + modelDir + "'");
        }
        Engine.init();
        SequenceClassification model = SequenceClassification.load(modelDir);
        Tokenizer tokenizer = HfTokenizer.load(modelDir.resolve("tokenizer.json"));
        return new TextClassifier(model, tokenizer, maxLength(model, tokenizer, 0), DEFAULT_BATCH_SIZE, precision);
    }

    /** The longest input: {@code requested} (0 for no limit of one's own) within the model's positions and the tokenizer's limit. */
    public static int maxLength(SequenceClassification model, Tokenizer tokenizer, int requested) {
        int limit = Math.min(model.config.maxPositionEmbeddings(), tokenizer.maxLength());
        return requested > 0 ? Math.min(requested, limit) : limit;
    }

    public SequenceClassification model() {
        return model;
    }

    public LabelMap labels() {
        return labels;
    }

    public Featurizer featurizer() {
        return featurizer;
    }

    // ------------------------------------------------------------------ prediction

    /**
     * What the model says about one text.
     *
     * @param label the most probable label (multi-label: of those predicted, or the most probable if none is)
     * @param probability its probability
     * @param predicted multi-label: every label at or above {@link #THRESHOLD}; single-label: just {@code label}
     * @param probabilities every label's probability, by id
     */
    public record Prediction(String label, double probability, List<String> predicted, float[] probabilities) {}

    /** Predictions for unlabelled (or labelled: the labels are ignored) examples, in their order. */
    public List<Prediction> predict(List<Example> examples) {
        Featurizer.Encoded encoded = featurizer.encodeAll(examples, null);
        float[][] probabilities = probabilities(encoded.features(), count -> {});
        List<Prediction> out = new ArrayList<>(examples.size());
        for (float[] row : probabilities) {
            int best = argmax(row);
            List<String> predicted = new ArrayList<>();
            if (model.head.multiLabel()) {
                for (int i = 0; i < row.length; i++) {
                    if (row[i] >= THRESHOLD) {
                        predicted.add(labels.name(i));
                    }
                }
            } else {
                predicted.add(labels.name(best));
            }
            out.add(new Prediction(labels.name(best), row[best], List.copyOf(predicted), row));
        }
        return out;
    }

    // ------------------------------------------------------------------ evaluation

    /**
     * Scores on labelled examples.
     *
     * @param loss the mean training loss (cross-entropy, or binary cross-entropy per decision)
     * @param truncated examples longer than the model's input, cut
     */
    public record Evaluation(Metrics metrics, double loss, int truncated) {}

    /** Scores on labelled examples; a label the model does not know is an error naming the example's line. */
    public Evaluation evaluate(List<Example> examples) {
        Featurizer.Encoded encoded = featurizer.encodeAll(examples, labels);
        return evaluate(encoded.features(), encoded.truncated());
    }

    /** Scores on encoded examples, e.g. a development set encoded once for a whole training run. */
    public Evaluation evaluate(List<Features> features, int truncated) {
        double[] lossSum = new double[1];
        float[][] probabilities = run(features, (batch, logits) -> lossSum[0] += model.loss(logits, batch.labels())
                .item_double() * batch.size(), count -> {});
        int n = features.size();
        int k = labels.size();
        Metrics metrics;
        if (model.head.multiLabel()) {
            boolean[][] truth = new boolean[n][k];
            boolean[][] predicted = new boolean[n][k];
            for (int i = 0; i < n; i++) {
                for (int label : features.get(i).labels()) {
                    truth[i][label] = true;
                }
                for (int j = 0; j < k; j++) {
                    predicted[i][j] = probabilities[i][j] >= THRESHOLD;
                }
            }
            metrics = Metrics.multiLabel(labels.names(), truth, predicted);
        } else {
            int[] truth = new int[n];
            int[] predicted = new int[n];
            for (int i = 0; i < n; i++) {
                truth[i] = features.get(i).labels()[0];
                predicted[i] = argmax(probabilities[i]);
            }
            metrics = Metrics.singleLabel(labels.names(), truth, predicted);
        }
        return new Evaluation(metrics, n == 0 ? Double.NaN : lossSum[0] / n, truncated);
    }

    // ------------------------------------------------------------------ batches

    /** A padded batch as tensors: ids, segment ids and mask (B, T), labels (B) ids or (B, L) 0/1. */
    public record Batch(Tensor ids, Tensor typeIds, Tensor mask, Tensor labels, int size, long tokens) {}

    /**
     * Pads {@code features} to the longest of them and makes the tensors (in the caller's scope). Labels are
     * ids (int64, (B)) for single-label models, 0/1 rows (float, (B, L)) for multi-label ones; none when the
     * features carry none.
     */
    public static Batch collate(List<Features> features, long padId, int numLabels, boolean multiLabel) {
        int rows = features.size();
        int width = features.stream().mapToInt(Features::length).max().orElse(0);
        long[] ids = new long[rows * width];
        long[] types = new long[rows * width];
        long[] mask = new long[rows * width];
        java.util.Arrays.fill(ids, padId);
        long tokens = 0;
        boolean labelled = features.stream().allMatch(f -> f.labels().length > 0) || multiLabel;
        long[] labelIds = new long[rows];
        float[] multiHot = new float[rows * numLabels];
        for (int b = 0; b < rows; b++) {
            Features f = features.get(b);
            System.arraycopy(f.ids(), 0, ids, b * width, f.length());
            System.arraycopy(f.typeIds(), 0, types, b * width, f.length());
            java.util.Arrays.fill(mask, b * width, b * width + f.length(), 1L);
            tokens += f.length();
            if (multiLabel) {
                for (int label : f.labels()) {
                    multiHot[b * numLabels + label] = 1;
                }
            } else if (labelled) {
                labelIds[b] = f.labels()[0];
            }
        }
        Tensor labels = !labelled ? null : multiLabel ? Tensors.fromFloats(multiHot, rows, numLabels)
                : Tensors.fromLongs(labelIds, rows);
        return new Batch(Tensors.fromLongs(ids, rows, width), Tensors.fromLongs(types, rows, width),
                Tensors.fromLongs(mask, rows, width), labels, rows, tokens);
    }

    /** Probabilities (by example, by label), computed in length-sorted batches. */
    float[][] probabilities(List<Features> features, LongConsumer progress) {
        return run(features, (batch, logits) -> {}, progress);
    }

    private interface BatchListener {
        void onBatch(Batch batch, Tensor logits);
    }

    /** Runs the model over the examples without gradients, in evaluation mode (restored afterwards). */
    private float[][] run(List<Features> features, BatchListener listener, LongConsumer progress) {
        List<Integer> order = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> features.get(i).length()).reversed());
        float[][] out = new float[features.size()][];
        boolean wasTraining = model.isTraining();
        model.train(false);
        try {
            for (int start = 0; start < order.size(); start += batchSize) {
                List<Integer> rows = order.subList(start, Math.min(order.size(), start + batchSize));
                List<Features> picked = rows.stream().map(features::get).toList();
                try (NativeScope scope = new NativeScope()) {
                    float[] flat = Tensors.noGrad(() -> {
                        Batch batch = collate(picked, tokenizer.padId(), labels.size(), model.head.multiLabel());
                        Supplier<Tensor> forward = () -> model.forward(batch.ids(), batch.typeIds(), batch.mask());
                        Tensor logits = precision == Precision.BF16 ? Autocast.bf16(forward) : forward.get(); // (B, L) fp32
                        if (batch.labels() != null) {
                            listener.onBatch(batch, logits);
                        }
                        return Tensors.toFloats(model.probabilities(logits));
                    });
                    int k = labels.size();
                    for (int r = 0; r < rows.size(); r++) {
                        out[rows.get(r)] = java.util.Arrays.copyOfRange(flat, r * k, (r + 1) * k);
                    }
                }
                progress.accept(rows.size());
            }
        } finally {
            model.train(wasTraining);
        }
        return out;
    }

    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The encoder's name for messages. */
    static String describe(Bert.SequenceClassification model) {
        return model.config.numHiddenLayers() + " layers × " + model.config.hiddenSize() + ", " + model.head.numLabels()
                + " labels, " + model.head.pooling().key() + " pooling";
    }
}
