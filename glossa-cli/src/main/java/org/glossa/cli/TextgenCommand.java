package org.glossa.cli;

import static org.glossa.cli.TrainingCommands.putGiven;
import static org.glossa.cli.TrainingCommands.refuseOutWithResume;
import static org.glossa.cli.TrainingCommands.stepsReplaceEpochs;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.glossa.core.GlossaException;
import org.glossa.models.charrnn.CharRnnConfig;
import org.glossa.tasks.charlm.CharLanguageModel;
import org.glossa.tasks.charlm.Corpus;
import org.glossa.tasks.charlm.Sampling;
import org.glossa.tasks.charlm.TextGenerator;
import org.glossa.tasks.charlm.TextgenTraining;
import org.glossa.tasks.charlm.Vocabulary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code glossa textgen}: character-level (or word-level) recurrent language models. Needs a subcommand. */
@Command(name = "textgen", mixinStandardHelpOptions = true,
        description = "Train a character-level GRU/LSTM language model, generate text with it, evaluate it.",
        subcommands = {TextgenCommand.Train.class, TextgenCommand.Generate.class, TextgenCommand.Eval.class})
final class TextgenCommand {
    /** The newest complete model under {@code runs/textgen-*}, for generate and eval without --model. */
    static Path newestModel() {
        Path newest = TrainingCommands.newestRun(TrainingCommands.RUNS, "textgen-", CharLanguageModel.FILES);
        if (newest != null) {
            return newest;
        }
        throw new GlossaException("no trained model in " + TrainingCommands.RUNS.toAbsolutePath()
                + ": train one with 'glossa textgen train', or pass --model DIR");
    }

    static String describe(CharLanguageModel model) {
        CharRnnConfig config = model.model().config;
        return String.format(Locale.ROOT, "%s, %d×%d units, embedding %d, %s vocabulary of %d", config.cellType(),
                config.numLayers(), config.hiddenSize(), config.embeddingSize(), model.vocabulary().level().key(),
                model.vocabulary().size());
    }

