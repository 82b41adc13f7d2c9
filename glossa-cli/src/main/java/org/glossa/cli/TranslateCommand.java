package org.glossa.cli;

import static org.glossa.cli.TrainingCommands.putGiven;
import static org.glossa.cli.TrainingCommands.refuseOutWithResume;
import static org.glossa.cli.TrainingCommands.stepsReplaceEpochs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.nn.Autocast;
import org.glossa.nn.Tensors;
import org.glossa.tasks.translate.AttentionMaps;
import org.glossa.tasks.translate.DataSplit;
import org.glossa.tasks.translate.SentencePair;
import org.glossa.tasks.translate.TextNormalizer;
import org.glossa.tasks.translate.TranslationEvaluation;
import org.glossa.tasks.translate.TranslationModel;
import org.glossa.tasks.translate.TranslationModel.Architecture;
import org.glossa.tasks.translate.TranslationTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code glossa translate}: train, run and evaluate translation models, and draw their attention. Needs a subcommand. */
@Command(name = "translate", mixinStandardHelpOptions = true,
        description = "Train an RNN with attention or a Transformer to translate, translate with it, score it with BLEU,"
                + " draw its attention.",
        subcommands = {TranslateCommand.Train.class, TranslateCommand.Run.class, TranslateCommand.Eval.class,
            TranslateCommand.AttentionCommand.class})
final class TranslateCommand {
    private TranslateCommand() {}

    /** Runs {@code body} in bf16 autocast when asked (translation only: no gradients either way). */
    static <T> T withPrecision(String precision, Supplier<T> body) {
        return switch (precision) {
            case "fp32" -> Tensors.inference(body);
            case "bf16" -> Autocast.bf16(() -> Tensors.inference(body));
            default -> throw new GlossaException("precision '" + precision + "' is not fp32 or bf16");
        };
    }

