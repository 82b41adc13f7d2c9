package org.glossa.tasks.translate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.core.Progress;
import org.glossa.models.seq2seq.RnnAttention;
import org.glossa.models.seq2seq.RnnAttentionConfig;
import org.glossa.models.seq2seq.SpecialTokens;
import org.glossa.models.transformer.Transformer;
import org.glossa.models.transformer.TransformerConfig;
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
import org.glossa.nn.train.WeightDecay;
import org.glossa.tasks.RunOptions;
import org.glossa.tasks.translate.TranslationModel.Architecture;
import org.glossa.tasks.translate.TranslationModel.Batch;
import org.glossa.tasks.translate.TranslationModel.EncodedPair;
import org.glossa.text.HfTokenizer;
import org.glossa.text.train.BpeTrainer;
import org.glossa.text.train.SubwordTokenizer;
import org.glossa.text.train.WordPieceTrainer;

/**
 * Trains a translation model ({@link Architecture}: the RNN encoder–decoder with attention or the Transformer) with
 * the shared {@link Trainer}:
 *
 * <ol>
 *   <li>the pairs of a data set (Multi30k German → English by default, the tutorial's Spanish → English pairs with
 *       our fixed split, or files: one tab-separated file or two line-aligned ones per part);</li>
 *   <li>subword vocabularies (BPE or WordPiece, shared by both languages or one each) trained on the training
 *       pairs at the start of the run and written into the run directory ({@code source/}, {@code target/});</li>
 *   <li>teacher forcing on batches of sentences of similar length ({@link LengthGroupedBatches}), pairs longer than
 *       {@code max_length} tokens on either side left out (and counted); label-smoothed cross-entropy;</li>
 *   <li>AdamW (weight decay 0 is Adam) with the Transformer's inverse-square-root schedule ("noam") or linear
 *       warmup followed by linear or cosine decay; global-norm clipping; optional bf16 mixed precision;</li>
 *   <li>every {@code eval_every} steps: validation loss (plain cross-entropy per target token) and BLEU of greedy
 *       translations of the validation set (or its first {@code eval_sentences} pairs); the checkpoint with the best
 *       sacreBLEU is kept.</li>
 * </ol>
 *
 * The run directory ends up holding the best model as a model directory ({@code config.json} naming the
 * architecture, {@code model.safetensors}, {@code source/tokenizer.json}, {@code target/tokenizer.json}) beside
 * {@value #OPTIONS_FILE} (the settings, which {@link #resume} and {@code glossa translate eval} read), the trainer's
 * checkpoints (each a model directory too), {@code metrics.jsonl}, {@code loss.png} and {@value #RESULTS_FILE}.
 * Throughput (tokens/s) counts the real tokens of both sides, special tokens included, padding not.
 */
public final class TranslationTraining {
    /** The run's settings and training-data fingerprint; also copied into every checkpoint. */
    public static final String OPTIONS_FILE = "translate.json";
    /** The saved model's validation scores in fp32. */
    public static final String RESULTS_FILE = "eval_results.json";
    public static final List<String> DATASETS = List.of("multi30k", "spa-eng", "files");
    public static final List<String> MODEL_SIZES = List.of("tiny", "small", "base");
    public static final List<String> SCHEDULES = List.of("noam", "linear", "cosine", "constant");

    private TranslationTraining() {}

