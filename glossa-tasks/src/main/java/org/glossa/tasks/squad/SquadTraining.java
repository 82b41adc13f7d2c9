package org.glossa.tasks.squad;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.bytedeco.pytorch.Tensor;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.core.Progress;
import org.glossa.models.bert.Bert;
import org.glossa.models.bert.BertConfig;
import org.glossa.models.bert.SentenceEmbedder;
import org.glossa.nn.Engine;
import org.glossa.nn.train.AdamW;
import org.glossa.nn.train.Checkpoints;
import org.glossa.nn.train.LengthGroupedBatches;
import org.glossa.nn.train.Schedule;
import org.glossa.nn.train.TrainConfig;
import org.glossa.nn.train.TrainConfig.Precision;
import org.glossa.nn.train.TrainResult;
import org.glossa.nn.train.Trainer;
import org.glossa.tasks.RunOptions;
import org.glossa.text.HfTokenizer;

/**
 * Fine-tunes a BERT encoder for extractive question answering on SQuAD with the shared {@link Trainer},
 * as HuggingFace's run_qa does: windows of 384 tokens with a stride of 128 ({@link QaFeatures}), the
 * {@link Bert.QuestionAnswering} loss, AdamW (β (0.9, 0.999), ε 1e-8, weight decay 0.01 except on biases
 * and LayerNorm), 10 % linear warmup then linear decay, gradient clipping at 1.0, bf16 mixed precision.
 *
 * <p>Data: SQuAD 1.1's training set with its 10 articles that SQuAD 2.0's excerpt covers replaced by their
 * 2.0 versions (348 real unanswerable questions), plus synthetic unanswerable questions
 * ({@link SquadTrainingData}). Batches group windows of similar length ({@link QaTrainingBatches}). The
 * trainer's throughput figure ({@code tokens_per_s} in metrics.jsonl, "tok/s" on the progress line)
 * counts <b>features</b> (windows) here, not tokens.
 *
 * <p>Evaluation: the first {@code eval_examples} questions of the dev file are predicted and
 * post-processed ({@link QaPostprocess}) and scored with the official SQuAD 2.0 metric, null odds as the
 * no-answer probabilities; {@code best_f1} (F1 at the best null threshold) picks the best checkpoint.
 *
 * <p>The run directory ends up holding the best model ({@code config.json}, {@code model.safetensors},
 * {@code tokenizer.json}: a {@code BertForQuestionAnswering} directory) beside the trainer's checkpoints (each
 * one a loadable model directory too), {@code metrics.jsonl}, {@code loss.png} and {@value #OPTIONS_FILE}.
 */
public final class SquadTraining {
    /** The run's settings and data counts, in the run directory. */
    public static final String OPTIONS_FILE = "squad.json";
    /** The encoder's vocabulary table, frozen by default (option freeze_word_embeddings). */
    public static final String WORD_EMBEDDINGS = "bert.embeddings.word_embeddings.weight";
    /** The files of a model directory, copied from the best checkpoint into the run directory at the end. */
    public static final List<String> MODEL_FILES = List.of("config.json", "model.safetensors", "tokenizer.json");

    public static final String DEFAULT_TRAIN = "data/squad1.1/train-v1.1.reconstructed.json";
    public static final String DEFAULT_TRAIN_V2 = "data/squad2/train-v2.0.first10articles.json";
    public static final String DEFAULT_DEV = "data/squad2/dev-v2.0.reconstructed.json";

    private SquadTraining() {}

