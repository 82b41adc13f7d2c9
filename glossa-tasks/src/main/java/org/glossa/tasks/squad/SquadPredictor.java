package org.glossa.tasks.squad;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.Progress;
import org.glossa.models.bert.Bert;
import org.glossa.models.bert.SentenceEmbedder.Precision;
import org.glossa.nn.Autocast;
import org.glossa.nn.Engine;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.glossa.text.HfTokenizer;

/**
 * Answers SQuAD questions with a {@link Bert.QuestionAnswering} model: features of the examples
 * ({@link QaFeatures}), start and end logits of every window in batches of similar length without
 * gradients (fp32, or bf16 matrix products), then {@link QaPostprocess} to character spans and "no answer".
 * A whole data set goes through {@link #predict} (and {@link #write} puts the result in a directory, with
 * the official scores when the data has answers); one question through {@link #answer}.
 *
 * <p>Not thread-safe (the model is shared with whoever trains it); one predictor per thread.
 */
public final class SquadPredictor {
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** The official scores, written beside the predictions when the data has gold answers. */
    public static final String SCORES_FILE = "scores.json";

    private final Bert.QuestionAnswering model;
    private final HfTokenizer tokenizer;
    private final QaFeatureOptions featureOptions;
    private final int batchSize;
    private final Precision precision;
    private final double nullThreshold;

    /** The model is used as it is: put it in evaluation mode ({@code train(false)}) first. */
    public SquadPredictor(Bert.QuestionAnswering model, HfTokenizer tokenizer, QaFeatureOptions featureOptions, int batchSize,
                          Precision precision) {
        this(model, tokenizer, featureOptions, batchSize, precision, 0.0);
    }

    private SquadPredictor(Bert.QuestionAnswering model, HfTokenizer tokenizer, QaFeatureOptions featureOptions, int batchSize,
                           Precision precision, double nullThreshold) {
        if (batchSize < 1) {
            throw new GlossaException("batch size must be positive, got " + batchSize);
        }
        if (featureOptions.maxLength() > model.config.maxPositionEmbeddings()) {
            throw new GlossaException("windows of " + featureOptions.maxLength() + " tokens exceed the model's "
                    + model.config.maxPositionEmbeddings() + " positions");
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.featureOptions = featureOptions;
        this.batchSize = batchSize;
        this.precision = precision;
        this.nullThreshold = nullThreshold;
    }

    /**
     * A fine-tuned QA directory ({@code config.json}, {@code model.safetensors} with the head, {@code tokenizer.json}),
     * or a packed reader ({@link ReaderPackage}), whose null threshold becomes {@link #nullThreshold}.
     */
    public static SquadPredictor load(Path modelDir, QaFeatureOptions featureOptions, int batchSize, Precision precision) {
        if (!Files.isDirectory(modelDir)) {
            throw new GlossaException(modelDir + ": no such model directory");
        }
        if (Files.isRegularFile(modelDir.resolve(ReaderPackage.MANIFEST))) {
            ReaderPackage.Reader reader = ReaderPackage.load(modelDir);
            return new SquadPredictor(reader.model(), HfTokenizer.load(reader.tokenizerFile()), featureOptions, batchSize,
                    precision, reader.nullThreshold());
        }
        Path tokenizerFile = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new GlossaException(modelDir + ": no tokenizer.json (a question-answering model directory needs one)");
        }
        Engine.init();
        Bert.QuestionAnswering model = Bert.QuestionAnswering.load(modelDir);
        if (!model.newlyInitialised().isEmpty()) {
            throw new GlossaException(modelDir + ": not a question-answering model (no qa_outputs weights): fine-tune it first"
                    + " with 'glossa squad train'");
        }
        model.train(false);
        return new SquadPredictor(model, HfTokenizer.load(tokenizerFile), featureOptions, batchSize, precision);
    }

    public static SquadPredictor load(Path modelDir, Precision precision) {
        return load(modelDir, QaFeatureOptions.defaults(), DEFAULT_BATCH_SIZE, precision);
    }