    /**
     * Every setting of a run (keys as in {@value #OPTIONS_FILE}); {@link #defaults} gives each architecture's recipe.
     *
     * @param dataset multi30k, spa-eng or files
     * @param data the Multi30k directory or the spa.txt file; null for the one in ../shared/data
     * @param trainFiles for dataset "files": one tab-separated file (source, target) or two line-aligned files
     * @param learningRate the peak learning rate; with "noam" the rate reached at the end of the warmup, from which
     *     the schedule's factor follows (factor = rate · √d_model · √warmup)
     * @param dropout replaces the preset's dropout (the Transformer's residual dropout); null keeps it
     * @param evalSentences validation pairs translated for BLEU at each evaluation; 0 for all
     */
    public record Options(
            @JsonProperty("arch") String arch,
            @JsonProperty("model_size") String modelSize,
            @JsonProperty("attention") String attention,
            @JsonProperty("dataset") String dataset,
            @JsonProperty("data") String data,
            @JsonProperty("train_files") List<String> trainFiles,
            @JsonProperty("valid_files") List<String> validFiles,
            @JsonProperty("test_files") List<String> testFiles,
            @JsonProperty("vocabulary") String vocabulary,
            @JsonProperty("shared_vocabulary") boolean sharedVocabulary,
            @JsonProperty("source_vocab_size") int sourceVocabSize,
            @JsonProperty("target_vocab_size") int targetVocabSize,
            @JsonProperty("min_frequency") int minFrequency,
            @JsonProperty("max_length") int maxLength,
            @JsonProperty("batch_size") int batchSize,
            @JsonProperty("epochs") double epochs,
            @JsonProperty("max_steps") long maxSteps,
            @JsonProperty("schedule") String schedule,
            @JsonProperty("learning_rate") double learningRate,
            @JsonProperty("warmup_steps") long warmupSteps,
            @JsonProperty("adam_beta2") double adamBeta2,
            @JsonProperty("adam_epsilon") double adamEpsilon,
            @JsonProperty("weight_decay") double weightDecay,
            @JsonProperty("label_smoothing") double labelSmoothing,
            @JsonProperty("dropout") Double dropout,
            @JsonProperty("max_grad_norm") double maxGradNorm,
            @JsonProperty("precision") String precision,
            @JsonProperty("eval_every") long evalEvery,
            @JsonProperty("save_every") long saveEvery,
            @JsonProperty("eval_sentences") int evalSentences,
            @JsonProperty("patience") int patience,
            @JsonProperty("seed") long seed) {

        /** Settings a resumed run may change: they alter neither the model, the data nor the optimizer's state. */
        public static final Set<String> CHANGEABLE_ON_RESUME = Set.of("epochs", "max_steps", "eval_every", "save_every",
                "eval_sentences", "patience", "data", "train_files", "valid_files", "test_files");

        public Options {
            Architecture architecture = Architecture.parse(arch == null ? "transformer" : arch);
            arch = architecture.key();
            modelSize = oneOf("model size", modelSize == null ? "small" : modelSize, MODEL_SIZES);
            if (modelSize.equals("base") && architecture != Architecture.TRANSFORMER) {
                throw new GlossaException("model size 'base' is the Transformer paper's; the RNN has tiny and small");
            }
            attention = oneOf("attention", attention == null ? "additive" : attention, RnnAttentionConfig.ATTENTIONS);
            trainFiles = absolute(trainFiles);
            validFiles = absolute(validFiles);
            testFiles = absolute(testFiles);
            dataset = oneOf("dataset", dataset == null ? (trainFiles.isEmpty() ? "multi30k" : "files") : dataset, DATASETS);
            data = data == null ? null : RunOptions.absolute(data);
            if (dataset.equals("files")) {
                checkFiles("training", trainFiles, true);
                checkFiles("validation", validFiles, true);
                checkFiles("test", testFiles, false);
            } else if (!trainFiles.isEmpty() || !validFiles.isEmpty() || !testFiles.isEmpty()) {
                throw new GlossaException("training/validation/test files go with dataset 'files', not '" + dataset + "'");
            }
            vocabulary = oneOf("vocabulary", vocabulary == null ? "bpe" : vocabulary, List.of("bpe", "wordpiece"));
            if (sharedVocabulary) {
                targetVocabSize = sourceVocabSize; // one vocabulary: one size
            }
            RunOptions.checkPositive("source vocabulary size", sourceVocabSize);
            RunOptions.checkPositive("target vocabulary size", targetVocabSize);
            RunOptions.checkPositive("minimum pair frequency", minFrequency);
            if (maxLength < 2) {
                throw new GlossaException("max length must be at least 2 tokens (a word and [EOS]), got " + maxLength);
            }
            RunOptions.checkPositive("batch size", batchSize);
            RunOptions.checkLength(epochs, maxSteps);
            schedule = oneOf("schedule", schedule == null ? "cosine" : schedule, SCHEDULES);
            if (schedule.equals("noam") && architecture != Architecture.TRANSFORMER) {
                throw new GlossaException("the noam schedule scales with the Transformer's d_model: use linear, cosine or constant"
                        + " for the RNN");
            }
            if (schedule.equals("noam") && warmupSteps < 1) {
                throw new GlossaException("the noam schedule needs at least 1 warmup step");
            }
            RunOptions.checkLearningRate(learningRate);
            if (!(adamBeta2 >= 0 && adamBeta2 < 1) || !(adamEpsilon >= 0)) {
                throw new GlossaException("adam beta2 must be in [0, 1) and epsilon >= 0, got " + adamBeta2 + " and " + adamEpsilon);
            }
            if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
                throw new GlossaException("label smoothing must be in [0, 1), got " + labelSmoothing);
            }
            if (dropout != null && !(dropout >= 0 && dropout < 1)) {
                throw new GlossaException("dropout must be in [0, 1), got " + dropout);
            }
            precision = oneOf("precision", precision == null ? "fp32" : precision, List.of("fp32", "bf16"));
            if (warmupSteps < 0 || !(weightDecay >= 0) || !(maxGradNorm >= 0) || evalEvery < 0 || saveEvery < 0
                    || evalSentences < 0 || patience < 0) {
                throw new GlossaException("warmup steps, weight decay, max grad norm, eval/save intervals, eval sentences and"
                        + " patience must be >= 0");
            }
        }

