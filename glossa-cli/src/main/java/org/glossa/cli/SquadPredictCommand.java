package org.glossa.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.glossa.models.bert.SentenceEmbedder;
import org.glossa.tasks.squad.QaFeatureOptions;
import org.glossa.tasks.squad.QaPostprocess;
import org.glossa.tasks.squad.SquadDataset;
import org.glossa.tasks.squad.SquadExample;
import org.glossa.tasks.squad.SquadPredictor;
import org.glossa.tasks.squad.SquadTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code glossa squad predict}: answers every question of a SQuAD file with a fine-tuned model. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Answers every question of a SQuAD v1.1 or v2.0 file with a question-answering model and writes predictions.json,"
                    + " nbest_predictions.json and null_odds.json (HF run_qa's files) into --out; when the file has gold"
                    + " answers, also the official SQuAD 2.0 scores (scores.json, printed as a table).",
            "An answer is \"\" (no answer) when the [CLS] score beats the best span's by more than --null-threshold."
        })
final class SquadPredictCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "Question-answering model directory: a run of 'glossa squad"
            + " train' or a reader of 'glossa squad pack' (default: the shipped reader).")
    Path model;

    @Option(names = "--data", paramLabel = "FILE", description = "SQuAD file to answer (default: ../shared/"
            + SquadTraining.DEFAULT_DEV + ").")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the files go (default: runs/squad-predict-<timestamp>).")
    Path out;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Only the first N questions (default: all).")
    int limit;

    @Option(names = "--precision", paramLabel = "fp32|bf16", defaultValue = "fp32", converter = ModelOption.PrecisionConverter.class,
            description = "Matrix products in fp32 (default) or bf16 (faster on CPUs with AMX or AVX512-BF16).")
    SentenceEmbedder.Precision precision;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Windows per batch (default 64).")
    int batchSize;

    @Option(names = "--null-threshold", paramLabel = "X", description = "Say \"no answer\" when null score - best span score > X"
            + " (default: a reader's tuned threshold, 0 for a model directory; a training run logs best_f1_thresh).")
    Double nullThreshold;

    @Option(names = "--n-best", paramLabel = "N", defaultValue = "20", description = "Candidates kept per question (default 20).")
    int nBest;

    @Option(names = "--max-answer-length", paramLabel = "N", defaultValue = "30", description = "Longest answer in tokens (default 30).")
    int maxAnswerLength;

    @Option(names = "--max-length", paramLabel = "N", defaultValue = "384", description = "Tokens per window (default 384).")
    int maxLength;

    @Option(names = "--stride", paramLabel = "N", defaultValue = "128", description = "Context tokens shared by consecutive windows (default 128).")
    int stride;

    @Option(names = "--max-question-length", paramLabel = "N", defaultValue = "64", description = "Questions are cut to N tokens (default 64).")
    int maxQuestionLength;

    @Option(names = "--no-progress", description = "No progress bars.")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (limit < 0 || batchSize < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be >= 0 and --batch-size >= 1");
        }
        if (nullThreshold != null && Double.isNaN(nullThreshold)) {
            throw new ParameterException(spec.commandLine(), "--null-threshold must be a number");
        }
        if (out != null && Files.isRegularFile(out)) {
            throw new ParameterException(spec.commandLine(), "--out must name a directory, but " + out + " is a file");
        }
        QaFeatureOptions features = new QaFeatureOptions(maxLength, stride, maxQuestionLength);
        Path dataFile = data != null ? data : SquadTraining.sharedFile(SquadTraining.DEFAULT_DEV, "--data");
        List<SquadExample> examples = SquadDataset.read(dataFile, false);
        if (limit > 0 && limit < examples.size()) {
            examples = examples.subList(0, limit);
        }
        Path modelDir = QaCommand.modelDir(model);
        SquadPredictor predictor = SquadPredictor.load(modelDir, features, batchSize, precision);
        QaPostprocess.Options postprocess = new QaPostprocess.Options(nBest, maxAnswerLength, true,
                nullThreshold != null ? nullThreshold : predictor.nullThreshold());
        SquadPredictor.Prediction prediction = predictor.predict(examples, postprocess, !noProgress);
        Path outDir = out != null ? out
                : Path.of("runs", "squad-predict-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        SquadPredictor.write(prediction, outDir);
        PrintWriter printer = spec.commandLine().getOut();
        printer.printf(Locale.ROOT, "%,d questions of %s in %,d windows, %.1f s (%.1f windows/s, %s)%n", examples.size(), dataFile,
                prediction.features(), prediction.seconds(), prediction.features() / prediction.seconds(),
                precision.name().toLowerCase(Locale.ROOT));
        if (prediction.scores() != null) {
            SquadCommand.Eval.printTable(printer, prediction.scores());
        }
        printer.println("predictions.json, nbest_predictions.json, null_odds.json" + (prediction.scores() != null ? ", "
                + SquadPredictor.SCORES_FILE : "") + " written to " + outDir);
        printer.flush();
        return 0;
    }
}