    /**
     * Every setting of a run, keyed as in {@value #OPTIONS_FILE}.
     *
     * @param model the encoder (or QA model) to start from
     * @param trainV2File SQuAD 2.0 articles that replace their SQuAD 1.1 versions; "" for none
     * @param devFile the evaluation file; "" for no evaluation
     * @param negatives synthetic unanswerable questions per answerable one (0: none)
     * @param negativesAnswerRemoved share of them made from the question's own paragraph with its answer's
     *                               sentences removed (the others: another paragraph of the article); 0 in
     *                               runs from before this option, which resume as they were
     * @param negativesEditedQuestion share of them made by editing the question on its own paragraph
     *                                ({@link QuestionEdits}); 0 in runs from before this option
     * @param subset train on the first N questions after a seeded shuffle (0: all)
     * @param evalEvery evaluate every N optimizer steps; 0: at the end of each epoch
     * @param evalExamples evaluate on the first N questions of the dev file (0: all)
     */
    public record Options(
            @JsonProperty("model") String model,
            @JsonProperty("train_file") String trainFile,
            @JsonProperty("train_v2_file") String trainV2File,
            @JsonProperty("dev_file") String devFile,
            @JsonProperty("negatives") double negatives,
            @JsonProperty("negatives_answer_removed") double negativesAnswerRemoved,
            @JsonProperty("negatives_edited_question") double negativesEditedQuestion,
            @JsonProperty("subset") int subset,
            @JsonProperty("max_length") int maxLength,
            @JsonProperty("stride") int stride,
            @JsonProperty("max_question_length") int maxQuestionLength,
            @JsonProperty("batch_size") int batchSize,
            @JsonProperty("accumulation") int accumulation,
            @JsonProperty("epochs") double epochs,
            @JsonProperty("max_steps") long maxSteps,
            @JsonProperty("learning_rate") double learningRate,
            @JsonProperty("warmup_ratio") double warmupRatio,
            @JsonProperty("weight_decay") double weightDecay,
            @JsonProperty("max_grad_norm") double maxGradNorm,
            @JsonProperty("precision") String precision,
            @JsonProperty("eval_every") long evalEvery,
            @JsonProperty("eval_examples") int evalExamples,
            @JsonProperty("save_every") long saveEvery,
            @JsonProperty("log_every") long logEvery,
            @JsonProperty("seed") long seed,
            @JsonProperty("freeze_word_embeddings") boolean freezeWordEmbeddings) {

        /** Settings a resumed run may change: they alter neither the model, the training data nor the optimizer's course. */
        public static final Set<String> CHANGEABLE_ON_RESUME = Set.of("model", "dev_file", "eval_every", "eval_examples",
                "save_every", "log_every");

        public Options {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(trainFile, "train_file");
            model = RunOptions.absolute(model);
            trainFile = RunOptions.absolute(trainFile);
            trainV2File = trainV2File == null || trainV2File.isEmpty() ? "" : RunOptions.absolute(trainV2File);
            devFile = devFile == null || devFile.isEmpty() ? "" : RunOptions.absolute(devFile);
            precision = RunOptions.precision(precision, "bf16");
            if (!(negatives >= 0) || Double.isInfinite(negatives)) {
                throw new GlossaException("negatives must be a number >= 0 (synthetic unanswerable questions per answerable"
                        + " one), got " + negatives);
            }
            SquadTrainingData.checkShares(negativesAnswerRemoved, negativesEditedQuestion);
            if (subset < 0 || evalExamples < 0) {
                throw new GlossaException("subset and eval examples must be >= 0 (0: all), got " + subset + " and " + evalExamples);
            }
            RunOptions.checkPositive("batch size", batchSize);
            RunOptions.checkPositive("accumulation", accumulation);
            RunOptions.checkPositive("log interval", logEvery);
            try {
                new QaFeatureOptions(maxLength, stride, maxQuestionLength);
            } catch (RuntimeException e) {
                throw new GlossaException(e.getMessage(), e);
            }
            RunOptions.checkLength(epochs, maxSteps);
            RunOptions.checkLearningRate(learningRate);
            if (!(warmupRatio >= 0 && warmupRatio <= 1)) {
                throw new GlossaException("warmup ratio must be between 0 and 1, got " + warmupRatio);
            }
            if (weightDecay < 0 || !(maxGradNorm >= 0) || evalEvery < 0 || saveEvery < 0) {
                throw new GlossaException("weight decay, max grad norm and the eval/save intervals must be >= 0");
            }
        }

        /**
         * run_qa's recipe on {@code model} and the given files: batch 32, lr 5e-5, 2 epochs; 0.5 synthetic
         * negatives per answerable question, half of them the question edited on its own paragraph, a quarter its
         * own paragraph with the answer removed, a quarter another paragraph (the best mix measured:
         * bench/squad-negatives.sh, docs/BENCHMARKS.md).
         */
        public static Options defaults(Path model, Path trainFile, Path trainV2File, Path devFile) {
            return new Options(model.toString(), trainFile.toString(), trainV2File == null ? "" : trainV2File.toString(),
                    devFile == null ? "" : devFile.toString(), 0.5, 0.25, 0.5, 0, 384, 128, 64, 32, 1, 2, 0, 5e-5, 0.1, 0.01, 1.0,
                    "bf16", 0, 2000, 500, 10, 42, true);
        }

        /** A copy with the settings in {@code changes} (keys as in {@value #OPTIONS_FILE}) replaced. */
        public Options with(Map<String, Object> changes) {
            return RunOptions.with(this, changes);
        }

        public Options with(String key, Object value) {
            return RunOptions.with(this, key, value);
        }

        /** The settings that differ from {@code original} and may not change when resuming it, as "key old → new". */
        public List<String> incompatibleWith(Options original) {
            return RunOptions.incompatible(this, original, CHANGEABLE_ON_RESUME);
        }

        public QaFeatureOptions featureOptions() {
            return new QaFeatureOptions(maxLength, stride, maxQuestionLength);
        }

        Precision trainPrecision() {
            return RunOptions.trainPrecision(precision);
        }
    }

