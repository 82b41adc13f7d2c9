package org.glossa.tasks.classify;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.models.bert.Bert.SequenceClassification;
import org.glossa.models.bert.Bert.SequenceClassification.Head;
import org.glossa.models.bert.Bert.SequenceClassification.Pooling;
import org.glossa.nn.Engine;
import org.glossa.nn.Weights;
import org.glossa.nn.train.AdamW;
import org.glossa.nn.train.Checkpoints;
import org.glossa.nn.train.LengthGroupedBatches;
import org.glossa.nn.train.Schedule;
import org.glossa.nn.train.TrainConfig;
import org.glossa.nn.train.TrainConfig.Precision;
import org.glossa.nn.train.TrainResult;
import org.glossa.nn.train.Trainer;
import org.glossa.tasks.RunOptions;
import org.glossa.tasks.classify.ClassificationData.Columns;
import org.glossa.tasks.classify.ClassificationData.Dataset;
import org.glossa.tasks.classify.ClassificationData.Format;
import org.glossa.tasks.classify.Featurizer.Features;
import org.glossa.tasks.classify.TextClassifier.Batch;
import org.glossa.text.HfTokenizer;
import org.glossa.text.Tokenizer;

/**
 * Fine-tunes a BERT encoder with a new classification head on labelled text, through the shared {@link Trainer}:
 * the recipe of the BERT paper and of the CoLA fine-tuning tutorial, with HF Trainer's learning rate and a pooling
 * that suits the encoder. AdamW (lr 5e-5, eps 1e-8, weight decay 0.01 except on biases and LayerNorm), linear warmup over the first 10 % of the steps then linear decay to 0,
 * batches of 32 texts of similar length ({@link LengthGroupedBatches}: each batch padded only to its own
 * longest text), 4 epochs, gradient clipping at 1.0, bf16 mixed precision, [CLS] pooling through the encoder's
 * pooler when it has a trained one, else mean pooling. After every epoch the development
 * set is scored (MCC, accuracy, per-label precision/recall/F1, confusion matrix, into {@code metrics.jsonl});
 * the checkpoint with the best MCC (micro F1 for multi-label data) is kept, and at the end the run directory
 * holds it as an HF model directory ({@code config.json} with the labels, {@code model.safetensors},
 * {@code tokenizer.json}) beside {@value #OPTIONS_FILE} and {@value #RESULTS_FILE}.
 *
 * <p>Weight decay 0.01 is the BERT paper's and the "no decay on bias and LayerNorm" setting, where HF's
 * run_glue defaults to 0; with lr 5e-5 over about a thousand steps it shrinks the weights by about 0.05 % at
 * most, so the two choices train nearly the same model.
 */
public final class ClassifyTraining {
    /** The run's settings, in the run directory. */
    public static final String OPTIONS_FILE = "classify.json";
    /** The final scores of the saved model on the development set, in fp32. */
    public static final String RESULTS_FILE = "eval_results.json";
    /** CoLA's in-domain sets under ../shared. */
    public static final String COLA_TRAIN = "data/cola/raw/in_domain_train.tsv";
    public static final String COLA_DEV = "data/cola/raw/in_domain_dev.tsv";

    /** The default pooling: [CLS] through a trained pooler when the encoder has one, else mean pooling. */
    public static final String AUTO_POOLING = "auto";

    private ClassifyTraining() {}

