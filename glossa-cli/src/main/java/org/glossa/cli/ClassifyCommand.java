package org.glossa.cli;

import static org.glossa.cli.TrainingCommands.flushedLines;
import static org.glossa.cli.TrainingCommands.putGiven;
import static org.glossa.cli.TrainingCommands.stepsReplaceEpochs;

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
import java.util.stream.Collectors;
import org.glossa.core.GlossaException;
import org.glossa.core.onnx.MiniLm;
import org.glossa.nn.train.TrainConfig.Precision;
import org.glossa.tasks.classify.ClassificationData;
import org.glossa.tasks.classify.ClassificationData.Columns;
import org.glossa.tasks.classify.ClassificationData.Format;
import org.glossa.tasks.classify.ClassifyTraining;
import org.glossa.tasks.classify.Example;
import org.glossa.tasks.classify.TextClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code glossa classify}: fine-tune BERT for sentence classification, evaluate it, predict with it. Needs a subcommand. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Fine-tune a BERT encoder to classify sentences (CoLA by default), evaluate it, predict with it.",
        subcommands = {ClassifyCommand.Train.class, ClassifyCommand.Eval.class, ClassifyCommand.Predict.class})
final class ClassifyCommand {
    /** The newest complete classifier under {@code runs/classify-*}, for eval and predict without --model. */
    static Path newestModel() {
        Path newest = TrainingCommands.newestRun(TrainingCommands.RUNS, "classify-", List.of("config.json", "model.safetensors", "tokenizer.json"));
        if (newest != null) {
            return newest;
        }
        throw new GlossaException("no trained classifier in " + TrainingCommands.RUNS.toAbsolutePath()
                + ": train one with 'glossa classify train', or pass --model DIR");
    }