    /**
     * How a run ended.
     *
     * @param runDir the run directory, which also holds the best model's files (unless no checkpoint was written)
     * @param training the trainer's account (steps, stop reason, checkpoints, best best_f1, last evaluation)
     * @param data what was trained on
     */
    public record Result(Path runDir, TrainResult training, DataSummary data) {}

    /**
     * The training data of a run, as counted when it was built.
     *
     * @param questions training questions in all (after --subset)
     * @param answerable of which answerable
     * @param unanswerable real unanswerable questions (SQuAD 2.0's)
     * @param synthetic synthetic unanswerable questions
     * @param windows training windows (features)
     */
    public record DataSummary(int questions, int answerable, int unanswerable, int synthetic, int windows) {}

    /** {@code runs/squad-<timestamp>} under the working directory. */
    public static Path defaultRunDir() {
        return RunOptions.defaultRunDir("squad");
    }

    /**
     * A file of the shared data directory ({@code relative} under it, e.g. {@value #DEFAULT_DEV}): under the
     * {@code glossa.shared} system property, else under {@code ../shared} of the working directory or one of
     * its parents. {@code option} names the command-line option that gives the file instead.
     */
    public static Path sharedFile(String relative, String option) {
        Path found = RunOptions.findShared(relative);
        if (found != null) {
            return found;
        }
        throw new GlossaException("no " + option + " given and ../shared/" + relative + " is not there (from "
                + Path.of("").toAbsolutePath() + " or its parents): pass " + option + " FILE");
    }

    /** Trains a new model into {@code runDir}, which must not hold a run already; {@code log} receives a few lines of context. */
    public static Result train(Options options, Path runDir, boolean showProgress, Consumer<String> log) {
        if (RunOptions.holdsRun(runDir, OPTIONS_FILE)) {
            throw new GlossaException(runDir + " already holds a run: resume it with --resume " + runDir
                    + ", or train into another directory");
        }
        Prepared prepared = prepare(options, null, showProgress, log);
        writeOptions(runDir, options, prepared.summary);
        Trainer<QaTrainingBatches.Batch> trainer = prepared.trainer(runDir, showProgress, log);
        return finish(prepared, runDir, trainer.train(), log);
    }

    /** The options a run was started with, from the {@value #OPTIONS_FILE} of its directory (or of a checkpoint's parent). */
    public static Options savedOptions(Path runOrCheckpoint) {
        return RunOptions.readSaved(runOrCheckpoint, OPTIONS_FILE, "squad training", Options.class);
    }

    /**
     * Continues the run of {@code runOrCheckpoint} (its newest checkpoint, or that checkpoint) where it
     * stopped, writing on into the same run directory; the model's config and tokenizer come from the
     * checkpoint. Only {@link Options#CHANGEABLE_ON_RESUME} may differ from the saved options, and the
     * training data must make the same windows as when the run started.
     */
    public static Result resume(Path runOrCheckpoint, Options options, boolean showProgress, Consumer<String> log) {
        Path runDir = RunOptions.runDirOf(runOrCheckpoint);
        Path checkpoint = Checkpoints.resolve(runOrCheckpoint);
        Options saved = savedOptions(runDir);
        RunOptions.requireResumable(runDir, options.incompatibleWith(saved));
        JsonNode savedCounts = HfConfig.read(runDir.resolve(OPTIONS_FILE)).path("data");
        Prepared prepared = prepare(options, checkpoint, showProgress, log);
        if (savedCounts.path("windows").asLong(-1) != prepared.summary.windows()
                || savedCounts.path("questions").asLong(-1) != prepared.summary.questions()) {
            throw new GlossaException("cannot resume " + runDir + ": the training files now make " + prepared.summary.questions()
                    + " questions and " + prepared.summary.windows() + " windows, the run started with "
                    + savedCounts.path("questions").asText("?") + " and " + savedCounts.path("windows").asText("?"));
        }
        writeOptions(runDir, options, prepared.summary);
        Trainer<QaTrainingBatches.Batch> trainer = prepared.trainer(runDir, showProgress, log);
        return finish(prepared, runDir, trainer.resume(checkpoint), log);
    }

