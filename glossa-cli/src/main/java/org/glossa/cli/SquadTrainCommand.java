package org.glossa.cli;

import static org.glossa.cli.TrainingCommands.flushedLines;
import static org.glossa.cli.TrainingCommands.putGiven;
import static org.glossa.cli.TrainingCommands.refuseOutWithResume;
import static org.glossa.cli.TrainingCommands.stepsReplaceEpochs;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.glossa.core.onnx.MiniLm;
import org.glossa.tasks.squad.SquadTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code glossa squad train}: fine-tunes a BERT encoder for SQuAD 2.0-style question answering. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Fine-tunes a BERT encoder (default: the bundled all-MiniLM-L6-v2) for extractive question answering, as"
                    + " HuggingFace's run_qa does: windows of 384 tokens with stride 128, AdamW at 5e-5 with 10%% warmup and"
                    + " linear decay, batches of 32 windows of similar length, bf16 mixed precision, 2 epochs.",
            "With no options: SQuAD 1.1's training set with the 10 articles of SQuAD 2.0's excerpt in their 2.0 version,"
                    + " plus 0.5 synthetic unanswerable questions per answerable one (half of them the question edited on"
                    + " its own paragraph, a quarter its own paragraph with the sentences holding its answer removed, a"
                    + " quarter another paragraph of its article that does not contain its answer); evaluation on the"
                    + " first 2000 questions"
                    + " of the SQuAD 2.0 dev set at the end of each epoch (exact, f1, best_f1 with its null threshold,"
                    + " HasAns_f1, NoAns_f1); the best checkpoint by best_f1 ends up in runs/squad-<timestamp>.",
            "Ctrl-C (or kill, for a run in the background) writes a checkpoint; --resume continues it exactly."
                    + " The progress line's tok/s are features/s."
        })