    /** The null threshold the model was tuned for (a packed reader's), else 0: see {@link QaPostprocess.Options}. */
    public double nullThreshold() {
        return nullThreshold;
    }

    public HfTokenizer tokenizer() {
        return tokenizer;
    }

    public QaFeatureOptions featureOptions() {
        return featureOptions;
    }

    /** The start and end logits of each feature, fp32, cut to the feature's length. */
    public record FeatureLogits(float[][] start, float[][] end) {}

    /** Runs the model over {@code features} in batches of similar length; {@code progress} advances per feature. */
    public FeatureLogits logits(List<QaFeature> features, Progress progress) {
        float[][] start = new float[features.size()][];
        float[][] end = new float[features.size()][];
        // Longest first: similar lengths share a batch, and a memory problem shows at once.
        List<Integer> order = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> features.get(i).length()).reversed());
        for (int from = 0; from < order.size(); from += batchSize) {
            List<Integer> rows = order.subList(from, Math.min(order.size(), from + batchSize));
            List<QaFeature> batch = new ArrayList<>(rows.size());
            rows.forEach(i -> batch.add(features.get(i)));
            float[][][] both = batchLogits(batch);
            for (int r = 0; r < rows.size(); r++) {
                start[rows.get(r)] = both[0][r];
                end[rows.get(r)] = both[1][r];
            }
            progress.advance(rows.size());
        }
        return new FeatureLogits(start, end);
    }

    /** [start|end][row][token] for one batch, each row cut to its feature's length. */
    private float[][][] batchLogits(List<QaFeature> batch) {
        int rows = batch.size();
        int longest = batch.stream().mapToInt(QaFeature::length).max().orElseThrow();
        int width = (longest + QaTrainingBatches.PAD_TO_MULTIPLE_OF - 1) / QaTrainingBatches.PAD_TO_MULTIPLE_OF
                * QaTrainingBatches.PAD_TO_MULTIPLE_OF;
        long[] ids = new long[rows * width];
        long[] types = new long[rows * width];
        long[] mask = new long[rows * width];
        java.util.Arrays.fill(ids, tokenizer.padId());
        for (int b = 0; b < rows; b++) {
            QaFeature feature = batch.get(b);
            System.arraycopy(feature.inputIds(), 0, ids, b * width, feature.length());
            System.arraycopy(feature.tokenTypeIds(), 0, types, b * width, feature.length());
            java.util.Arrays.fill(mask, b * width, b * width + feature.length(), 1L);
        }
        try (NativeScope scope = new NativeScope()) {
            Supplier<Bert.QuestionAnswering.Logits> forward = () -> model.forward(Tensors.fromLongs(ids, rows, width),
                    Tensors.fromLongs(types, rows, width), Tensors.fromLongs(mask, rows, width));
            // No gradients, but not inference mode either: this also runs inside training, between steps.
            Bert.QuestionAnswering.Logits logits = Tensors.noGrad(() -> precision == Precision.BF16 ? Autocast.bf16(forward)
                    : forward.get());
            float[] start = Tensors.toFloats(logits.start()); // (B·T)
            float[] end = Tensors.toFloats(logits.end());
            float[][][] out = new float[2][rows][];
            for (int b = 0; b < rows; b++) {
                int n = batch.get(b).length();
                out[0][b] = java.util.Arrays.copyOfRange(start, b * width, b * width + n);
                out[1][b] = java.util.Arrays.copyOfRange(end, b * width, b * width + n);
            }
            return out;
        }
    }

    /**
     * The predictions for a data set.
     *
     * @param result predictions, n-best lists and null odds
     * @param scores the official SQuAD 2.0 scores, or null when the examples have no gold answers
     * @param features windows the examples made
     * @param seconds wall time of features, model and post-processing
     */
    public record Prediction(QaPostprocess.Result result, SquadEvaluation.Scores scores, int features, double seconds) {}

    /**
     * Predicts every example; when at least one has a gold answer or is marked impossible, also scores the
     * predictions with the official metric (null odds as the no-answer probabilities, threshold 1.0, as
     * evaluate-v2.0.py with {@code --na-prob-file null_odds.json}).
     */
    public Prediction predict(List<SquadExample> examples, QaPostprocess.Options options, boolean showProgress) {
        long start = System.nanoTime();
        List<QaFeature> features;
        try (Progress progress = showProgress ? Progress.start("features", examples.size(), "questions") : Progress.quiet()) {
            features = QaFeatures.build(tokenizer, examples, featureOptions, false, progress);
        }
        FeatureLogits logits;
        try (Progress progress = showProgress ? Progress.start("predicting", features.size(), "features") : Progress.quiet()) {
            logits = logits(features, progress);
        }
        QaPostprocess.Result result = QaPostprocess.run(examples, features, logits.start(), logits.end(), options);
        SquadEvaluation.Scores scores = null;
        if (examples.stream().anyMatch(e -> e.hasAnswer() || e.isImpossible())) {
            scores = scores(examples, result);
        }
        return new Prediction(result, scores, features.size(), (System.nanoTime() - start) / 1e9);
    }

    /** The official scores of {@code result} on {@code examples} (null odds as no-answer probabilities, threshold 1.0). */
    public static SquadEvaluation.Scores scores(List<SquadExample> examples, QaPostprocess.Result result) {
        return SquadEvaluation.evaluate(examples, result.predictions(), result.nullOdds(), 1.0);
    }

    /** Writes predictions.json, nbest_predictions.json, null_odds.json and, with scores, scores.json into {@code dir}. */
    public static void write(Prediction prediction, Path dir) {
        prediction.result().write(dir);
        if (prediction.scores() != null) {
            String json = prediction.scores().toJson() + "\n";
            AtomicFiles.write(dir.resolve(SCORES_FILE), temporary -> Files.writeString(temporary, json, StandardCharsets.UTF_8));
        }
    }

    /**
     * The answer to one question.
     *
     * @param text the answer, or "" when the model says the context does not answer the question
     * @param score start + end logit of the best span (of the best non-empty span when there is no answer)
     * @param probability that span's share of the softmax over the n-best candidates
     * @param charStart where the span starts in the context (UTF-16 offsets); -1 without an answer
     * @param charEnd one past its end; -1 without an answer
     * @param nullOdds the no-answer score minus the best span's score: above the threshold means no answer
     * @param bestSpan the best span's text, also when the model says there is no answer ("" when it found no span)
     */
    public record Answer(String text, double score, double probability, int charStart, int charEnd, double nullOdds,
                         String bestSpan) {
        public boolean hasAnswer() {
            return !text.isEmpty();
        }
    }

    /** Answers {@code question} from {@code context} (SQuAD 2.0 post-processing: it may say there is no answer). */
    public Answer answer(String question, String context, QaPostprocess.Options options) {
        if (question.isBlank()) {
            throw new GlossaException("the question is empty");
        }
        if (context.isBlank()) {
            throw new GlossaException("the context is empty");
        }
        String id = "question";
        List<SquadExample> examples = List.of(new SquadExample(id, "", context, question, List.of(), false));
        List<QaFeature> features = QaFeatures.build(tokenizer, examples, featureOptions, false);
        FeatureLogits logits = logits(features, Progress.quiet());
        QaPostprocess.Result result = QaPostprocess.run(examples, features, logits.start(), logits.end(), options);
        String text = result.predictions().get(id);
        double nullOdds = result.nullOdds().getOrDefault(id, Double.NaN);
        QaPostprocess.Candidate best = result.nbest().getOrDefault(id, List.of()).stream()
                .filter(c -> !c.isNull() && c.charStart() >= 0).findFirst().orElse(null); // neither null nor HF's "empty" placeholder
        if (best == null) {
            return new Answer("", Double.NaN, Double.NaN, -1, -1, nullOdds, "");
        }
        if (text.isEmpty()) {
            return new Answer("", best.score(), best.probability(), -1, -1, nullOdds, best.text());
        }
        return new Answer(text, best.score(), best.probability(), best.charStart(), best.charEnd(), nullOdds, best.text());
    }
}
