package org.glossa.tasks.charlm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.models.charrnn.CharRnn;
import org.glossa.models.charrnn.CharRnnConfig;
import org.glossa.nn.Engine;
import org.glossa.nn.Weights;
import org.glossa.nn.train.AdamW;
import org.glossa.nn.train.Checkpoints;
import org.glossa.nn.train.Schedule;
import org.glossa.nn.train.TrainConfig;
import org.glossa.nn.train.TrainConfig.Precision;
import org.glossa.nn.train.TrainResult;
import org.glossa.nn.train.Trainer;
import org.glossa.tasks.RunOptions;

/**
 * Trains a {@link CharLanguageModel} on a text file with the shared {@link Trainer}: vocabulary from the
 * corpus, 90/10 split, stateful windows ({@link StatefulBatches}), AdamW with warmup and cosine decay,
 * validation loss in nats per token (per character at character level) and perplexity, the best
 * checkpoint by validation loss. The run directory ends up holding the best model ({@code config.json},
 * {@code model.safetensors}, {@code vocab.json}) beside the trainer's checkpoints, {@code metrics.jsonl},
 * {@code loss.png} and {@value #OPTIONS_FILE} (what {@link #resume} needs).
 */
public final class TextgenTraining {
    /** The run's settings and corpus fingerprint, in the run directory. */
    public static final String OPTIONS_FILE = "textgen.json";

    private TextgenTraining() {}