    /** The training questions the options describe: merged files, synthetic negatives, subset; {@code log} gets the counts. */
    public static List<SquadExample> trainingExamples(Options options, Consumer<String> log) {
        List<SquadExample> examples = SquadDataset.read(Path.of(options.trainFile()));
        if (!options.trainV2File().isEmpty()) {
            SquadTrainingData.Merged merged = SquadTrainingData.merge(examples, SquadDataset.read(Path.of(options.trainV2File())));
            log.accept(String.format(Locale.ROOT, "%s: %d articles replaced by their SQuAD 2.0 version (%,d questions out, %,d in)%s",
                    Path.of(options.trainV2File()).getFileName(), merged.replacedArticles(), merged.removedQuestions(),
                    merged.insertedQuestions(), merged.addedArticles() > 0 ? ", " + merged.addedArticles() + " new articles" : ""));
            examples = merged.examples();
        }
        SquadTrainingData.Negatives negatives = SquadTrainingData.syntheticNegatives(examples, options.negatives(),
                options.negativesAnswerRemoved(), options.negativesEditedQuestion(), options.seed());
        if (options.negatives() > 0) {
            log.accept(String.format(Locale.ROOT, "synthetic unanswerable questions: %,d (%.2f per answerable question; %,d asked"
                    + " for, the rest had no paragraph without their answer in their article), %,d of them their own paragraph"
                    + " with the answer's sentences removed, %,d the question edited on its own paragraph, the others another"
                    + " paragraph; ids ending in %s<k>",
                    negatives.made(), options.negatives(), negatives.requested(), negatives.answerRemoved(),
                    negatives.editedQuestion(), SquadTrainingData.SYNTHETIC_SUFFIX));
        }
        List<SquadExample> all = new ArrayList<>(examples.size() + negatives.made());
        all.addAll(examples);
        all.addAll(negatives.examples());
        return SquadTrainingData.subset(all, options.subset(), options.seed());
    }

    // ------------------------------------------------------------------ the pieces of a run

    /** Everything a run is built from. */
    private static final class Prepared {
        Options options;
        Bert.QuestionAnswering model;
        Path tokenizerFile;
        byte[] tokenizerJson; // kept in memory: the checkpoint a resumed run read it from may be pruned meanwhile
        LengthGroupedBatches<QaTrainingBatches.Window, QaTrainingBatches.Batch> batches;
        DataSummary summary;
        List<SquadExample> devExamples;
        List<QaFeature> devFeatures;
        SquadPredictor evaluationPredictor;

        Trainer<QaTrainingBatches.Batch> trainer(Path runDir, boolean showProgress, Consumer<String> log) {
            long batchesPerEpoch = batches.batchesPerEpoch();
            long stepsPerEpoch = (batchesPerEpoch + options.accumulation() - 1) / options.accumulation();
            TrainConfig.Builder builder = TrainConfig.builder(runDir)
                    .epochs(options.epochs())
                    .maxSteps(options.maxSteps())
                    .accumulation(options.accumulation())
                    .maxGradNorm(options.maxGradNorm())
                    .precision(options.trainPrecision())
                    .logEvery(options.logEvery())
                    .evalEvery(options.evalEvery() > 0 ? options.evalEvery() : stepsPerEpoch)
                    .saveEvery(options.saveEvery())
                    .keepLast(2)
                    .seed(options.seed())
                    .showProgress(showProgress);
            if (devExamples != null) {
                builder.monitor("best_f1", false);
            }
            TrainConfig config = builder.build();
            long total = config.totalSteps(batchesPerEpoch);
            long warmup = Math.round(options.warmupRatio() * total);
            log.accept(String.format(Locale.ROOT, "%,d steps of %d×%d windows (%.2f epochs), %,d warmup; lr %.2g, %s;"
                            + " throughput counts features (windows): the progress line's tok/s are features/s",
                    total, options.batchSize(), options.accumulation(), (double) total * options.accumulation() / batchesPerEpoch,
                    warmup, options.learningRate(), options.precision()));
            // Frozen word embeddings (the default) keep the encoder's vocabulary table as it was, so that a shipped
            // reader can leave it out and take it from the base model; they also spare AdamW a third of the weights.
            model.requiresGrad(false);
            Map<String, Tensor> trainable = new LinkedHashMap<>(model.namedParameters());
            if (options.freezeWordEmbeddings()) {
                trainable.remove(WORD_EMBEDDINGS);
            }
            AdamW optimizer = new AdamW(trainable, AdamW.Options.defaults().withWeightDecay(options.weightDecay()));
            Schedule schedule = new Schedule.WarmupLinear(options.learningRate(), warmup, total);
            Trainer<QaTrainingBatches.Batch> trainer = new Trainer<>(model,
                    batch -> Bert.QuestionAnswering.loss(model.forward(batch.inputIds(), batch.tokenTypeIds(), batch.attentionMask()),
                            batch.startPositions(), batch.endPositions()),
                    batches, optimizer, schedule, config)
                    .configWriter(dir -> {
                        model.writeConfig(dir);
                        Files.write(dir.resolve("tokenizer.json"), tokenizerJson);
                    });
            if (devExamples != null) {
                trainer.evaluator(this::evaluate);
            }
            return trainer;
        }