    static void checkBeam(CommandSpec spec, int beam, double alpha, int batchSize) {
        if (beam < 1) {
            throw new ParameterException(spec.commandLine(), "--beam must be at least 1, got " + beam);
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new ParameterException(spec.commandLine(), "--alpha must be a finite number >= 0, got " + alpha);
        }
        if (batchSize < 1) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be positive, got " + batchSize);
        }
    }

    // ------------------------------------------------------------------ train

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Trains a translation model: subword vocabularies from the training pairs, teacher forcing on batches of"
                        + " similar length, validation loss and greedy BLEU every --eval-every steps, the best model by"
                        + " validation BLEU kept in the run directory.",
                "With no options: the small Transformer (3+3 layers of 256, shared BPE vocabulary of 8000) on Multi30k"
                        + " German→English (../shared/data/multi30k), 12 epochs in bf16, saved in runs/translate-transformer-<time>."
                        + " --arch rnn-attention: the bidirectional GRU with additive attention, 10 epochs."
                        + " Ctrl-C (or kill, for a run in the background) writes a checkpoint; --resume continues it"
                        + " exactly."
            })
    static final class Train implements Callable<Integer> {
        @Option(names = "--arch", paramLabel = "rnn-attention|transformer", description = "Architecture (default transformer).")
        String arch;

        @Option(names = "--model-size", paramLabel = "tiny|small|base", description = "Preset (default small; base: the"
                + " Transformer paper's, 6+6 layers of 512).")
        String modelSize;

        @Option(names = "--attention", paramLabel = "additive|multiplicative", description = "RNN attention score (default additive).")
        String attention;

        @Option(names = "--dataset", paramLabel = "multi30k|spa-eng", description = "Data set (default multi30k: German→English;"
                + " spa-eng: the tutorial's Spanish→English pairs, our fixed split).")
        String dataset;

        @Option(names = "--data", paramLabel = "PATH", description = "The Multi30k directory or spa.txt (default: ../shared/data).")
        Path data;

        @Option(names = "--train", arity = "1..2", paramLabel = "FILE", description = "Training pairs instead of a data set:"
                + " one tab-separated file (source, target) or two line-aligned files (source, target).")
        List<Path> trainFiles;

        @Option(names = "--valid", arity = "1..2", paramLabel = "FILE", description = "Validation pairs (with --train).")
        List<Path> validFiles;

        @Option(names = "--test", arity = "1..2", paramLabel = "FILE", description = "Test pairs, for 'translate eval' (with --train).")
        List<Path> testFiles;

        @Option(names = "--vocab", paramLabel = "bpe|wordpiece", description = "Subword trainer (default bpe).")
        String vocabulary;

        @Option(names = "--shared-vocab", negatable = true, description = "One vocabulary for both languages (default for the"
                + " Transformer; --no-shared-vocab: one each, the RNN's default).")
        Boolean sharedVocabulary;

        @Option(names = "--vocab-size", paramLabel = "N", description = "Tokens per vocabulary (default 8000 shared; RNN 6000 each).")
        Integer vocabSize;

        @Option(names = "--source-vocab-size", paramLabel = "N", description = "Source vocabulary size (separate vocabularies).")
        Integer sourceVocabSize;

        @Option(names = "--target-vocab-size", paramLabel = "N", description = "Target vocabulary size (separate vocabularies).")
        Integer targetVocabSize;

        @Option(names = "--min-frequency", paramLabel = "N", description = "Fewest occurrences of a merged pair (default 2).")
        Integer minFrequency;

        @Option(names = "--max-length", paramLabel = "N", description = "Leave out training pairs longer than N tokens on a side"
                + " (default 128).")
        Integer maxLength;

        @Option(names = "--batch-size", paramLabel = "N", description = "Sentence pairs per batch (default 128).")
        Integer batchSize;

        @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training pairs (default 12; RNN 10).")
        Double epochs;

        @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps, instead of --epochs.")
        Long steps;

        @Option(names = "--schedule", paramLabel = "noam|linear|cosine|constant", description = "Learning rate schedule"
                + " (default noam for the Transformer, cosine for the RNN), after a linear warmup.")
        String schedule;

        @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate (default 0.0007, reached by noam at the"
                + " end of the warmup; RNN 0.001).")
        Double learningRate;

        @Option(names = "--warmup", paramLabel = "N", description = "Warmup steps (default 400; base 4000; RNN 100).")
        Long warmup;

        @Option(names = "--beta2", paramLabel = "X", description = "Adam's β₂ (default 0.98; RNN 0.999).")
        Double beta2;

        @Option(names = "--adam-eps", paramLabel = "X", description = "Adam's ε (default 1e-9; RNN 1e-8).")
        Double adamEpsilon;

        @Option(names = "--weight-decay", paramLabel = "X", description = "Decoupled weight decay, not on biases or LayerNorm (default 0).")
        Double weightDecay;

        @Option(names = "--label-smoothing", paramLabel = "X", description = "Label smoothing (default 0.1; RNN 0).")
        Double labelSmoothing;

        @Option(names = "--dropout", paramLabel = "P", description = "Dropout (default: the preset's, 0.1; RNN 0.3).")
        Double dropout;

        @Option(names = "--clip", paramLabel = "X", description = "Clip the global gradient norm to X; 0 for none (default 1).")
        Double clip;

        @Option(names = "--precision", paramLabel = "fp32|bf16", description = "bf16: mixed precision with fp32 weights (default bf16,"
                + " faster for both architectures on a CPU with AMX).")
        String precision;

        @Option(names = "--eval-every", paramLabel = "N", description = "Validate every N steps (default 250; 0: at the end).")
        Long evalEvery;

        @Option(names = "--save-every", paramLabel = "N", description = "Checkpoint every N steps (default 250; 0: at the end).")
        Long saveEvery;

        @Option(names = "--eval-sentences", paramLabel = "N", description = "Validation pairs translated for BLEU (default 0: all).")
        Integer evalSentences;

        @Option(names = "--patience", paramLabel = "N", description = "Stop after N validations without a better BLEU (default 0: never).")
        Integer patience;

        @Option(names = "--seed", paramLabel = "N", description = "Seed of the weights, dropout and data order (default 42).")
        Long seed;

        @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/translate-<arch>-<timestamp>).")
        Path out;

        @Option(names = "--resume", paramLabel = "RUN", description = "Continue a run directory (its newest checkpoint) or a checkpoint.")
        Path resume;

        @Option(names = "--no-progress", description = "No live progress line.")
        boolean noProgress;

        @Spec
        CommandSpec spec;

        /** The options given on the command line, by their key in translate.json. */
        Map<String, Object> given() {
            Map<String, Object> given = new LinkedHashMap<>();
            putGiven(given, "model_size", modelSize);
            putGiven(given, "attention", attention);
            putGiven(given, "dataset", dataset);
            putGiven(given, "data", data == null ? null : data.toString());
            putGiven(given, "train_files", paths(trainFiles));
            putGiven(given, "valid_files", paths(validFiles));
            putGiven(given, "test_files", paths(testFiles));
            if (trainFiles != null && dataset == null) {
                given.put("dataset", "files");
            }
            putGiven(given, "vocabulary", vocabulary);
            putGiven(given, "shared_vocabulary", sharedVocabulary);
            putGiven(given, "source_vocab_size", sourceVocabSize != null ? sourceVocabSize : vocabSize);
            putGiven(given, "target_vocab_size", targetVocabSize != null ? targetVocabSize : vocabSize);
            putGiven(given, "min_frequency", minFrequency);
            putGiven(given, "max_length", maxLength);
            putGiven(given, "batch_size", batchSize);
            putGiven(given, "epochs", epochs);
            putGiven(given, "max_steps", steps);
            putGiven(given, "schedule", schedule);
            putGiven(given, "learning_rate", learningRate);
            putGiven(given, "warmup_steps", warmup);
            putGiven(given, "adam_beta2", beta2);
            putGiven(given, "adam_epsilon", adamEpsilon);
            putGiven(given, "weight_decay", weightDecay);
            putGiven(given, "label_smoothing", labelSmoothing);
            putGiven(given, "dropout", dropout);
            putGiven(given, "max_grad_norm", clip);
            putGiven(given, "precision", precision);
            putGiven(given, "eval_every", evalEvery);
            putGiven(given, "save_every", saveEvery);
            putGiven(given, "eval_sentences", evalSentences);
            putGiven(given, "patience", patience);
            putGiven(given, "seed", seed);
            return given;
        }

        private static List<String> paths(List<Path> files) {
            return files == null ? null : files.stream().map(Path::toString).toList();
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (sharedVocabulary != null && sharedVocabulary && (sourceVocabSize != null || targetVocabSize != null)) {
                throw new ParameterException(spec.commandLine(), "a shared vocabulary has one size: use --vocab-size");
            }
            Map<String, Object> given = given();
            stepsReplaceEpochs(given, epochs, steps);
            refuseOutWithResume(spec, resume, this.out);
            TranslationTraining.Result result;
            if (resume != null) {
                TranslationTraining.Options saved = TranslationTraining.savedOptions(resume);
                if (arch != null) {
                    given.put("arch", arch);
                }
                out.println("resuming " + resume);
                out.flush();
                result = TranslationTraining.resume(resume, saved.with(given), !noProgress, out::println);
            } else {
                Architecture architecture = Architecture.parse(arch == null ? "transformer" : arch);
                TranslationTraining.Options options = TranslationTraining.Options.defaults(architecture,
                        modelSize == null ? "small" : modelSize).with(given);
                Path runDir = this.out != null ? this.out : TranslationTraining.defaultRunDir(architecture);
                out.println("training into " + runDir);
                out.flush();
                result = TranslationTraining.train(options, runDir, !noProgress, out::println);
            }
            out.flush();
            return 0;
        }
    }

    // ------------------------------------------------------------------ run

    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Translates standard input (or --input) line by line to standard output, one sentence per line. Lines are"
                        + " normalised as the training data (NFC, white space); an empty line gives an empty line. A line"
                        + " longer than the model takes is an error naming it.",
            })
    static final class Run implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (a run or a checkpoint).")
        Path model;

        @Option(names = "--input", paramLabel = "FILE", description = "Read this UTF-8 file instead of standard input.")
        Path input;

        @Option(names = "--beam", paramLabel = "N", defaultValue = "1", description = "Beam size (default 1: greedy).")
        int beam;

        @Option(names = "--alpha", paramLabel = "X", defaultValue = "0.6", description = "GNMT length penalty α of beam"
                + " search (default 0.6, the Transformer paper's; 0: none).")
        double alpha;

        @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Sentences decoded together (default 64).")
        int batchSize;

        @Option(names = "--precision", paramLabel = "fp32|bf16", defaultValue = "fp32", description = "Arithmetic (default fp32).")
        String precision;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            checkBeam(spec, beam, alpha, batchSize);
            TranslationModel translator = TranslationModel.load(model);
            PrintWriter out = spec.commandLine().getOut();
            String where = input == null ? "stdin" : input.toString();
            try (BufferedReader reader = open()) {
                int lineNumber = 0;
                List<String> pending = new ArrayList<>();
                String line;
                while ((line = reader.readLine()) != null) {
                    pending.add(TextNormalizer.normalize(line));
                    // Piped input fills batches; a person typing gets each line translated as it comes.
                    if (pending.size() >= batchSize || !reader.ready()) {
                        lineNumber = flush(translator, pending, lineNumber, where, out);
                    }
                }
                flush(translator, pending, lineNumber, where, out);
            }
            out.flush();
            return 0;
        }

        private int flush(TranslationModel translator, List<String> pending, int linesBefore, String where, PrintWriter out) {
            if (pending.isEmpty()) {
                return linesBefore;
            }
            List<String> lines = List.copyOf(pending);
            List<String> translations;
            try {
                translations = withPrecision(precision, () -> translator.translate(lines, beam, alpha, batchSize, where));
            } catch (GlossaException e) {
                throw renumber(e, where, linesBefore);
            }
            translations.forEach(out::println);
            out.flush();
            pending.clear();
            return linesBefore + lines.size();
        }

        /** Errors name "where:i" within the batch; the user wants the line number in the whole input. */
        private static GlossaException renumber(GlossaException e, String where, int linesBefore) {
            String message = e.getMessage();
            String prefix = where + ":";
            if (linesBefore > 0 && message.startsWith(prefix)) {
                int colon = message.indexOf(':', prefix.length());
                try {
                    int local = Integer.parseInt(message.substring(prefix.length(), colon));
                    return new GlossaException(prefix + (linesBefore + local) + message.substring(colon), e);
                } catch (NumberFormatException | StringIndexOutOfBoundsException ignored) {
                    return e;
                }
            }
            return e;
        }

        private BufferedReader open() throws IOException {
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            if (input == null) {
                return new BufferedReader(new InputStreamReader(System.in, decoder));
            }
            try {
                return new BufferedReader(new InputStreamReader(Files.newInputStream(input), decoder));
            } catch (NoSuchFileException e) {
                throw new GlossaException(input + ": no such file", e);
            }
        }
    }

    // ------------------------------------------------------------------ eval

    @Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "BLEU of a model on a test set, greedy and with beam search: as sacreBLEU computes it by default (13a, mixed"
                        + " case) and tokenised lower-cased, as Multi30k papers report it; sentences per second of each.",
                "Default: the test part of the data set the model was trained on (translate.json in the model directory)."
            })
    static final class Eval implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (a run or a checkpoint).")
        Path model;

        @Option(names = "--split", paramLabel = "test|val", defaultValue = "test", description = "Part of the model's data set (default test).")
        String split;

        @Option(names = "--pairs", arity = "1..2", paramLabel = "FILE", description = "Score these pairs instead: one tab-separated"
                + " file (source, reference) or two line-aligned files.")
        List<Path> pairs;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Only the first N pairs (default 0: all).")
        int limit;

        @Option(names = "--beam", paramLabel = "N", defaultValue = "5", description = "Beam size of the second pass (default 5;"
                + " 1: greedy only).")
        int beam;

        @Option(names = "--alpha", paramLabel = "X", defaultValue = "0.6", description = "GNMT length penalty α (default 0.6).")
        double alpha;

        @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Sentences decoded together (default 64).")
        int batchSize;

        @Option(names = "--precision", paramLabel = "fp32|bf16", defaultValue = "fp32", description = "Arithmetic (default fp32).")
        String precision;

        @Option(names = "--out", paramLabel = "FILE", description = "Also write the scores as JSON.")
        Path jsonOut;

        @Option(names = "--translations", paramLabel = "PREFIX", description = "Write the translations to PREFIX.greedy.txt"
                + " and PREFIX.beam.txt, with the sources and references in PREFIX.source.txt and PREFIX.reference.txt.")
        Path translationsPrefix;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            checkBeam(spec, beam, alpha, batchSize);
            if (limit < 0) {
                throw new ParameterException(spec.commandLine(), "--limit must be >= 0, got " + limit);
            }
            if (!List.of("test", "val").contains(split)) {
                throw new ParameterException(spec.commandLine(), "--split must be test or val, got '" + split + "'");
            }
            TranslationModel translator = TranslationModel.load(model);
            String what;
            List<SentencePair> data;
            if (pairs != null) {
                data = TranslationTraining.readPairs(pairs.stream().map(Path::toString).toList());
                what = String.join(" + ", pairs.stream().map(Path::toString).toList());
            } else {
                TranslationTraining.Options options = TranslationTraining.savedOptions(model);
                DataSplit parts = TranslationTraining.readData(options);
                data = split.equals("test") ? parts.test() : parts.validation();
                what = split + " of " + options.dataset();
                if (data.isEmpty()) {
                    throw new GlossaException("the model's data set has no " + split + " pairs: pass --pairs FILE [FILE]");
                }
            }
            if (limit > 0 && limit < data.size()) {
                data = data.subList(0, limit);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("model: " + model + " (" + translator.describe() + ")");
            out.printf(Locale.ROOT, "%s: %,d sentences, %s%n", what, data.size(), precision);
            out.flush();
            List<SentencePair> scored = data;
            TranslationEvaluation.Scores greedy = withPrecision(precision,
                    () -> TranslationEvaluation.bleu(translator, scored, 1, 0, batchSize, what));
            TranslationEvaluation.Scores beamed = beam > 1 ? withPrecision(precision,
                    () -> TranslationEvaluation.bleu(translator, scored, beam, alpha, batchSize, what)) : null;
            out.printf(Locale.ROOT, "%-18s %10s %14s %12s%n", "decoding", "sacreBLEU", "BLEU tok lc", "sentences/s");
            out.printf(Locale.ROOT, "%-18s %10.2f %14.2f %12.1f%n", "greedy", greedy.sacreBleu().score(),
                    greedy.tokenizedBleu().score(), greedy.sentencesPerSecond());
            String beamLabel = String.format(Locale.ROOT, "beam %d, α %.1f", beam, alpha);
            if (beamed != null) {
                out.printf(Locale.ROOT, "%-18s %10.2f %14.2f %12.1f%n", beamLabel, beamed.sacreBleu().score(),
                        beamed.tokenizedBleu().score(), beamed.sentencesPerSecond());
            }
            out.println("sacreBLEU: " + (beamed != null ? beamed : greedy).sacreBleu() + " " + greedy.sacreBleu().signature());
            out.println("tokenised lower-cased: " + (beamed != null ? beamed : greedy).tokenizedBleu() + " "
                    + greedy.tokenizedBleu().signature());
            if (jsonOut != null) {
                ObjectNode json = HfConfig.mapper().createObjectNode();
                json.put("model", model.toAbsolutePath().toString());
                json.put("data", what);
                json.put("sentences", data.size());
                json.put("precision", precision);
                put(json.putObject("greedy"), greedy);
                if (beamed != null) {
                    ObjectNode node = json.putObject("beam");
                    node.put("beam_size", beam);
                    node.put("alpha", alpha);
                    put(node, beamed);
                }
                HfConfig.write(jsonOut, json);
            }
            if (translationsPrefix != null) {
                // The sources and references beside the translations, line for line, so that they can be read together.
                writeLines(Path.of(translationsPrefix + ".source.txt"), data.stream().map(SentencePair::source).toList());
                writeLines(Path.of(translationsPrefix + ".reference.txt"), data.stream().map(SentencePair::target).toList());
                writeLines(Path.of(translationsPrefix + ".greedy.txt"), greedy.hypotheses());
                if (beamed != null) {
                    writeLines(Path.of(translationsPrefix + ".beam.txt"), beamed.hypotheses());
                }
            }
            out.flush();
            return 0;
        }

        private static void put(ObjectNode node, TranslationEvaluation.Scores scores) {
            node.put("bleu", scores.sacreBleu().score());
            node.put("bleu_signature", scores.sacreBleu().signature());
            node.put("bleu_tok_lc", scores.tokenizedBleu().score());
            node.put("bleu_tok_lc_signature", scores.tokenizedBleu().signature());
            node.put("seconds", scores.seconds());
            node.put("sentences_per_s", scores.sentencesPerSecond());
        }

        private static void writeLines(Path file, List<String> lines) {
            String text = String.join("\n", lines) + "\n";
            AtomicFiles.write(file, temporary -> Files.writeString(temporary, text, StandardCharsets.UTF_8));
        }
    }

    // ------------------------------------------------------------------ attention

    @Command(name = "attention", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Translates one sentence greedily and draws the cross-attention: translation tokens as rows, source tokens"
                        + " as columns. The RNN's attention is one heatmap; the Transformer's a grid of heatmaps, one row"
                        + " per decoder layer and one column per head (--layer and --head pick one)."
            })
    static final class AttentionCommand implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (a run or a checkpoint).")
        Path model;

        @Option(names = "--text", required = true, paramLabel = "TEXT", description = "The sentence to translate.")
        String text;

        @Option(names = "--out", paramLabel = "FILE", defaultValue = "attention.png", description = "Image to write: .png, or"
                + " .svg for a single heatmap (default attention.png).")
        Path out;

        @Option(names = "--layer", paramLabel = "N", description = "Only this decoder layer (from 1).")
        Integer layer;

        @Option(names = "--head", paramLabel = "N", description = "Only this head (from 1).")
        Integer head;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            TranslationModel translator = TranslationModel.load(model);
            TranslationModel.Attention attention = Tensors.inference(() -> translator.attention(TextNormalizer.normalize(text)));
            int heatmaps = AttentionMaps.write(attention, out, layer, head).size();
            PrintWriter printer = spec.commandLine().getOut();
            printer.println(attention.translation());
            printer.printf(Locale.ROOT, "%s: %d heatmap%s of %d translation × %d source tokens%n", out, heatmaps,
                    heatmaps == 1 ? "" : "s", attention.targetTokens().size(), attention.sourceTokens().size());
            printer.flush();
            return 0;
        }
    }
}