    /**
     * Every setting of a run. The defaults are the TensorFlow tutorial's model (embedding 256, one GRU of
     * 1024 units) and batching (64 streams of 100 characters) on Tiny Shakespeare.
     */
    public record Options(
            @JsonProperty("corpus") String corpus,
            @JsonProperty("level") String level,
            @JsonProperty("max_vocab") int maxVocab,
            @JsonProperty("cell_type") String cellType,
            @JsonProperty("embedding_size") int embeddingSize,
            @JsonProperty("hidden_size") int hiddenSize,
            @JsonProperty("num_layers") int numLayers,
            @JsonProperty("dropout") double dropout,
            @JsonProperty("seq_length") int seqLength,
            @JsonProperty("batch_size") int batchSize,
            @JsonProperty("epochs") double epochs,
            @JsonProperty("max_steps") long maxSteps,
            @JsonProperty("learning_rate") double learningRate,
            @JsonProperty("warmup_steps") long warmupSteps,
            @JsonProperty("weight_decay") double weightDecay,
            @JsonProperty("max_grad_norm") double maxGradNorm,
            @JsonProperty("precision") String precision,
            @JsonProperty("eval_every") long evalEvery,
            @JsonProperty("save_every") long saveEvery,
            @JsonProperty("patience") int patience,
            @JsonProperty("seed") long seed) {

        /** Settings a resumed run may change: they do not alter the model, the data or the optimizer's state. */
        public static final Set<String> CHANGEABLE_ON_RESUME = Set.of("corpus", "epochs", "max_steps", "eval_every",
                "save_every", "patience");

        public Options {
            Objects.requireNonNull(corpus, "corpus");
            corpus = Path.of(corpus).toAbsolutePath().normalize().toString();
            level = Vocabulary.Level.parse(level == null ? "char" : level, "level").key();
            cellType = cellType == null ? "gru" : cellType.toLowerCase(Locale.ROOT);
            if (!CharRnnConfig.CELL_TYPES.contains(cellType)) {
                throw new GlossaException("cell type '" + cellType + "' is not one of " + CharRnnConfig.CELL_TYPES);
            }
            precision = RunOptions.precision(precision, "fp32");
            RunOptions.checkPositive("embedding size", embeddingSize);
            RunOptions.checkPositive("hidden size", hiddenSize);
            RunOptions.checkPositive("number of layers", numLayers);
            RunOptions.checkPositive("sequence length", seqLength);
            RunOptions.checkPositive("batch size", batchSize);
            if (maxVocab < 0) {
                throw new GlossaException("max vocabulary size must be >= 0 (0: no limit), got " + maxVocab);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new GlossaException("dropout must be in [0, 1), got " + dropout);
            }
            RunOptions.checkLength(epochs, maxSteps);
            RunOptions.checkLearningRate(learningRate);
            if (warmupSteps < 0 || weightDecay < 0 || !(maxGradNorm >= 0) || evalEvery < 0 || saveEvery < 0 || patience < 0) {
                throw new GlossaException("warmup steps, weight decay, max grad norm, eval/save intervals and patience must be >= 0");
            }
        }

        /** The defaults, training on {@code corpus}. */
        public static Options defaults(Path corpus) {
            return new Options(corpus.toString(), "char", 10_000, "gru", 256, 1024, 1, 0.0, 100, 64, 10, 0, 2e-3, 100, 0.0, 5.0,
                    "fp32", 100, 100, 5, 42);
        }

        /** A copy with the settings in {@code changes} (keys as in {@value #OPTIONS_FILE}) replaced. */
        public Options with(Map<String, Object> changes) {
            return RunOptions.with(this, changes);
        }

        public Options with(String key, Object value) {
            return RunOptions.with(this, key, value);
        }

        /** The settings that differ from {@code original} and may not change when resuming it, as "key: old → new". */
        public List<String> incompatibleWith(Options original) {
            return RunOptions.incompatible(this, original, CHANGEABLE_ON_RESUME);
        }

        /** The corpus file. */
        public Path corpusPath() {
            return Path.of(corpus);
        }

        Vocabulary.Level tokenLevel() {
            return Vocabulary.Level.parse(level, "level");
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
     * @param validation the saved model's loss on the validation part, in fp32; null when the run was interrupted
     */
    public record Result(Path runDir, TrainResult training, CharLanguageModel.Evaluation validation) {}

    /** {@code runs/textgen-<timestamp>} under the working directory. */
    public static Path defaultRunDir() {
        return RunOptions.defaultRunDir("textgen");
    }

    /** Trains a new model into {@code runDir}, which must not hold a run already. {@code log} receives a few lines of context. */
    public static Result train(Options options, Path runDir, boolean showProgress, Consumer<String> log) {
        if (RunOptions.holdsRun(runDir, OPTIONS_FILE)) {
            throw new GlossaException(runDir + " already holds a run: resume it with --resume " + runDir
                    + ", or train into another directory");
        }
        Prepared prepared = prepare(options, log);
        writeOptions(runDir, options, prepared.text);
        Trainer<StatefulBatches.Batch> trainer = prepared.trainer(runDir, showProgress);
        return finish(prepared, runDir, trainer.train(), log);
    }

    /** The options a run was started with, from the {@value #OPTIONS_FILE} of its directory (or of a checkpoint's parent). */
    public static Options savedOptions(Path runOrCheckpoint) {
        return RunOptions.readSaved(runOrCheckpoint, OPTIONS_FILE, "textgen", Options.class);
    }

    /**
     * Continues the run of {@code runOrCheckpoint} (its newest checkpoint, or that checkpoint) exactly where
     * it stopped, writing on into the same run directory. {@code options} are the saved ones with the
     * changes asked for; only {@link Options#CHANGEABLE_ON_RESUME} may differ. The corpus must be the
     * one the run started on, and the checkpoint must fit the model the options describe.
     */
    public static Result resume(Path runOrCheckpoint, Options options, boolean showProgress, Consumer<String> log) {
        Path runDir = RunOptions.runDirOf(runOrCheckpoint);
        Path checkpoint = Checkpoints.resolve(runOrCheckpoint);
        Options saved = savedOptions(runDir);
        RunOptions.requireResumable(runDir, options.incompatibleWith(saved));
        JsonNode fingerprint = HfConfig.read(runDir.resolve(OPTIONS_FILE));
        Prepared prepared = prepare(options, log);
        long checksum = Corpus.checksum(prepared.text);
        if (fingerprint.path("corpus_crc32").asLong() != checksum
                || fingerprint.path("corpus_characters").asLong() != prepared.text.length()) {
            throw new GlossaException("cannot resume " + runDir + ": the corpus " + options.corpus()
                    + " is not the text the run started on (its size or checksum changed)");
        }
        Path vocabFile = checkpoint.resolve(Vocabulary.FILE_NAME);
        if (Files.isRegularFile(vocabFile) && !Vocabulary.load(checkpoint).equals(prepared.languageModel.vocabulary())) {
            throw new GlossaException("cannot resume from " + checkpoint + ": its vocabulary differs from the corpus's");
        }
        CharRnnConfig checkpointConfig = CharRnnConfig.read(checkpoint);
        if (!checkpointConfig.equals(prepared.languageModel.model().config)) {
            throw new GlossaException("cannot resume from " + checkpoint + ": its model (" + checkpointConfig
                    + ") is not the one the options describe (" + prepared.languageModel.model().config + ")");
        }
        writeOptions(runDir, options, prepared.text);
        Trainer<StatefulBatches.Batch> trainer = prepared.trainer(runDir, showProgress);
        return finish(prepared, runDir, trainer.resume(checkpoint), log);
    }

    // ------------------------------------------------------------------ the pieces of a run

    /** Everything a run is built from. */
    private static final class Prepared {
        Options options;
        String text;
        CharLanguageModel languageModel;
        Corpus.Split split;
        StatefulBatches batches;

        Trainer<StatefulBatches.Batch> trainer(Path runDir, boolean showProgress) {
            TrainConfig config = TrainConfig.builder(runDir)
                    .epochs(options.epochs())
                    .maxSteps(options.maxSteps())
                    .maxGradNorm(options.maxGradNorm())
                    .precision(options.trainPrecision())
                    .logEvery(10)
                    .evalEvery(options.evalEvery())
                    .saveEvery(options.saveEvery())
                    .keepLast(2)
                    .monitor("val_loss", true)
                    .earlyStopping(options.patience(), 0)
                    .seed(options.seed())
                    .showProgress(showProgress)
                    .build();
            CharRnn.Model model = languageModel.model();
            // No decay on biases (PyTorch's names end in bias, bias_ih_l0, bias_hh_l0).
            AdamW optimizer = new AdamW(model, AdamW.Options.defaults().withWeightDecay(options.weightDecay())
                    .withDecays(name -> !name.substring(name.lastIndexOf('.') + 1).startsWith("bias")));
            long total = config.totalSteps(batches.batchesPerEpoch());
            Schedule schedule = new Schedule.WarmupCosine(options.learningRate(), Math.min(options.warmupSteps(), total), total);
            int window = options.seqLength();
            int streams = options.batchSize();
            int[] validation = split.validation();
            return new Trainer<>(model, languageModel.trainStep(), batches, optimizer, schedule, config)
                    .evaluator(() -> languageModel.evaluate(validation, streams, window).metrics("val_"))
                    .configWriter(languageModel::writeConfig);
        }
    }

    private static Prepared prepare(Options options, Consumer<String> log) {
        Engine.init();
        Prepared prepared = new Prepared();
        prepared.options = options;
        prepared.text = Corpus.read(options.corpusPath());
        Vocabulary.Level level = options.tokenLevel();
        Vocabulary vocabulary = Vocabulary.build(prepared.text, level, options.maxVocab());
        int[] ids = vocabulary.encode(prepared.text, options.corpus().toString());
        if (ids.length < 10) {
            throw new GlossaException(options.corpus() + ": the corpus is too short (" + ids.length + " " + level.key()
                    + " tokens): a language model needs a text of thousands of characters");
        }
        prepared.split = Corpus.split(ids);
        try {
            prepared.batches = new StatefulBatches(prepared.split.train(), options.batchSize(), options.seqLength(), options.seed());
        } catch (GlossaException e) {
            throw new GlossaException(options.corpus() + ": " + e.getMessage(), e);
        }
        CharRnnConfig config = new CharRnnConfig(vocabulary.size(), options.embeddingSize(), options.hiddenSize(),
                options.numLayers(), options.cellType(), options.dropout());
        torch.manual_seed(options.seed()); // the initial weights depend on the seed alone
        prepared.languageModel = new CharLanguageModel(new CharRnn.Model(config), vocabulary);
        log.accept(String.format(Locale.ROOT, "corpus %s: %,d characters, %s vocabulary of %d; %,d tokens to train on, %,d to validate",
                options.corpus(), prepared.text.length(), level.key(), vocabulary.size(), prepared.split.train().length,
                prepared.split.validation().length));
        log.accept(String.format(Locale.ROOT, "model: %s, %d layer%s of %d units, embedding %d, %,d parameters; %d streams of %d tokens,"
                        + " %d batches per epoch; %s", config.cellType(), config.numLayers(), config.numLayers() > 1 ? "s" : "",
                config.hiddenSize(), config.embeddingSize(), prepared.languageModel.model().parameterCount(),
                options.batchSize(), options.seqLength(), prepared.batches.batchesPerEpoch(), options.precision()));
        return prepared;
    }

    private static void writeOptions(Path runDir, Options options, String text) {
        ObjectNode json = HfConfig.mapper().createObjectNode();
        json.set("options", HfConfig.mapper().valueToTree(options));
        json.put("corpus_characters", text.length());
        json.put("corpus_crc32", Corpus.checksum(text));
        HfConfig.write(runDir.resolve(OPTIONS_FILE), json);
    }

    /** Puts the best weights in the run directory as the run's model and measures them in fp32. */
    private static Result finish(Prepared prepared, Path runDir, TrainResult result, Consumer<String> log) {
        CharLanguageModel languageModel = prepared.languageModel;
        Path best = result.bestCheckpoint() != null ? result.bestCheckpoint() : result.lastCheckpoint();
        if (best != null) {
            Weights.load(languageModel.model(), best.resolve(Checkpoints.MODEL_FILE), "", Set.of());
        }
        languageModel.save(runDir);
        if (result.reason() == TrainResult.StopReason.INTERRUPTED) {
            // Whoever pressed Ctrl-C wants the prompt back: no extra pass over the validation text.
            log.accept("interrupted after step " + result.steps() + "; the best model so far is saved in " + runDir
                    + "; continue with: glossa textgen train --resume " + runDir);
            return new Result(runDir, result, null);
        }
        CharLanguageModel.Evaluation validation = languageModel.evaluate(prepared.split.validation(),
                prepared.options.batchSize(), prepared.options.seqLength());
        log.accept(String.format(Locale.ROOT, "%s after %d steps (%.2f epochs, %.0f s); model from %s saved in %s",
                result.reason().name().toLowerCase(Locale.ROOT).replace('_', ' '), result.steps(), result.epoch(),
                result.wallSeconds(), best == null ? "the last step" : best.getFileName(), runDir));
        log.accept("validation: " + validation);
        return new Result(runDir, result, validation);
    }
}