        /**
         * Each architecture's recipe on Multi30k German → English, sized to train in at most about 90 minutes on a
         * shared 2-core machine. bf16 is the default for both: measured there with 2 threads, the small Transformer
         * trains at 2,300–3,400 tokens/s in bf16 against 1,300–1,600 in fp32, the RNN at ~3,000 against ~1,900
         * (source and target tokens, depending on the machine's load; 900,000 tokens per epoch):
         *
         * <ul>
         *   <li>Transformer: the small preset (3 + 3 layers of 256, 8 heads, FFN 1024, dropout 0.1), one BPE
         *       vocabulary of 8,000 shared by both languages (source, target and output embeddings tied), batches of
         *       128 sentences, Adam (β₂ 0.98, ε 1e-9, the paper's) with the inverse-square-root schedule, label
         *       smoothing 0.1, clipping at 1, 12 epochs. The paper's 4,000 warmup steps would be more than the
         *       whole run (227 steps per epoch); 400 steps (under 2 epochs) let Adam's moment estimates settle, and
         *       the peak, 7e-4, is the rate the paper's base schedule reaches, so that the rate then decays as 1/√step
         *       to about 2.7e-4 at the end: on average the constant 5e-4 that trains this size well in published
         *       Multi30k tutorials;</li>
         *   <li>RNN: the small preset (bidirectional GRU 256 per direction, GRU decoder 512, additive attention,
         *       dropout 0.3), separate BPE vocabularies of 6,000, batches of 128, Adam lr 1e-3 (the tutorials') with
         *       100 warmup steps and cosine decay, no label smoothing, clipping at 1, 10 epochs (the tutorials').</li>
         * </ul>
         * Both validate every 250 steps (about an epoch) on the whole validation set.
         */
        public static Options defaults(Architecture architecture) {
            return switch (architecture) {
                case TRANSFORMER -> new Options("transformer", "small", null, "multi30k", null, List.of(), List.of(), List.of(),
                        "bpe", true, 8_000, 8_000, 2, 128, 128, 12, 0, "noam", 7e-4, 400, 0.98, 1e-9, 0.0, 0.1, null,
                        1.0, "bf16", 250, 250, 0, 0, 42);
                case RNN_ATTENTION -> new Options("rnn-attention", "small", "additive", "multi30k", null, List.of(), List.of(),
                        List.of(), "bpe", false, 6_000, 6_000, 2, 128, 128, 10, 0, "cosine", 1e-3, 100, 0.999, 1e-8, 0.0,
                        0.0, null, 1.0, "bf16", 250, 250, 0, 0, 42);
            };
        }

        /**
         * {@link #defaults(Architecture)} for a model size: the Transformer's "base" keeps the paper's schedule, 4,000
         * warmup steps and factor 1 (a peak of 1/√(512 · 4000) ≈ 7.0e-4).
         */
        public static Options defaults(Architecture architecture, String modelSize) {
            Options options = defaults(architecture).with("model_size", modelSize);
            if (options.modelSize().equals("base")) {
                return options.with(Map.of("warmup_steps", 4_000, "learning_rate", 1 / Math.sqrt(512.0 * 4_000)));
            }
            return options;
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

        @JsonIgnore
        public Architecture architecture() {
            return Architecture.parse(arch);
        }

        Precision trainPrecision() {
            return RunOptions.trainPrecision(precision);
        }

        private static String oneOf(String what, String value, List<String> allowed) {
            String lower = value.toLowerCase(Locale.ROOT);
            if (!allowed.contains(lower)) {
                throw new GlossaException(what + " '" + value + "' is not one of " + allowed);
            }
            return lower;
        }

        private static List<String> absolute(List<String> files) {
            return files == null ? List.of()
                    : files.stream().map(RunOptions::absolute).toList();
        }

        private static void checkFiles(String part, List<String> files, boolean required) {
            if (files.size() > 2 || (required && files.isEmpty())) {
                throw new GlossaException("give the " + part + " pairs as one tab-separated file or two line-aligned files"
                        + " (source, target), got " + files.size() + " files");
            }
        }
    }