    /** Every setting of a run; see {@link #defaults} for the recipe. */
    public record Options(
            @JsonProperty("train") String train,
            @JsonProperty("dev") String dev,
            @JsonProperty("format") String format,
            @JsonProperty("text_column") String textColumn,
            @JsonProperty("pair_column") String pairColumn,
            @JsonProperty("label_column") String labelColumn,
            @JsonProperty("multi_label") boolean multiLabel,
            @JsonProperty("label_separator") String labelSeparator,
            @JsonProperty("model") String model,
            @JsonProperty("pooling") String pooling,
            @JsonProperty("classifier_dropout") Double classifierDropout,
            @JsonProperty("max_length") int maxLength,
            @JsonProperty("batch_size") int batchSize,
            @JsonProperty("epochs") double epochs,
            @JsonProperty("max_steps") long maxSteps,
            @JsonProperty("learning_rate") double learningRate,
            @JsonProperty("adam_epsilon") double adamEpsilon,
            @JsonProperty("weight_decay") double weightDecay,
            @JsonProperty("warmup_ratio") double warmupRatio,
            @JsonProperty("max_grad_norm") double maxGradNorm,
            @JsonProperty("precision") String precision,
            @JsonProperty("freeze_embeddings") boolean freezeEmbeddings,
            @JsonProperty("freeze_layers") int freezeLayers,
            @JsonProperty("freeze_encoder") boolean freezeEncoder,
            @JsonProperty("seed") long seed) {

        public Options {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(dev, "dev");
            Objects.requireNonNull(model, "model");
            train = RunOptions.absolute(train);
            dev = RunOptions.absolute(dev);
            model = RunOptions.absolute(model);
            if (format != null) {
                format = Format.parse(format).key();
            }
            textColumn = textColumn == null ? "text" : textColumn;
            labelColumn = labelColumn == null ? "label" : labelColumn;
            labelSeparator = labelSeparator == null ? "," : labelSeparator;
            pooling = pooling == null ? AUTO_POOLING : pooling.toLowerCase(Locale.ROOT);
            if (!pooling.equals(AUTO_POOLING)) {
                pooling = Pooling.parse(pooling, "pooling ").key();
            }
            precision = RunOptions.precision(precision, "bf16");
            if (classifierDropout != null && !(classifierDropout >= 0 && classifierDropout < 1)) {
                throw new GlossaException("classifier dropout must be in [0, 1), got " + classifierDropout);
            }
            if (maxLength < 0 || (maxLength > 0 && maxLength < 3)) {
                throw new GlossaException("max length must be at least 3 (0: the model's maximum), got " + maxLength);
            }
            RunOptions.checkPositive("batch size", batchSize);
            RunOptions.checkLength(epochs, maxSteps);
            RunOptions.checkLearningRate(learningRate);
            if (!(adamEpsilon >= 0) || !(weightDecay >= 0) || !(maxGradNorm >= 0) || freezeLayers < 0) {
                throw new GlossaException("adam epsilon, weight decay, max grad norm and frozen layers must be >= 0");
            }
            if (!(warmupRatio >= 0 && warmupRatio <= 1)) {
                throw new GlossaException("warmup ratio must be in [0, 1], got " + warmupRatio);
            }
        }

        /**
         * The recipe: batch 32, 4 epochs, AdamW lr 5e-5 (HF Trainer's default; on CoLA with all-MiniLM-L6-v2 it beat the
         * BERT tutorial's 2e-5, see docs/BENCHMARKS.md), eps 1e-8, weight decay 0.01, warmup 10 % then linear decay,
         * clipping at 1.0, bf16, {@value #AUTO_POOLING} pooling, inputs up to the model's maximum, seed 42, nothing frozen.
         */
        public static Options defaults(Path train, Path dev, Path model) {
            return new Options(train.toString(), dev.toString(), null, "text", null, "label", false, ",", model.toString(),
                    AUTO_POOLING, null, 0, 32, 4, 0, 5e-5, 1e-8, 0.01, 0.1, 1.0, "bf16", false, 0, false, 42);
        }

        /**
         * The pooling to train with: as given, or for {@value #AUTO_POOLING} [CLS] through the encoder's pooler when it
         * has a trained one (BERT's pretraining trains it with next-sentence prediction), else the mean of the tokens
         * (sentence-transformers encoders such as all-MiniLM-L6-v2 have no pooler and were trained for mean pooling).
         */
        public Pooling resolvedPooling() {
            if (!pooling.equals(AUTO_POOLING)) {
                return Pooling.parse(pooling, "pooling ");
            }
            return SequenceClassification.encoderHasPooler(Path.of(model)) ? Pooling.CLS : Pooling.MEAN;
        }

        /** A copy with the settings in {@code changes} (keys as in {@value #OPTIONS_FILE}) replaced. */
        public Options with(Map<String, Object> changes) {
            return RunOptions.with(this, changes);
        }

        public Options with(String key, Object value) {
            return RunOptions.with(this, key, value);
        }

        Columns columns() {
            return new Columns(textColumn, pairColumn, labelColumn, multiLabel, labelSeparator);
        }

        Format dataFormat() {
            return format == null ? null : Format.parse(format);
        }

        Precision trainPrecision() {
            return RunOptions.trainPrecision(precision);
        }
    }