        /** The official scores on the evaluation questions (the trainer runs this without gradients, in eval mode). */
        Map<String, Double> evaluate() {
            SquadPredictor.FeatureLogits logits = evaluationPredictor.logits(devFeatures, Progress.quiet());
            QaPostprocess.Result result = QaPostprocess.run(devExamples, devFeatures, logits.start(), logits.end(),
                    QaPostprocess.Options.defaults());
            Map<String, Number> scores = SquadPredictor.scores(devExamples, result).asMap();
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (String key : List.of("exact", "f1", "best_f1", "best_f1_thresh", "HasAns_f1", "NoAns_f1")) {
                if (scores.containsKey(key)) {
                    metrics.put(key, scores.get(key).doubleValue());
                }
            }
            return metrics;
        }
    }

    /**
     * Reads the data, builds the windows and the model: from {@code options.model()} for a new run, from
     * {@code checkpoint}'s config and tokenizer when resuming (the trainer then loads its weights).
     */
    private static Prepared prepare(Options options, Path checkpoint, boolean showProgress, Consumer<String> log) {
        Engine.init();
        Prepared prepared = new Prepared();
        prepared.options = options;
        Path modelSource = checkpoint != null ? checkpoint : Path.of(options.model());
        if (!Files.isDirectory(modelSource)) {
            throw new GlossaException(modelSource + ": no such model directory");
        }
        prepared.tokenizerFile = modelSource.resolve("tokenizer.json");
        if (!Files.isRegularFile(prepared.tokenizerFile)) {
            throw new GlossaException(modelSource + ": no tokenizer.json (the model directory must hold its tokenizer)");
        }
        HfTokenizer tokenizer = HfTokenizer.load(prepared.tokenizerFile);
        try {
            prepared.tokenizerJson = Files.readAllBytes(prepared.tokenizerFile);
        } catch (java.io.IOException e) {
            throw new GlossaException(prepared.tokenizerFile + ": cannot read: " + AtomicFiles.describe(e), e);
        }
        for (String file : List.of(options.trainFile(), options.trainV2File(), options.devFile())) {
            if (!file.isEmpty() && !Files.isRegularFile(Path.of(file))) {
                throw new GlossaException(file + ": no such file");
            }
        }
        if (checkpoint != null) {
            prepared.model = new Bert.QuestionAnswering(BertConfig.read(checkpoint));
        } else {
            prepared.model = Bert.QuestionAnswering.load(modelSource, options.seed());
        }
        Bert.QuestionAnswering model = prepared.model;
        if (options.maxLength() > model.config.maxPositionEmbeddings()) {
            throw new GlossaException("max length " + options.maxLength() + " exceeds the model's " + model.config.maxPositionEmbeddings()
                    + " positions");
        }
        log.accept(String.format(Locale.ROOT, "model %s: %d layer%s of width %d, %,d parameters%s", modelSource,
                model.config.numHiddenLayers(), model.config.numHiddenLayers() == 1 ? "" : "s", model.config.hiddenSize(),
                model.parameterCount(),
                model.newlyInitialised().isEmpty() ? "" : "; " + String.join(", ", model.newlyInitialised())
                        + " newly initialised (seed " + options.seed() + ")"));

        List<SquadExample> examples = trainingExamples(options, log);
        List<QaTrainingBatches.Window> windows;
        try (Progress progress = showProgress ? Progress.start("features", examples.size(), "questions") : Progress.quiet()) {
            windows = QaTrainingBatches.build(tokenizer, examples, options.featureOptions(), progress);
        }
        if (windows.isEmpty()) {
            throw new GlossaException(options.trainFile() + ": no training questions");
        }
        int synthetic = (int) examples.stream().filter(SquadTrainingData::isSynthetic).count();
        int unanswerable = (int) examples.stream().filter(e -> !e.hasAnswer()).count() - synthetic;
        prepared.summary = new DataSummary(examples.size(), examples.size() - unanswerable - synthetic, unanswerable, synthetic,
                windows.size());
        log.accept(String.format(Locale.ROOT, "training: %,d questions (%,d answerable, %,d unanswerable, %,d synthetic"
                        + " unanswerable) in %,d windows of ≤ %d tokens, stride %d", examples.size(), prepared.summary.answerable(),
                unanswerable, synthetic, windows.size(), options.maxLength(), options.stride()));
        prepared.batches = QaTrainingBatches.batches(windows, options.batchSize(), tokenizer.padId(), options.seed());

        if (!options.devFile().isEmpty()) {
            List<SquadExample> dev = SquadDataset.read(Path.of(options.devFile()));
            if (options.evalExamples() > 0 && options.evalExamples() < dev.size()) {
                dev = List.copyOf(dev.subList(0, options.evalExamples()));
            }
            prepared.devExamples = dev;
            prepared.devFeatures = QaFeatures.build(tokenizer, dev, options.featureOptions(), false);
            // fp32 here: in bf16 runs the trainer already evaluates under autocast.
            prepared.evaluationPredictor = new SquadPredictor(model, tokenizer, options.featureOptions(),
                    SquadPredictor.DEFAULT_BATCH_SIZE, SentenceEmbedder.Precision.FP32);
            long noAnswer = dev.stream().filter(e -> !e.hasAnswer()).count();
            log.accept(String.format(Locale.ROOT, "evaluation: the first %,d questions of %s (%,d unanswerable), %,d windows",
                    dev.size(), Path.of(options.devFile()).getFileName(), noAnswer, prepared.devFeatures.size()));
        }
        return prepared;
    }