    /**
     * How a run ended.
     *
     * @param runDir the run directory, which also holds the best model's files
     * @param training the trainer's account (steps, stop reason, checkpoints, best metric)
     * @param validationLoss the saved model's validation loss in fp32; null when the run was interrupted
     * @param validation the saved model's greedy BLEU on the whole validation set in fp32; null when interrupted
     */
    public record Result(Path runDir, TrainResult training, TranslationEvaluation.Loss validationLoss,
                         TranslationEvaluation.Scores validation) {}

    /** {@code runs/translate-<arch>-<timestamp>} under the working directory. */
    public static Path defaultRunDir(Architecture architecture) {
        return RunOptions.defaultRunDir("translate-" + architecture.key());
    }

    // ------------------------------------------------------------------ data

    /** The data set the options name: train, validation and test pairs (test empty for files without test files). */
    public static DataSplit readData(Options options) {
        return switch (options.dataset()) {
            case "multi30k" -> Multi30k.split(options.data() != null ? Path.of(options.data()) : Multi30k.defaultDirectory());
            case "spa-eng" -> SpaEng.split(SpaEng.read(options.data() != null ? Path.of(options.data()) : SpaEng.defaultFile()));
            default -> new DataSplit(readPairs(options.trainFiles()), readPairs(options.validFiles()),
                    options.testFiles().isEmpty() ? List.of() : readPairs(options.testFiles()));
        };
    }

    /** One tab-separated file (source in column 1, target in column 2) or two line-aligned files. */
    public static List<SentencePair> readPairs(List<String> files) {
        if (files.size() == 1) {
            return ParallelCorpus.readTabSeparated(Path.of(files.get(0)), 0, 1).pairs();
        }
        if (files.size() == 2) {
            return ParallelCorpus.readAligned(Path.of(files.get(0)), Path.of(files.get(1))).pairs();
        }
        throw new GlossaException("pairs come from one tab-separated file or two line-aligned files, got " + files.size()
                + " files");
    }

