package org.glossa.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.glossa.core.AtomicFiles;
import org.glossa.core.onnx.MiniLm;
import org.glossa.tasks.squad.ReaderPackage;
import org.glossa.tasks.squad.SquadDataset;
import org.glossa.tasks.squad.SquadEvaluation;
import org.glossa.tasks.squad.SquadExample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code glossa squad}: extractive question answering on SQuAD. A plain container: each subcommand is a
 * nested class listed below.
 */
@Command(name = "squad", mixinStandardHelpOptions = true,
        description = "Extractive question answering on SQuAD v1.1 / v2.0.",
        subcommands = {SquadCommand.Eval.class, SquadTrainCommand.class, SquadPredictCommand.class, SquadCommand.Pack.class})
final class SquadCommand {

    // ------------------------------------------------------------------ eval

    @Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Scores a predictions file (question id -> answer, \"\" for no answer) as the official SQuAD 2.0"
                        + " script evaluate-v2.0.py does, and prints its JSON, then a table.",
                "With --na-probs (e.g. the null_odds.json of a prediction run) also the best exact match and F1"
                        + " over no-answer thresholds (best_exact, best_f1 and their thresholds)."
            })
    static final class Eval implements Callable<Integer> {
        @Option(names = "--data", required = true, paramLabel = "DEV.json",
                description = "SQuAD v1.1 or v2.0 file with the gold answers (e.g. ../shared/data/squad2/dev-v2.0.reconstructed.json).")
        Path data;

        @Option(names = "--predictions", required = true, paramLabel = "PRED.json",
                description = "Predictions: one JSON object of question id to answer text.")
        Path predictions;

        @Option(names = "--na-probs", paramLabel = "NULL_ODDS.json",
                description = "No-answer probability (or null odds) per question id.")
        Path naProbs;

        @Option(names = "--na-prob-thresh", paramLabel = "X", defaultValue = "1.0",
                description = "Score a question as answered \"\" where its no-answer probability exceeds X (default 1.0).")
        double naProbThreshold;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Also write the JSON to FILE, as the script's --out-file writes it (one line).")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (out != null && Files.isDirectory(out)) {
                throw new ParameterException(spec.commandLine(), "--out must name a file, but " + out + " is a directory");
            }
            if (Double.isNaN(naProbThreshold)) {
                throw new ParameterException(spec.commandLine(), "--na-prob-thresh must be a number");
            }
            List<SquadExample> dataset = SquadDataset.read(data);
            Map<String, String> predicted = SquadEvaluation.readPredictions(predictions);
            Map<String, Double> probabilities = naProbs == null ? null : SquadEvaluation.readNaProbs(naProbs);
            SquadEvaluation.Scores scores = SquadEvaluation.evaluate(dataset, predicted, probabilities, naProbThreshold);
            if (out != null) {
                AtomicFiles.write(out, temporary -> Files.writeString(temporary, scores.toJsonLine(), StandardCharsets.UTF_8));
            }
            PrintWriter printer = spec.commandLine().getOut();
            printer.println(scores.toJson());
            printer.println();
            printTable(printer, scores);
            printer.flush();
            return 0;
        }

        static void printTable(PrintWriter printer, SquadEvaluation.Scores scores) {
            printer.println("               exact       f1  questions");
            printRow(printer, "all", scores.all());
            printRow(printer, "has answer", scores.hasAns());
            printRow(printer, "no answer", scores.noAns());
            SquadEvaluation.Best best = scores.best();
            if (best != null) {
                printer.println(String.format(Locale.ROOT, "%-10s  %8.3f %8.3f  (thresholds %s and %s)", "best", best.exact(),
                        best.f1(), threshold(best.exactThreshold()), threshold(best.f1Threshold())));
            }
        }

        private static void printRow(PrintWriter printer, String name, SquadEvaluation.Part part) {
            if (part != null) {
                printer.println(String.format(Locale.ROOT, "%-10s  %8.3f %8.3f  %9d", name, part.exact(), part.f1(), part.total()));
            }
        }

        private static String threshold(double value) {
            return String.format(Locale.ROOT, "%.4g", value);
        }
    }

    // ------------------------------------------------------------------ pack

    @Command(name = "pack", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Packs a fine-tuned question-answering model as a compact reader: every weight but the word embeddings in"
                        + " 16 bits, the word embeddings taken from " + MiniLm.MODEL_NAME + " when loaded"
                        + " (checked by sha256), the null threshold to predict with, and a model card README.md.",
                "Example: glossa squad pack --model runs/squad-RUN/best --out reader --null-threshold -1.2"
            })
    static final class Pack implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "DIR", description = "Fine-tuned question-answering model directory.")
        Path model;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Reader directory to write (replaced).")
        Path out;

        @Option(names = "--null-threshold", paramLabel = "X", defaultValue = "0.0",
                description = "The no-answer threshold the reader predicts with (e.g. best_f1_thresh of 'glossa squad eval'; default 0).")
        double nullThreshold;

        @Option(names = "--training-data", paramLabel = "TEXT", defaultValue = "not stated",
                description = "For the model card: what the model was trained on.")
        String trainingData;

        @Option(names = "--steps", paramLabel = "N", defaultValue = "-1", description = "For the model card: optimizer steps.")
        long steps;

        @Option(names = "--scores", paramLabel = "TEXT", defaultValue = "not measured",
                description = "For the model card: its scores (e.g. \"SQuAD 2.0 dev: EM 62.1, F1 65.3\").")
        String scores;

        @Option(names = "--limitations", paramLabel = "TEXT", defaultValue = "",
                description = "For the model card: what the reader does not do well (a section of its own).")
        String limitations;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!Double.isFinite(nullThreshold)) {
                throw new ParameterException(spec.commandLine(), "--null-threshold must be a finite number");
            }
            ReaderPackage.Packed packed = ReaderPackage.pack(model, out,
                    new ReaderPackage.Options(nullThreshold, trainingData, steps, scores, limitations));
            PrintWriter printer = spec.commandLine().getOut();
            printer.println(String.format(Locale.ROOT, "wrote %s: %s weights (%,d bytes) without word embeddings;"
                    + " fine-tuned word embeddings differ from the base's by at most %.3g (RMS %.3g)", out, packed.dtype(),
                    packed.weightBytes(), packed.embeddingDriftMaxAbs(), packed.embeddingDriftRms()));
            printer.flush();
            return 0;
        }
    }
}