    /**
     * How a run ended.
     *
     * @param runDir the run directory, which also holds the best model's files
     * @param training the trainer's account (steps, stop reason, checkpoints, best metric)
     * @param dev the saved model's scores on the development set in fp32; null when the run was interrupted
     */
    public record Result(Path runDir, TrainResult training, TextClassifier.Evaluation dev) {}

    /** {@code runs/classify-<timestamp>} under the working directory. */
    public static Path defaultRunDir() {
        return RunOptions.defaultRunDir("classify");
    }

    /**
     * {@code ../shared/<relative>} from the working directory or one of its parents (so it is found from the
     * repository root and from a module directory alike), or under the {@code glossa.shared} property.
     */
    public static Path sharedFile(String relative) {
        Path found = RunOptions.findShared(relative);
        if (found != null) {
            return found;
        }
        throw new GlossaException("no data given and CoLA is not at ../shared/" + relative + " (from "
                + Path.of("").toAbsolutePath() + " or its parents): pass --train FILE and --dev FILE");
    }

    /** Fine-tunes into {@code runDir}, which must not hold a run already; {@code log} receives a few lines of context. */
    public static Result train(Options options, Path runDir, boolean showProgress, Consumer<String> log) {
        if (RunOptions.holdsRun(runDir, OPTIONS_FILE)) {
            throw new GlossaException(runDir + " already holds a run: train into another directory");
        }
        Prepared prepared = prepare(options, log);
        HfConfig.write(runDir.resolve(OPTIONS_FILE), HfConfig.mapper().valueToTree(options));
        TrainResult result = prepared.trainer(runDir, showProgress).train();
        return finish(prepared, runDir, result, log);
    }

    // ------------------------------------------------------------------ the pieces of a run

    /** Everything a run is built from. */
    static final class Prepared {
        Options options;
        SequenceClassification model;
        Path tokenizerJson;
        Tokenizer tokenizer;
        LabelMap labels;
        List<Features> train;
        List<Features> dev;
        int devTruncated;
        Map<String, Tensor> trainable;
        LengthGroupedBatches<Features, Batch> batches;
        TextClassifier classifier;

        Trainer<Batch> trainer(Path runDir, boolean showProgress) {
            TrainConfig config = TrainConfig.builder(runDir)
                    .epochs(options.epochs())
                    .maxSteps(options.maxSteps())
                    .maxGradNorm(options.maxGradNorm())
                    .precision(options.trainPrecision())
                    .logEvery(10)
                    .evalEvery(batches.batchesPerEpoch()) // after every epoch, and at the end
                    .saveEvery(0)                         // the best and the last: enough to resume and to pick
                    .keepLast(1)
                    .monitor(monitor(options), false)
                    .seed(options.seed())
                    .showProgress(showProgress)
                    .build();
            AdamW optimizer = new AdamW(trainable, AdamW.Options.defaults().withEps(options.adamEpsilon())
                    .withWeightDecay(options.weightDecay()));
            long total = config.totalSteps(batches.batchesPerEpoch());
            long warmup = (long) Math.ceil(options.warmupRatio() * total);
            Schedule schedule = new Schedule.WarmupLinear(options.learningRate(), warmup, total);
            return new Trainer<>(model, batch -> model.loss(model.forward(batch.ids(), batch.typeIds(), batch.mask()),
                    batch.labels()), batches, optimizer, schedule, config)
                    .evaluator(() -> {
                        TextClassifier.Evaluation evaluation = classifier.evaluate(dev, devTruncated);
                        Map<String, Double> metrics = new LinkedHashMap<>();
                        metrics.put("val_loss", evaluation.loss());
                        metrics.putAll(evaluation.metrics().toMap("val_"));
                        return metrics;
                    })
                    .configWriter(dir -> {
                        model.writeConfig(dir);
                        Files.copy(tokenizerJson, dir.resolve("tokenizer.json"));
                    });
        }
    }