    /** CRC-32 of the pairs' text: tells whether a resumed run sees the data it started on. */
    static long checksum(List<SentencePair> pairs) {
        CRC32 crc = new CRC32();
        for (SentencePair pair : pairs) {
            crc.update((pair.source() + "\t" + pair.target() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return crc.getValue();
    }

    // ------------------------------------------------------------------ runs

    /** Trains a new model into {@code runDir}, which must not hold a run already. {@code log} receives a few lines of context. */
    public static Result train(Options options, Path runDir, boolean showProgress, Consumer<String> log) {
        if (RunOptions.holdsRun(runDir, OPTIONS_FILE)) {
            throw new GlossaException(runDir + " already holds a run: resume it with --resume " + runDir
                    + ", or train into another directory");
        }
        Engine.init();
        DataSplit split = readData(options);
        checkSplit(split, options);
        SubwordVocabularies vocabularies = trainVocabularies(split.train(), options, log);
        vocabularies.write(runDir);
        writeOptions(runDir, options, split.train());
        Prepared prepared = prepare(options, split, runDir, log);
        return finish(prepared, runDir, prepared.trainer(runDir, showProgress).train(), log);
    }

    /** The options a run was started with, from {@value #OPTIONS_FILE} of a run, a checkpoint or a model directory. */
    public static Options savedOptions(Path runOrCheckpoint) {
        Path file = runOrCheckpoint.resolve(OPTIONS_FILE);
        if (!Files.isRegularFile(file)) {
            file = RunOptions.runDirOf(runOrCheckpoint).resolve(OPTIONS_FILE);
        }
        if (!Files.isRegularFile(file)) {
            throw new GlossaException(runOrCheckpoint + ": not a translation run (no " + OPTIONS_FILE + ")");
        }
        return RunOptions.readSaved(file, Options.class);
    }

    /**
     * Continues the run of {@code runOrCheckpoint} (its newest checkpoint, or that checkpoint) exactly where it
     * stopped, writing on into the same run directory, with the vocabularies the run trained. {@code options} are
     * the saved ones with the changes asked for; only {@link Options#CHANGEABLE_ON_RESUME} may differ, and the
     * training pairs must be those the run started on.
     */
    public static Result resume(Path runOrCheckpoint, Options options, boolean showProgress, Consumer<String> log) {
        Path runDir = RunOptions.runDirOf(runOrCheckpoint);
        Path checkpoint = Checkpoints.resolve(runOrCheckpoint);
        Options saved = savedOptions(runDir);
        RunOptions.requireResumable(runDir, options.incompatibleWith(saved));
        Architecture inCheckpoint = Architecture.ofDirectory(checkpoint);
        if (inCheckpoint != options.architecture()) {
            throw new GlossaException("cannot resume from " + checkpoint + ": it holds a " + inCheckpoint.key()
                    + " model, the run's options say " + options.arch());
        }
        Engine.init();
        DataSplit split = readData(options);
        checkSplit(split, options);
        JsonNode fingerprint = HfConfig.read(runDir.resolve(OPTIONS_FILE));
        if (fingerprint.path("train_pairs").asLong() != split.train().size()
                || fingerprint.path("train_crc32").asLong() != checksum(split.train())) {
            throw new GlossaException("cannot resume " + runDir + ": the training pairs are not those the run started on"
                    + " (their number or checksum changed)");
        }
        Prepared prepared = prepare(options, split, runDir, log);
        Record checkpointConfig = switch (inCheckpoint) {
            case TRANSFORMER -> TransformerConfig.read(checkpoint);
            case RNN_ATTENTION -> RnnAttentionConfig.read(checkpoint);
        };
        if (!checkpointConfig.equals(prepared.model.config())) {
            throw new GlossaException("cannot resume from " + checkpoint + ": its model (" + checkpointConfig
                    + ") is not the one the options describe (" + prepared.model.config() + ")");
        }
        writeOptions(runDir, options, split.train());
        return finish(prepared, runDir, prepared.trainer(runDir, showProgress).resume(checkpoint), log);
    }

    private static void checkSplit(DataSplit split, Options options) {
        if (split.train().isEmpty()) {
            throw new GlossaException("the " + options.dataset() + " training data has no pairs");
        }
        if (split.validation().isEmpty()) {
            throw new GlossaException("the " + options.dataset() + " validation data has no pairs");
        }
    }

    /** Trains the vocabularies of the run on its training pairs: one for both languages, or one each. */
    public static SubwordVocabularies trainVocabularies(List<SentencePair> pairs, Options options, Consumer<String> log) {
        long start = System.nanoTime();
        List<String> sources = pairs.stream().map(SentencePair::source).toList();
        List<String> targets = pairs.stream().map(SentencePair::target).toList();
        SubwordVocabularies vocabularies;
        if (options.sharedVocabulary()) {
            List<String> both = new ArrayList<>(sources);
            both.addAll(targets);
            SubwordTokenizer shared = trainOne(both, options.sourceVocabSize(), options);
            vocabularies = new SubwordVocabularies(shared, shared);
        } else {
            vocabularies = new SubwordVocabularies(trainOne(sources, options.sourceVocabSize(), options),
                    trainOne(targets, options.targetVocabSize(), options));
        }
        log.accept(String.format(Locale.ROOT, "%s vocabular%s: %s (%.1f s)", options.vocabulary(),
                vocabularies.shared() ? "y shared by both languages" : "ies",
                vocabularies.shared() ? vocabularies.source().vocabSize() + " tokens"
                        : vocabularies.source().vocabSize() + " source, " + vocabularies.target().vocabSize() + " target tokens",
                (System.nanoTime() - start) / 1e9));
        return vocabularies;
    }

    private static SubwordTokenizer trainOne(List<String> texts, int size, Options options) {
        BpeTrainer.Options trainer = new BpeTrainer.Options(size, options.minFrequency(), SubwordTokenizer.DEFAULT_SPECIAL_TOKENS);
        return options.vocabulary().equals("bpe") ? BpeTrainer.train(texts, trainer) : WordPieceTrainer.train(texts, trainer);
    }

    private static void writeOptions(Path runDir, Options options, List<SentencePair> train) {
        ObjectNode json = HfConfig.mapper().createObjectNode();
        json.set("options", HfConfig.mapper().valueToTree(options));
        json.put("train_pairs", train.size());
        json.put("train_crc32", checksum(train));
        HfConfig.write(runDir.resolve(OPTIONS_FILE), json);
    }

    // ------------------------------------------------------------------ the pieces of a run

    /** Everything a run is built from. */
    static final class Prepared {
        Options options;
        TranslationModel model;
        List<EncodedPair> train;
        List<EncodedPair> validation;
        List<SentencePair> validationPairs; // those that fit, as text
        List<SentencePair> bleuPairs; // the ones each evaluation translates
        LengthGroupedBatches<EncodedPair, Batch> batches;

        Trainer<Batch> trainer(Path runDir, boolean showProgress) {
            TrainConfig config = TrainConfig.builder(runDir)
                    .epochs(options.epochs())
                    .maxSteps(options.maxSteps())
                    .maxGradNorm(options.maxGradNorm())
                    .precision(options.trainPrecision())
                    .logEvery(10)
                    .evalEvery(options.evalEvery())
                    .saveEvery(options.saveEvery())
                    .keepLast(2)
                    .monitor("val_bleu", false)
                    .earlyStopping(options.patience(), 0)
                    .seed(options.seed())
                    .showProgress(showProgress)
                    .build();
            AdamW optimizer = optimizer(options, model);
            long total = config.totalSteps(batches.batchesPerEpoch());
            Schedule schedule = schedule(options, model, total);
            double smoothing = options.labelSmoothing();
            return new Trainer<>(model.module(), batch -> model.loss(batch, smoothing), batches, optimizer, schedule, config)
                    .evaluator(() -> {
                        TranslationEvaluation.Loss loss = TranslationEvaluation.loss(model, validation,
                                TranslationEvaluation.LOSS_BATCH_SIZE);
                        TranslationEvaluation.Scores bleu = TranslationEvaluation.bleu(model, bleuPairs, 1, 0,
                                TranslationModel.DEFAULT_BATCH_SIZE, "validation");
                        return metrics(loss, bleu);
                    })
                    .configWriter(dir -> writeModelFiles(dir, runDir));
        }

        /** A checkpoint as a model directory: config, tokenizers and the run's options beside the trainer's weights. */
        private void writeModelFiles(Path dir, Path runDir) throws IOException {
            model.writeConfig(dir);
            for (String side : List.of(TranslationModel.SOURCE_DIRECTORY, TranslationModel.TARGET_DIRECTORY)) {
                Files.createDirectories(dir.resolve(side));
                Files.copy(runDir.resolve(side).resolve("tokenizer.json"), dir.resolve(side).resolve("tokenizer.json"));
            }
            Files.copy(runDir.resolve(OPTIONS_FILE), dir.resolve(OPTIONS_FILE));
        }
    }

    static Map<String, Double> metrics(TranslationEvaluation.Loss loss, TranslationEvaluation.Scores bleu) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("val_loss", loss.nats());
        metrics.put("val_ppl", loss.perplexity());
        metrics.put("val_bleu", bleu.sacreBleu().score());
        metrics.put("val_bleu_lc", bleu.tokenizedBleu().score());
        metrics.put("val_sentences_per_s", bleu.sentencesPerSecond());
        return metrics;
    }

    /** The options' AdamW over every parameter of the model (weight decay 0: Adam). */
    public static AdamW optimizer(Options options, TranslationModel model) {
        // No decay on biases (PyTorch's GRU names them bias_ih_l0, bias_hh_l0) nor on LayerNorm.
        return new AdamW(model.module(), AdamW.Options.defaults().withBetas(0.9, options.adamBeta2())
                .withEps(options.adamEpsilon()).withWeightDecay(options.weightDecay())
                .withDecays(name -> WeightDecay.appliesTo(name)
                        && !name.substring(name.lastIndexOf('.') + 1).startsWith("bias")));
    }

    /** The learning rate schedule the options ask for, over {@code totalSteps}. */
    public static Schedule schedule(Options options, TranslationModel model, long totalSteps) {
        double peak = options.learningRate();
        long warmup = Math.min(options.warmupSteps(), totalSteps);
        return switch (options.schedule()) {
            case "noam" -> {
                int dModel = ((TransformerConfig) model.config()).dModel();
                // factor · d^-0.5 · warmup^-0.5 is the rate at the end of the warmup: choose the factor that makes it the peak.
                double factor = peak * Math.sqrt(dModel) * Math.sqrt(options.warmupSteps());
                yield new Schedule.Noam(dModel, options.warmupSteps(), factor);
            }
            case "linear" -> new Schedule.WarmupLinear(peak, warmup, totalSteps);
            case "cosine" -> new Schedule.WarmupCosine(peak, warmup, totalSteps);
            default -> new Schedule.WarmupConstant(peak, warmup);
        };
    }

    /** Loads the run's vocabularies, builds the model and the batches. */
    private static Prepared prepare(Options options, DataSplit split, Path runDir, Consumer<String> log) {
        Prepared prepared = new Prepared();
        prepared.options = options;
        HfTokenizer source = TranslationModel.loadTokenizer(runDir, TranslationModel.SOURCE_DIRECTORY);
        HfTokenizer target = TranslationModel.loadTokenizer(runDir, TranslationModel.TARGET_DIRECTORY);
        prepared.model = buildModel(options, source, target, runDir.toString());

        prepared.train = encodeAll(prepared.model, split.train(), "encode train");
        List<EncodedPair> validation = encodeAll(prepared.model, split.validation(), "encode validation");
        int maxLength = options.maxLength();
        List<EncodedPair> keptTrain = prepared.train.stream().filter(p -> prepared.model.fits(p, maxLength)).toList();
        List<EncodedPair> keptValidation = new ArrayList<>();
        List<SentencePair> validationPairs = new ArrayList<>();
        for (int i = 0; i < validation.size(); i++) {
            if (prepared.model.fits(validation.get(i), maxLength)) {
                keptValidation.add(validation.get(i));
                validationPairs.add(split.validation().get(i));
            }
        }
        int longTrain = prepared.train.size() - keptTrain.size();
        int longValidation = validation.size() - keptValidation.size();
        if (keptTrain.isEmpty()) {
            throw new GlossaException("no training pair fits in " + Math.min(maxLength, prepared.model.maxLength())
                    + " tokens per side: raise --max-length");
        }
        prepared.train = keptTrain;
        prepared.validation = keptValidation;
        prepared.validationPairs = List.copyOf(validationPairs);
        prepared.bleuPairs = options.evalSentences() > 0 && options.evalSentences() < validationPairs.size()
                ? List.copyOf(validationPairs.subList(0, options.evalSentences())) : List.copyOf(validationPairs);

        TranslationModel model = prepared.model;
        prepared.batches = new LengthGroupedBatches<>(prepared.train, EncodedPair::length, options.batchSize(),
                LengthGroupedBatches.DEFAULT_MEGA_BATCH_FACTOR, model::collate, Batch::tokens, options.seed());

        long tokens = prepared.train.stream().mapToLong(p -> p.source().length + p.target().length + 1L).sum();
        log.accept(String.format(Locale.ROOT, "%s: %,d training pairs (%,d tokens; %d longer than %d tokens left out), %,d"
                        + " validation pairs (%d left out), BLEU on %,d of them", options.dataset(), prepared.train.size(), tokens,
                longTrain, maxLength, prepared.validation.size(), longValidation, prepared.bleuPairs.size()));
        log.accept("model: " + model.describe());
        log.accept(String.format(Locale.ROOT, "%,d batches of up to %d sentences per epoch, %s; %s schedule, peak lr %s,"
                        + " warmup %d, label smoothing %s, clip %s, %s, seed %d", prepared.batches.batchesPerEpoch(),
                options.batchSize(), options.maxSteps() > 0 ? options.maxSteps() + " steps" : options.epochs() + " epochs",
                options.schedule(), options.learningRate(), options.warmupSteps(), options.labelSmoothing(),
                options.maxGradNorm(), options.precision(), options.seed()));
        return prepared;
    }

    private static List<EncodedPair> encodeAll(TranslationModel model, List<SentencePair> pairs, String label) {
        List<EncodedPair> out = new ArrayList<>(pairs.size());
        // A bar only where there is something to wait for (Multi30k's training pairs take seconds).
        try (Progress progress = pairs.size() >= 10_000 ? Progress.start(label, pairs.size(), "pairs") : Progress.quiet()) {
            for (SentencePair pair : pairs) {
                out.add(model.encode(pair));
                progress.advance(1);
            }
        }
        return out;
    }

    /** A freshly initialised model of the options' architecture and size over the run's vocabularies (seeded). */
    public static TranslationModel buildModel(Options options, HfTokenizer source, HfTokenizer target, String where) {
        SpecialTokens special = new SpecialTokens(target.tokenId(SubwordTokenizer.PAD), target.tokenId(SubwordTokenizer.BOS),
                target.tokenId(SubwordTokenizer.EOS));
        int sourceSize = source.vocabSize();
        int targetSize = target.vocabSize();
        torch.manual_seed(options.seed()); // the initial weights depend on the seed alone
        return switch (options.architecture()) {
            case TRANSFORMER -> TranslationModel.of(new Transformer.Model(transformerConfig(options, sourceSize, targetSize,
                    special)), source, target, where);
            case RNN_ATTENTION -> TranslationModel.of(new RnnAttention.Model(rnnConfig(options, sourceSize, targetSize,
                    special)), source, target, where);
        };
    }

    /** The preset of the options' size, over these vocabularies, embeddings shared when the vocabulary is. */
    static TransformerConfig transformerConfig(Options options, int sourceSize, int targetSize, SpecialTokens special) {
        boolean shared = options.sharedVocabulary();
        TransformerConfig p = switch (options.modelSize()) {
            case "base" -> TransformerConfig.base(sourceSize, special);
            case "tiny" -> TransformerConfig.tiny(sourceSize, special);
            default -> TransformerConfig.small(sourceSize, targetSize, shared, special);
        };
        TransformerConfig sized = new TransformerConfig(sourceSize, targetSize, p.dModel(), p.encoderLayers(), p.decoderLayers(),
                p.encoderAttentionHeads(), p.decoderAttentionHeads(), p.encoderFfnDim(), p.decoderFfnDim(),
                p.activationFunction(), p.dropout(), p.attentionDropout(), p.activationDropout(), p.maxPositionEmbeddings(),
                p.scaleEmbedding(), shared, p.tieWordEmbeddings(), p.positionEmbeddingType(), p.preLayerNorm(), p.padTokenId(),
                p.eosTokenId(), p.decoderStartTokenId());
        return options.dropout() == null ? sized
                : sized.withDropout(options.dropout(), sized.attentionDropout(), sized.activationDropout());
    }

    /** The RNN preset of the options' size over these vocabularies, with the options' attention and dropout. */
    static RnnAttentionConfig rnnConfig(Options options, int sourceSize, int targetSize, SpecialTokens special) {
        RnnAttentionConfig p = options.modelSize().equals("tiny")
                ? RnnAttentionConfig.tiny(sourceSize, options.attention(), special)
                : RnnAttentionConfig.small(sourceSize, targetSize, special);
        return new RnnAttentionConfig(sourceSize, targetSize, p.embeddingSize(), p.encoderHiddenSize(), p.encoderLayers(),
                p.decoderHiddenSize(), p.decoderLayers(), options.attention(), p.attentionSize(),
                options.dropout() == null ? p.dropout() : options.dropout(), p.padTokenId(), p.eosTokenId(),
                p.decoderStartTokenId());
    }

    /** Puts the best weights in the run directory as the run's model and scores them on the validation set in fp32. */
    private static Result finish(Prepared prepared, Path runDir, TrainResult result, Consumer<String> log) {
        TranslationModel model = prepared.model;
        Path best = result.bestCheckpoint() != null ? result.bestCheckpoint() : result.lastCheckpoint();
        if (best != null) {
            Weights.load(model.module(), best.resolve(Checkpoints.MODEL_FILE), "", Set.of());
        }
        model.save(runDir);
        model.module().train(false);
        if (result.reason() == TrainResult.StopReason.INTERRUPTED) {
            // Whoever pressed Ctrl-C wants the prompt back: no extra pass over the validation set.
            log.accept("interrupted after step " + result.steps() + "; the best model so far is saved in " + runDir
                    + "; continue with: glossa translate train --resume " + runDir);
            return new Result(runDir, result, null, null);
        }
        TranslationEvaluation.Loss loss = TranslationEvaluation.loss(model, prepared.validation,
                TranslationEvaluation.LOSS_BATCH_SIZE);
        TranslationEvaluation.Scores bleu = TranslationEvaluation.bleu(model, prepared.validationPairs, 1, 0,
                TranslationModel.DEFAULT_BATCH_SIZE, "validation");
        ObjectNode results = HfConfig.mapper().createObjectNode();
        results.put("checkpoint", best == null ? null : best.getFileName().toString());
        metrics(loss, bleu).forEach(results::put);
        results.put("val_sentences", bleu.sentences());
        results.put("train_steps", result.steps());
        results.put("train_epochs", result.epoch());
        results.put("train_wall_seconds", result.wallSeconds());
        HfConfig.write(runDir.resolve(RESULTS_FILE), results);
        log.accept(String.format(Locale.ROOT, "%s after %d steps (%.2f epochs, %.0f s); model from %s saved in %s",
                result.reason().name().toLowerCase(Locale.ROOT).replace('_', ' '), result.steps(), result.epoch(),
                result.wallSeconds(), best == null ? "the last step" : best.getFileName(), runDir));
        log.accept(String.format(Locale.ROOT, "validation (fp32, greedy): loss %.4f, perplexity %.2f; %s", loss.nats(),
                loss.perplexity(), bleu));
        return new Result(runDir, result, loss, bleu);
    }
}