    static Precision precision(String value, CommandSpec spec) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "fp32" -> Precision.FP32;
            case "bf16" -> Precision.BF16;
            default -> throw new ParameterException(spec.commandLine(), "--precision must be fp32 or bf16, got '" + value + "'");
        };
    }

    /** The options that say how to read a data file. */
    static final class DataOptions {
        @Option(names = "--format", paramLabel = "cola|tsv|csv|jsonl",
                description = "File format (default: by the file name; a .tsv without a header is read as CoLA).")
        String format;

        @Option(names = "--text-column", paramLabel = "NAME", description = "Column (JSON key) of the text (default text).")
        String textColumn;

        @Option(names = "--pair-column", paramLabel = "NAME", description = "Column of a second text, for text pairs.")
        String pairColumn;

        @Option(names = "--label-column", paramLabel = "NAME", description = "Column of the label (default label).")
        String labelColumn;

        @Option(names = "--label-separator", paramLabel = "S",
                description = "Multi-label TSV/CSV: separates the labels of a cell (default ,).")
        String labelSeparator;

        Format parsedFormat() {
            return format == null ? null : Format.parse(format);
        }

        Columns columns(boolean multiLabel) {
            return new Columns(textColumn, pairColumn, labelColumn, multiLabel, labelSeparator);
        }
    }

    // ------------------------------------------------------------------ train

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Fine-tunes a BERT encoder with a new classification head: AdamW (lr 5e-5, eps 1e-8, weight decay 0.01"
                        + " except biases and LayerNorm), 10%% linear warmup then linear decay, batches of 32 texts of"
                        + " similar length, 4 epochs, clipping at 1.0, bf16 mixed precision; [CLS] pooling when the encoder"
                        + " has a trained pooler, else mean pooling. Scores the dev set after every"
                        + " epoch (MCC, accuracy, per-label precision/recall/F1, confusion matrix) and keeps the best model by"
                        + " MCC as an HF directory.",
                "With no options: all-MiniLM-L6-v2 on CoLA (../shared/data/cola/raw/in_domain_train.tsv, dev"
                        + " in_domain_dev.tsv), saved in runs/classify-<timestamp>."
            })
    static final class Train implements Callable<Integer> {
        @Option(names = "--train", paramLabel = "FILE", description = "Training data (default: CoLA's in-domain train set).")
        Path train;

        @Option(names = "--dev", paramLabel = "FILE", description = "Development data, scored every epoch (default: CoLA's in-domain dev set).")
        Path dev;

        @picocli.CommandLine.Mixin
        DataOptions data = new DataOptions();

        @Option(names = "--multi-label", description = "Each text may have any number of labels (sigmoid per label, binary cross-entropy).")
        boolean multiLabel;

        @Option(names = "--model", paramLabel = "DIR",
                description = "Encoder to fine-tune, an HF BERT directory with tokenizer.json (default: all-MiniLM-L6-v2).")
        Path model;

        @Option(names = "--pooling", paramLabel = "auto|cls|mean",
                description = "Sentence vector: [CLS] through the pooler (new when the encoder has none), or the mean of the tokens;"
                        + " auto (default): cls when the encoder has a trained pooler, else mean (all-MiniLM-L6-v2 has none).")
        String pooling;

        @Option(names = "--classifier-dropout", paramLabel = "P", description = "Dropout before the classifier (default: the encoder's hidden dropout).")
        Double classifierDropout;

        @Option(names = "--max-length", paramLabel = "N", description = "Cut texts to N tokens (default: the model's maximum); the count of cut texts is reported.")
        Integer maxLength;

        @Option(names = "--batch-size", paramLabel = "N", description = "Texts per batch (default 32).")
        Integer batchSize;

        @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training data (default 4).")
        Double epochs;

        @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps, instead of --epochs.")
        Long steps;

        @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate (default 5e-5).")
        Double learningRate;

        @Option(names = "--adam-epsilon", paramLabel = "X", description = "AdamW's epsilon (default 1e-8).")
        Double adamEpsilon;

        @Option(names = "--weight-decay", paramLabel = "X", description = "Decoupled weight decay, not on biases and LayerNorm (default 0.01).")
        Double weightDecay;

        @Option(names = "--warmup-ratio", paramLabel = "X", description = "Share of the steps for linear warmup (default 0.1).")
        Double warmupRatio;

        @Option(names = "--clip", paramLabel = "X", description = "Clip the global gradient norm to X; 0 for none (default 1).")
        Double clip;

        @Option(names = "--precision", paramLabel = "fp32|bf16", description = "bf16: mixed precision with fp32 weights (default bf16).")
        String precision;

        @Option(names = "--freeze-embeddings", description = "Do not train the embeddings.")
        boolean freezeEmbeddings;

        @Option(names = "--freeze-layers", paramLabel = "N", description = "Do not train the bottom N encoder layers.")
        Integer freezeLayers;

        @Option(names = "--freeze-encoder", description = "Train only the head (pooler and classifier).")
        boolean freezeEncoder;

        @Option(names = "--seed", paramLabel = "N", description = "Seed of the new weights, dropout and data order (default 42).")
        Long seed;

        @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/classify-<timestamp>).")
        Path out;

        @Option(names = "--no-progress", description = "No live progress line.")
        boolean noProgress;

        @Spec
        CommandSpec spec;

        /** The options given on the command line, by their key in classify.json. */
        Map<String, Object> given() {
            Map<String, Object> given = new LinkedHashMap<>();
            putGiven(given, "format", data.format == null ? null : data.parsedFormat().key());
            putGiven(given, "text_column", data.textColumn);
            putGiven(given, "pair_column", data.pairColumn);
            putGiven(given, "label_column", data.labelColumn);
            putGiven(given, "label_separator", data.labelSeparator);
            putGiven(given, "multi_label", multiLabel ? true : null);
            putGiven(given, "pooling", pooling);
            putGiven(given, "classifier_dropout", classifierDropout);
            putGiven(given, "max_length", maxLength);
            putGiven(given, "batch_size", batchSize);
            putGiven(given, "epochs", epochs);
            putGiven(given, "max_steps", steps);
            putGiven(given, "learning_rate", learningRate);
            putGiven(given, "adam_epsilon", adamEpsilon);
            putGiven(given, "weight_decay", weightDecay);
            putGiven(given, "warmup_ratio", warmupRatio);
            putGiven(given, "max_grad_norm", clip);
            putGiven(given, "precision", precision);
            putGiven(given, "freeze_embeddings", freezeEmbeddings ? true : null);
            putGiven(given, "freeze_layers", freezeLayers);
            putGiven(given, "freeze_encoder", freezeEncoder ? true : null);
            putGiven(given, "seed", seed);
            return given;
        }

        @Override
        public Integer call() {
            if (pooling != null && !List.of("auto", "cls", "mean").contains(pooling.toLowerCase(Locale.ROOT))) {
                throw new ParameterException(spec.commandLine(), "--pooling must be auto, cls or mean, got '" + pooling + "'");
            }
            if (precision != null) {
                precision(precision, spec);
            }
            if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
                throw new ParameterException(spec.commandLine(), "--out " + out + " is a file, not a directory");
            }
            Map<String, Object> given = given();
            stepsReplaceEpochs(given, epochs, steps);
            Path trainFile = train != null ? train : ClassifyTraining.sharedFile(ClassifyTraining.COLA_TRAIN);
            Path devFile = dev != null ? dev : ClassifyTraining.sharedFile(ClassifyTraining.COLA_DEV);
            Path modelDir = model != null ? model : MiniLm.ensureImported();
            ClassifyTraining.Options options = ClassifyTraining.Options.defaults(trainFile, devFile, modelDir).with(given);
            Path runDir = out != null ? out : ClassifyTraining.defaultRunDir();
            PrintWriter printer = spec.commandLine().getOut();
            printer.println("training into " + runDir);
            printer.flush();
            ClassifyTraining.train(options, runDir, !noProgress, flushedLines(printer));
            return 0;
        }
    }

    // ------------------------------------------------------------------ eval

    @Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Scores a classifier on labelled data: MCC, accuracy, per-label precision/recall/F1, confusion matrix.")
    static final class Eval implements Callable<Integer> {
        @Option(names = "--model", paramLabel = "DIR", description = "Classifier directory (default: the newest runs/classify-*).")
        Path model;

        @Option(names = "--data", paramLabel = "FILE", description = "Labelled data (default: CoLA's in-domain dev set).")
        Path data;

        @picocli.CommandLine.Mixin
        DataOptions format = new DataOptions();

        @Option(names = "--precision", paramLabel = "fp32|bf16", defaultValue = "fp32", description = "Matrix-product precision (default fp32).")
        String precision;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Precision chosen = precision(precision, spec);
            Path modelDir = model != null ? model : newestModel();
            Path file = data != null ? data : ClassifyTraining.sharedFile(ClassifyTraining.COLA_DEV);
            TextClassifier classifier = TextClassifier.load(modelDir, chosen);
            List<Example> examples = ClassificationData.read(file, format.parsedFormat(),
                    format.columns(classifier.model().head.multiLabel())).examples();
            TextClassifier.Evaluation evaluation = classifier.evaluate(examples);
            PrintWriter out = spec.commandLine().getOut();
            out.println("model: " + modelDir + " (labels: " + classifier.labels() + ")");
            out.printf(Locale.ROOT, "data: %s, %d of %d examples truncated to %d tokens; loss %.4f%n", file,
                    evaluation.truncated(), examples.size(), classifier.featurizer().maxLength(), evaluation.loss());
            out.println(evaluation.metrics().report());
            out.flush();
            return 0;
        }
    }

    // ------------------------------------------------------------------ predict

    @Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Classifies each line of FILE (or of standard input) and prints the label and its probability,"
                        + " tab-separated, one line per input line.",
                "Multi-label models print the predicted labels and their probabilities, comma-separated ((none) and the"
                        + " best probability when no label reaches 0.5)."
            })
    static final class Predict implements Callable<Integer> {
        /** Lines classified together: output keeps up with a stream, and memory stays bounded. */
        static final int CHUNK = 256;

        @Parameters(arity = "0..1", paramLabel = "FILE", description = "UTF-8 text, one input a line (default: standard input).")
        Path file;

        @Option(names = "--model", paramLabel = "DIR", description = "Classifier directory (default: the newest runs/classify-*).")
        Path model;

        @Option(names = "--pairs", description = "Each line holds two texts separated by a tab (for models trained on pairs).")
        boolean pairs;

        @Option(names = "--precision", paramLabel = "fp32|bf16", defaultValue = "fp32", description = "Matrix-product precision (default fp32).")
        String precision;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Precision chosen = precision(precision, spec);
            String source = file == null ? "stdin" : file.toString();
            TextClassifier classifier = TextClassifier.load(model != null ? model : newestModel(), chosen);
            PrintWriter out = spec.commandLine().getOut();
            try (BufferedReader reader = open()) {
                List<Example> chunk = new ArrayList<>();
                int number = 0;
                for (String line = readLine(reader, source); line != null; line = readLine(reader, source)) {
                    number++;
                    chunk.add(example(line, source + ":" + number));
                    if (chunk.size() == CHUNK) {
                        print(classifier, chunk, out);
                        chunk.clear();
                    }
                }
                if (!chunk.isEmpty()) {
                    print(classifier, chunk, out);
                }
            }
            out.flush();
            return 0;
        }

        private Example example(String line, String where) {
            if (!pairs) {
                return Example.unlabelled(line, where);
            }
            int tab = line.indexOf('\t');
            if (tab < 0) {
                throw new GlossaException(where + ": no tab between the two texts of the pair (--pairs)");
            }
            return new Example(line.substring(0, tab), line.substring(tab + 1), List.of(), where);
        }

        private static void print(TextClassifier classifier, List<Example> chunk, PrintWriter out) {
            boolean multiLabel = classifier.model().head.multiLabel();
            for (TextClassifier.Prediction prediction : classifier.predict(chunk)) {
                if (!multiLabel) {
                    out.printf(Locale.ROOT, "%s\t%.4f%n", prediction.label(), prediction.probability());
                } else if (prediction.predicted().isEmpty()) {
                    out.printf(Locale.ROOT, "(none)\t%.4f%n", prediction.probability());
                } else {
                    List<String> labels = classifier.labels().names();
                    String probabilities = prediction.predicted().stream()
                            .map(label -> String.format(Locale.ROOT, "%.4f", prediction.probabilities()[labels.indexOf(label)]))
                            .collect(Collectors.joining(","));
                    out.println(String.join(",", prediction.predicted()) + "\t" + probabilities);
                }
            }
            out.flush();
        }

        private BufferedReader open() throws IOException {
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            if (file == null) {
                return new BufferedReader(new InputStreamReader(System.in, decoder));
            }
            try {
                return new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder));
            } catch (NoSuchFileException e) {
                throw new GlossaException(file + ": no such file", e);
            }
        }

        private static String readLine(BufferedReader reader, String source) {
            try {
                return reader.readLine();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new GlossaException(source + ": not UTF-8 text", e);
            } catch (IOException e) {
                throw new GlossaException(source + ": cannot read: " + e.getMessage(), e);
            }
        }
    }
}