    private static void writeOptions(Path runDir, Options options, DataSummary summary) {
        ObjectNode json = HfConfig.mapper().createObjectNode();
        json.set("options", HfConfig.mapper().valueToTree(options));
        json.set("data", HfConfig.mapper().valueToTree(summary));
        HfConfig.write(runDir.resolve(OPTIONS_FILE), json);
    }

    /** Puts the best checkpoint's model files in the run directory and says how it went. */
    private static Result finish(Prepared prepared, Path runDir, TrainResult result, Consumer<String> log) {
        Path best = result.bestCheckpoint() != null ? result.bestCheckpoint() : result.lastCheckpoint();
        if (best != null) {
            for (String file : MODEL_FILES) {
                Path source = best.resolve(file);
                AtomicFiles.write(runDir.resolve(file), temporary -> Files.copy(source, temporary));
            }
        }
        if (result.reason() == TrainResult.StopReason.INTERRUPTED) {
            log.accept("interrupted after step " + result.steps() + "; the best model so far is in " + runDir
                    + "; continue with: glossa squad train --resume " + runDir);
        } else {
            log.accept(String.format(Locale.ROOT, "%s after %d steps (%.2f epochs, %.0f s); model from %s saved in %s",
                    result.reason().name().toLowerCase(Locale.ROOT).replace('_', ' '), result.steps(), result.epoch(),
                    result.wallSeconds(), best == null ? "the last step" : best.getFileName(), runDir));
        }
        if (result.bestMetric() != null) {
            log.accept(String.format(Locale.ROOT, "best best_f1 %.3f (%s); last evaluation: %s", result.bestMetric(),
                    result.bestCheckpoint().getFileName(), describe(result.lastEval())));
        }
        return new Result(runDir, result, prepared.summary);
    }

    private static String describe(Map<String, Double> metrics) {
        StringBuilder text = new StringBuilder();
        metrics.forEach((key, value) -> text.append(text.length() > 0 ? ", " : "").append(key).append(' ')
                .append(String.format(Locale.ROOT, "%.3f", value)));
        return text.toString();
    }
}