    // ------------------------------------------------------------------ train

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Trains a language model with stateful windows (the state carried from batch to batch), evaluating on the"
                        + " last 10%% of the corpus, and keeps the best model by validation loss.",
                "With no options: the TensorFlow tutorial's GRU on Tiny Shakespeare (../shared/data/tinyshakespeare),"
                        + " saved in runs/textgen-<timestamp>. Ctrl-C (or kill, for a run in the background) writes a"
                        + " checkpoint; --resume continues it exactly."
            })
    static final class Train implements Callable<Integer> {
        @Option(names = "--corpus", paramLabel = "FILE", description = "UTF-8 text to train on (default: Tiny Shakespeare).")
        Path corpus;

        @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/textgen-<timestamp>).")
        Path out;

        @Option(names = "--resume", paramLabel = "RUN", description = "Continue a run directory (its newest checkpoint) or a checkpoint.")
        Path resume;

        @Option(names = "--level", paramLabel = "char|word", description = "Tokens: characters (default) or words.")
        String level;

        @Option(names = "--max-vocab", paramLabel = "N", description = "Word level: keep the N most frequent tokens (default 10000).")
        Integer maxVocab;

        @Option(names = "--cell", paramLabel = "gru|lstm", description = "Recurrent cell (default gru).")
        String cell;

        @Option(names = "--embedding", paramLabel = "N", description = "Embedding size (default 256).")
        Integer embedding;

        @Option(names = "--units", paramLabel = "N", description = "Units per recurrent layer (default 1024).")
        Integer units;

        @Option(names = "--layers", paramLabel = "N", description = "Recurrent layers (default 1).")
        Integer layers;

        @Option(names = "--dropout", paramLabel = "P", description = "Dropout between recurrent layers (default 0).")
        Double dropout;

        @Option(names = "--seq-length", paramLabel = "N", description = "Window length in tokens (default 100).")
        Integer seqLength;

        @Option(names = "--batch-size", paramLabel = "N", description = "Parallel streams per batch (default 64).")
        Integer batchSize;

        @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training text (default 10).")
        Double epochs;

        @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps, instead of --epochs.")
        Long steps;

        @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate of AdamW (default 0.002), cosine decay.")
        Double learningRate;

        @Option(names = "--warmup", paramLabel = "N", description = "Warmup steps (default 100).")
        Long warmup;

        @Option(names = "--weight-decay", paramLabel = "X", description = "Decoupled weight decay, not on biases (default 0).")
        Double weightDecay;

        @Option(names = "--clip", paramLabel = "X", description = "Clip the global gradient norm to X; 0 for none (default 5).")
        Double clip;

        @Option(names = "--precision", paramLabel = "fp32|bf16", description = "bf16: mixed precision with fp32 weights (default fp32).")
        String precision;

        @Option(names = "--eval-every", paramLabel = "N", description = "Validate every N steps (default 100; 0: at the end).")
        Long evalEvery;

        @Option(names = "--save-every", paramLabel = "N", description = "Checkpoint every N steps (default 100; 0: at the end).")
        Long saveEvery;

        @Option(names = "--patience", paramLabel = "N", description = "Stop after N validations without improvement (default 5; 0: never).")
        Integer patience;

        @Option(names = "--seed", paramLabel = "N", description = "Seed of the weights, dropout and data order (default 42).")
        Long seed;

        @Option(names = "--sample", paramLabel = "N", defaultValue = "300",
                description = "Print N generated characters after training (default 300; 0: none).")
        int sample;

        @Option(names = "--no-progress", description = "No live progress line.")
        boolean noProgress;

        @Spec
        CommandSpec spec;

        /** The options given on the command line, by their key in textgen.json. */
        Map<String, Object> given() {
            Map<String, Object> given = new LinkedHashMap<>();
            putGiven(given, "corpus", corpus == null ? null : corpus.toString());
            putGiven(given, "level", level);
            putGiven(given, "max_vocab", maxVocab);
            putGiven(given, "cell_type", cell);
            putGiven(given, "embedding_size", embedding);
            putGiven(given, "hidden_size", units);
            putGiven(given, "num_layers", layers);
            putGiven(given, "dropout", dropout);
            putGiven(given, "seq_length", seqLength);
            putGiven(given, "batch_size", batchSize);
            putGiven(given, "epochs", epochs);
            putGiven(given, "max_steps", steps);
            putGiven(given, "learning_rate", learningRate);
            putGiven(given, "warmup_steps", warmup);
            putGiven(given, "weight_decay", weightDecay);
            putGiven(given, "max_grad_norm", clip);
            putGiven(given, "precision", precision);
            putGiven(given, "eval_every", evalEvery);
            putGiven(given, "save_every", saveEvery);
            putGiven(given, "patience", patience);
            putGiven(given, "seed", seed);
            return given;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (sample < 0) {
                throw new ParameterException(spec.commandLine(), "--sample must be >= 0, got " + sample);
            }
            Map<String, Object> given = given();
            stepsReplaceEpochs(given, epochs, steps);
            refuseOutWithResume(spec, resume, this.out);
            TextgenTraining.Result result;
            if (resume != null) {
                TextgenTraining.Options options = TextgenTraining.savedOptions(resume).with(given);
                out.println("resuming " + resume);
                result = TextgenTraining.resume(resume, options, !noProgress, out::println);
            } else {
                Path corpusFile = corpus != null ? corpus : Corpus.defaultCorpus();
                TextgenTraining.Options options = TextgenTraining.Options.defaults(corpusFile).with(given);
                Path runDir = this.out != null ? this.out : TextgenTraining.defaultRunDir();
                out.println("training into " + runDir);
                out.flush();
                result = TextgenTraining.train(options, runDir, !noProgress, out::println);
            }
            if (sample > 0 && result.validation() != null) {
                CharLanguageModel model = CharLanguageModel.load(result.runDir());
                String prime = firstWordLike(model.vocabulary());
                out.println("sample (temperature 1.0):");
                out.print(prime);
                new TextGenerator(model).generate(prime, sample, Sampling.of(0), piece -> {
                    out.print(piece);
                    out.flush();
                });
                out.println();
            }
            out.flush();
            return 0;
        }

        /** A start for the sample: the first vocabulary entry that is a letter or word. */
        private static String firstWordLike(Vocabulary vocabulary) {
            return vocabulary.tokens().stream().filter(t -> Character.isLetter(t.codePointAt(0))).findFirst()
                    .orElse(vocabulary.token(0));
        }
    }

    // ------------------------------------------------------------------ generate

    @Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Continues a prime text, printing each character as it is generated.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--model", paramLabel = "DIR", description = "Model directory or run (default: the newest runs/textgen-*).")
        Path model;

        @Option(names = "--prime", paramLabel = "TEXT", defaultValue = "ROMEO:", description = "Text to continue (default ROMEO:).")
        String prime;

        @Option(names = "--length", paramLabel = "N", defaultValue = "1000", description = "Tokens to generate (default 1000).")
        int length;

        @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0",
                description = "Sampling temperature; 0 for greedy decoding (default 1.0).")
        double temperature;

        @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "Sample from the K most likely tokens; 0: all.")
        int topK;

        @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0", description = "Nucleus sampling: the most likely tokens"
                + " holding probability P (default 1.0: all).")
        double topP;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the draws (default 0).")
        long seed;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (length < 0) {
                throw new ParameterException(spec.commandLine(), "--length must be >= 0, got " + length);
            }
            Sampling sampling;
            try {
                sampling = new Sampling(temperature, topK, topP, seed);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            CharLanguageModel languageModel = CharLanguageModel.load(model != null ? model : newestModel());
            PrintWriter out = spec.commandLine().getOut();
            TextGenerator generator = new TextGenerator(languageModel);
            // Encode first, so a bad prime fails before anything is printed.
            languageModel.vocabulary().encode(prime, "the prime text");
            out.print(prime);
            generator.generate(prime, length, sampling, piece -> {
                out.print(piece);
                out.flush();
            });
            out.println();
            out.flush();
            return 0;
        }
    }

    // ------------------------------------------------------------------ eval

    @Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Loss of a model on a corpus: nats per character (and per token at word level), bits per character, perplexity.")
    static final class Eval implements Callable<Integer> {
        @Option(names = "--model", paramLabel = "DIR", description = "Model directory or run (default: the newest runs/textgen-*).")
        Path model;

        @Option(names = "--corpus", paramLabel = "FILE", description = "Text to evaluate on (default: Tiny Shakespeare).")
        Path corpus;

        @Option(names = "--split", paramLabel = "validation|train|all", defaultValue = "validation",
                description = "Which part of the corpus: the last 10%% (default), the first 90%%, or all of it.")
        String split;

        @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Parallel streams (default 64).")
        int batchSize;

        @Option(names = "--seq-length", paramLabel = "N", defaultValue = "100", description = "Window length (default 100).")
        int seqLength;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!List.of("validation", "train", "all").contains(split)) {
                throw new ParameterException(spec.commandLine(), "--split must be validation, train or all, got '" + split + "'");
            }
            if (batchSize < 1 || seqLength < 1) {
                throw new ParameterException(spec.commandLine(), "--batch-size and --seq-length must be positive");
            }
            Path modelDir = model != null ? model : newestModel();
            CharLanguageModel languageModel = CharLanguageModel.load(modelDir);
            Path corpusFile = corpus != null ? corpus : Corpus.defaultCorpus();
            String text = Corpus.read(corpusFile);
            int[] ids = languageModel.vocabulary().encode(text, "corpus " + corpusFile);
            Corpus.Split parts = Corpus.split(ids);
            int[] evaluated = switch (split) {
                case "train" -> parts.train();
                case "all" -> ids;
                default -> parts.validation();
            };
            CharLanguageModel.Evaluation result = languageModel.evaluate(evaluated, batchSize, seqLength);
            PrintWriter out = spec.commandLine().getOut();
            out.println("model: " + modelDir + " (" + describe(languageModel) + ")");
            out.printf(Locale.ROOT, "%s of %s: %,d tokens predicted, %,d characters%n", split, corpusFile, result.tokens(),
                    result.characters());
            if (languageModel.vocabulary().level() == Vocabulary.Level.WORD) {
                out.printf(Locale.ROOT, "loss %.4f nats/token, perplexity %.3f per token; %.4f nats/char (%.4f bits/char)%n",
                        result.natsPerToken(), result.perplexity(), result.natsPerCharacter(), result.bitsPerCharacter());
            } else {
                out.printf(Locale.ROOT, "loss %.4f nats/char (%.4f bits/char), perplexity %.3f%n", result.natsPerCharacter(),
                        result.bitsPerCharacter(), result.perplexity());
            }
            out.flush();
            return 0;
        }
    }
}