    /** The metric that picks the best checkpoint: MCC, or micro F1 for multi-label data. */
    static String monitor(Options options) {
        return options.multiLabel() ? "val_micro_f1" : "val_mcc";
    }

    static Prepared prepare(Options options, Consumer<String> log) {
        Engine.init();
        Prepared prepared = new Prepared();
        prepared.options = options;
        Dataset train = ClassificationData.read(Path.of(options.train()), options.dataFormat(), options.columns());
        Dataset dev = ClassificationData.read(Path.of(options.dev()), options.dataFormat(), options.columns());
        prepared.labels = train.labelOrder() != null ? new LabelMap(train.labelOrder())
                : LabelMap.fromExamples(train.examples(), options.train());

        Path modelDir = Path.of(options.model());
        prepared.tokenizerJson = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(prepared.tokenizerJson)) {
            throw new GlossaException(modelDir + ": no tokenizer.json (the model directory needs its tokenizer)");
        }
        prepared.tokenizer = HfTokenizer.load(prepared.tokenizerJson);
        Head head = new Head(prepared.labels.names(), options.multiLabel(), options.resolvedPooling(),
                options.classifierDropout());
        torch.manual_seed(options.seed());
        prepared.model = SequenceClassification.fromPretrained(modelDir, head, options.seed());
        int maxLength = TextClassifier.maxLength(prepared.model, prepared.tokenizer, options.maxLength());
        prepared.classifier = new TextClassifier(prepared.model, prepared.tokenizer, maxLength,
                TextClassifier.DEFAULT_BATCH_SIZE, Precision.FP32); // the trainer's precision applies around it

        Featurizer.Encoded trainEncoded = prepared.classifier.featurizer().encodeAll(train.examples(), prepared.labels);
        Featurizer.Encoded devEncoded = prepared.classifier.featurizer().encodeAll(dev.examples(), prepared.labels);
        prepared.train = trainEncoded.features();
        prepared.dev = devEncoded.features();
        prepared.devTruncated = devEncoded.truncated();
        prepared.trainable = trainable(prepared.model, options);

        long padId = prepared.tokenizer.padId();
        int numLabels = prepared.labels.size();
        boolean multiLabel = options.multiLabel();
        prepared.batches = new LengthGroupedBatches<>(prepared.train, Features::length, options.batchSize(),
                LengthGroupedBatches.DEFAULT_MEGA_BATCH_FACTOR,
                picked -> TextClassifier.collate(picked, padId, numLabels, multiLabel), Batch::tokens, options.seed());