final class SquadTrainCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "Encoder (or question-answering model) to start from"
            + " (default: all-MiniLM-L6-v2, imported into $GLOSSA_HOME/models on first use).")
    Path model;

    @Option(names = "--train", paramLabel = "FILE", description = "SQuAD training file (default:"
            + " ../shared/" + SquadTraining.DEFAULT_TRAIN + ").")
    Path train;

    @Option(names = "--train-v2", paramLabel = "FILE|none", description = "SQuAD 2.0 articles that replace their versions in"
            + " --train, matched by title (default with the default --train: ../shared/" + SquadTraining.DEFAULT_TRAIN_V2
            + "; otherwise none).")
    String trainV2;

    @Option(names = "--dev", paramLabel = "FILE|none", description = "Evaluation file (default: ../shared/"
            + SquadTraining.DEFAULT_DEV + "); none: no evaluation.")
    String dev;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/squad-<timestamp>).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN", description = "Continue a run directory (its newest checkpoint) or a checkpoint.")
    Path resume;

    @Option(names = "--negatives", paramLabel = "R", description = "Synthetic unanswerable questions per answerable one"
            + " (default 0.5; 0: none).")
    Double negatives;

    @Option(names = "--negatives-answer-removed", paramLabel = "X", description = "Share of the synthetic unanswerable"
            + " questions made from the question's own paragraph with the sentences holding its answer removed; the others"
            + " pair it with another paragraph of its article (default 0.25).")
    Double negativesAnswerRemoved;

    @Option(names = "--negatives-edited-question", paramLabel = "X", description = "Share of the synthetic unanswerable"
            + " questions made by editing the question on its own paragraph: a name or number swapped for another of the"
            + " article, a word for its opposite, a negated auxiliary (default 0.5; with --negatives-answer-removed at most 1).")
    Double negativesEditedQuestion;

    @Option(names = "--subset", paramLabel = "N", description = "Train on the first N questions after a seeded shuffle (default: all).")
    Integer subset;

    @Option(names = "--max-length", paramLabel = "N", description = "Tokens per window (default 384).")
    Integer maxLength;

    @Option(names = "--stride", paramLabel = "N", description = "Context tokens shared by consecutive windows (default 128).")
    Integer stride;

    @Option(names = "--max-question-length", paramLabel = "N", description = "Questions are cut to N tokens (default 64).")
    Integer maxQuestionLength;

    @Option(names = "--batch-size", paramLabel = "N", description = "Windows per batch (default 32).")
    Integer batchSize;

    @Option(names = "--accumulation", paramLabel = "N", description = "Batches per optimizer step (default 1).")
    Integer accumulation;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training windows (default 2).")
    Double epochs;

    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps, instead of --epochs.")
    Long steps;

    @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate of AdamW (default 5e-5), linear decay.")
    Double learningRate;

    @Option(names = "--warmup-ratio", paramLabel = "X", description = "Share of the steps spent warming up (default 0.1).")
    Double warmupRatio;

    @Option(names = "--weight-decay", paramLabel = "X", description = "Decoupled weight decay, not on biases and LayerNorm (default 0.01).")
    Double weightDecay;

    @Option(names = "--clip", paramLabel = "X", description = "Clip the global gradient norm to X; 0 for none (default 1).")
    Double clip;

    @Option(names = "--precision", paramLabel = "bf16|fp32", description = "bf16: mixed precision with fp32 weights (default bf16).")
    String precision;

    @Option(names = "--eval-every", paramLabel = "N", description = "Evaluate every N steps (default 0: at the end of each epoch).")
    Long evalEvery;

    @Option(names = "--eval-examples", paramLabel = "N", description = "Evaluate on the first N dev questions (default 2000; 0: all).")
    Integer evalExamples;

    @Option(names = "--save-every", paramLabel = "N", description = "Checkpoint every N steps (default 500; the last 2 and the best are kept).")
    Long saveEvery;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the new head, dropout, negatives, subset and batch order (default 42).")
    Long seed;

    @Option(names = "--train-word-embeddings", description = "Fine-tune the word embeddings too (default: frozen, so that"
            + " 'squad pack' can leave them out of the reader and take them from the base model).")
    boolean trainWordEmbeddings;

    @Option(names = "--no-progress", description = "No live progress line.")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    /** The options given on the command line, by their key in squad.json. */
    private Map<String, Object> given() {
        Map<String, Object> given = new LinkedHashMap<>();
        putGiven(given, "model", model == null ? null : model.toString());
        putGiven(given, "freeze_word_embeddings", trainWordEmbeddings ? false : null);
        putGiven(given, "train_file", train == null ? null : train.toString());
        putGiven(given, "train_v2_file", trainV2 == null ? null : noneAsEmpty(trainV2));
        putGiven(given, "dev_file", dev == null ? null : noneAsEmpty(dev));
        putGiven(given, "negatives", negatives);
        putGiven(given, "negatives_answer_removed", negativesAnswerRemoved);
        putGiven(given, "negatives_edited_question", negativesEditedQuestion);
        putGiven(given, "subset", subset);
        putGiven(given, "max_length", maxLength);
        putGiven(given, "stride", stride);
        putGiven(given, "max_question_length", maxQuestionLength);
        putGiven(given, "batch_size", batchSize);
        putGiven(given, "accumulation", accumulation);
        putGiven(given, "epochs", epochs);
        putGiven(given, "max_steps", steps);
        putGiven(given, "learning_rate", learningRate);
        putGiven(given, "warmup_ratio", warmupRatio);
        putGiven(given, "weight_decay", weightDecay);
        putGiven(given, "max_grad_norm", clip);
        putGiven(given, "precision", precision);
        putGiven(given, "eval_every", evalEvery);
        putGiven(given, "eval_examples", evalExamples);
        putGiven(given, "save_every", saveEvery);
        putGiven(given, "seed", seed);
        return given;
    }

    private static String noneAsEmpty(String value) {
        return value.equalsIgnoreCase("none") ? "" : value;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> given = given();
        stepsReplaceEpochs(given, epochs, steps);
        refuseOutWithResume(spec, resume, this.out);
        if (resume != null) {
            SquadTraining.Options options = SquadTraining.savedOptions(resume).with(given);
            out.println("resuming " + resume);
            out.flush();
            SquadTraining.resume(resume, options, !noProgress, flushedLines(out));
        } else {
            Path trainFile = train != null ? train : SquadTraining.sharedFile(SquadTraining.DEFAULT_TRAIN, "--train");
            Path trainV2File = trainV2 != null || train != null ? null
                    : SquadTraining.sharedFile(SquadTraining.DEFAULT_TRAIN_V2, "--train-v2");
            Path devFile = dev != null ? null : SquadTraining.sharedFile(SquadTraining.DEFAULT_DEV, "--dev");
            Path modelDir = model != null ? model : MiniLm.ensureImported();
            SquadTraining.Options options = SquadTraining.Options.defaults(modelDir, trainFile, trainV2File, devFile).with(given);
            Path runDir = this.out != null ? this.out : SquadTraining.defaultRunDir();
            out.println("training into " + runDir);
            out.flush();
            SquadTraining.train(options, runDir, !noProgress, flushedLines(out));
        }
        out.flush();
        return 0;
    }
}