        long parameters = prepared.model.parameterCount();
        long trained = prepared.trainable.values().stream().mapToLong(Tensor::numel).sum();
        log.accept(String.format(Locale.ROOT, "train: %,d examples from %s; dev: %,d from %s; labels: %s%s",
                prepared.train.size(), options.train(), prepared.dev.size(), options.dev(), prepared.labels,
                multiLabel ? " (multi-label)" : ""));
        log.accept(String.format(Locale.ROOT, "max length %d tokens: %d training and %d dev examples truncated",
                maxLength, trainEncoded.truncated(), devEncoded.truncated()));
        log.accept(String.format(Locale.ROOT, "model: %s (%s), %,d parameters, %,d trained%s; new: %s",
                options.model(), TextClassifier.describe(prepared.model), parameters, trained, frozenDescription(options),
                String.join(", ", prepared.model.newlyInitialised())));
        log.accept(String.format(Locale.ROOT, "%d batches of up to %d per epoch, %s epochs; AdamW lr %s, weight decay %s,"
                        + " warmup ratio %s, clip %s, %s, seed %d", prepared.batches.batchesPerEpoch(), options.batchSize(),
                options.maxSteps() > 0 ? options.maxSteps() + " steps instead of" : String.valueOf(options.epochs()),
                options.learningRate(), options.weightDecay(), options.warmupRatio(), options.maxGradNorm(),
                options.precision(), options.seed()));
        return prepared;
    }

    private static String frozenDescription(Options options) {
        if (options.freezeEncoder()) {
            return " (encoder frozen: only the pooler and classifier train)";
        }
        StringBuilder out = new StringBuilder();
        if (options.freezeEmbeddings()) {
            out.append("embeddings");
        }
        if (options.freezeLayers() > 0) {
            out.append(out.length() > 0 ? " and " : "").append("the bottom ").append(options.freezeLayers()).append(" layers");
        }
        return out.length() == 0 ? "" : " (" + out + " frozen)";
    }

    private static final Pattern LAYER = Pattern.compile("bert\\.encoder\\.layer\\.(\\d+)\\..*");

    /**
     * The parameters the optimizer trains, by name: all but the frozen ones. Frozen parameters get no
     * gradient at all (requires_grad off), so back-propagation stops where they begin.
     */
    static Map<String, Tensor> trainable(SequenceClassification model, Options options) {
        int layers = model.config.numHiddenLayers();
        if (options.freezeLayers() > layers) {
            throw new GlossaException("cannot freeze the bottom " + options.freezeLayers() + " layers: the model has " + layers);
        }
        model.requiresGrad(false);
        Map<String, Tensor> trainable = new LinkedHashMap<>();
        model.namedParameters().forEach((name, tensor) -> {
            if (!frozen(name, options)) {
                trainable.put(name, tensor);
            }
        });
        return trainable;
    }

    /** Whether the freezing options freeze the parameter called {@code name} (HF's names). */
    static boolean frozen(String name, Options options) {
        boolean embeddings = name.startsWith("bert.embeddings.");
        boolean encoder = name.startsWith("bert.encoder.");
        if (options.freezeEncoder()) {
            return embeddings || encoder;
        }
        if (options.freezeEmbeddings() && embeddings) {
            return true;
        }
        Matcher layer = LAYER.matcher(name);
        return layer.matches() && Integer.parseInt(layer.group(1)) < options.freezeLayers();
    }

    /** Puts the best weights in the run directory as the run's model and scores them on the development set in fp32. */
    private static Result finish(Prepared prepared, Path runDir, TrainResult result, Consumer<String> log) {
        Path best = result.bestCheckpoint() != null ? result.bestCheckpoint() : result.lastCheckpoint();
        if (best != null) {
            Weights.load(prepared.model, best.resolve(Checkpoints.MODEL_FILE), "", Set.of());
        }
        prepared.model.save(runDir, prepared.tokenizerJson);
        if (result.reason() == TrainResult.StopReason.INTERRUPTED) {
            log.accept("interrupted after step " + result.steps() + "; the best model so far is saved in " + runDir);
            return new Result(runDir, result, null);
        }
        TextClassifier.Evaluation dev = prepared.classifier.evaluate(prepared.dev, prepared.devTruncated);
        ObjectNode results = HfConfig.mapper().createObjectNode();
        results.put("checkpoint", best == null ? null : best.getFileName().toString());
        results.put("eval_loss", dev.loss());
        dev.metrics().toMap("eval_").forEach(results::put);
        results.put("train_wall_seconds", result.wallSeconds());
        HfConfig.write(runDir.resolve(RESULTS_FILE), results);
        log.accept(String.format(Locale.ROOT, "%s after %d steps (%.2f epochs, %.0f s); model from %s saved in %s",
                result.reason().name().toLowerCase(Locale.ROOT).replace('_', ' '), result.steps(), result.epoch(),
                result.wallSeconds(), best == null ? "the last step" : best.getFileName(), runDir));
        log.accept("dev (fp32): loss " + String.format(Locale.ROOT, "%.4f", dev.loss()) + "; " + dev.metrics().report());
        return new Result(runDir, result, dev);
    }
}
