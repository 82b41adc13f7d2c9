package org.glossa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.glossa.core.GlossaException;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.corpus.TextCorpus;
import org.glossa.embeddings.glove.Glove;
import org.glossa.embeddings.glove.GloveListener;
import org.glossa.embeddings.glove.GloveOptions;
import org.glossa.embeddings.glove.GloveResult;
import org.glossa.embeddings.glove.IterationReport;
import org.glossa.embeddings.glove.OutputMode;
import org.glossa.embeddings.io.VectorFiles;
import org.glossa.embeddings.io.VectorFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code glossa glove}: GloVe vectors (Pennington et al., 2014) through Stanford GloVe's whole pipeline. */
@Command(name = "glove", mixinStandardHelpOptions = true,
        description = "Train GloVe vectors: vocabulary, co-occurrence counts, shuffle, AdaGrad training.",
        subcommands = {GloveCommand.Train.class})
final class GloveCommand {
    /** The stages of {@link Glove#train}, in order. */
    static final List<String> STAGES = List.of("vocabulary", "cooccurrence", "shuffle", "training");

    /** glove.c's {@code -model} numbers. */
    static final class ModelConverter implements CommandLine.ITypeConverter<OutputMode> {
        @Override
        public OutputMode convert(String value) {
            try {
                return OutputMode.ofModel(Integer.parseInt(value.strip()));
            } catch (NumberFormatException | GlossaException e) {
                throw new TypeConversionException("'" + value + "' is not a GloVe output model: use 0 (all parameters), 1 (word"
                        + " vectors), 2 (word + context vectors) or 3 (word and context side by side)");
            }
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Runs GloVe's pipeline as Stanford GloVe's demo.sh runs its four tools (vocab_count, cooccur, shuffle,"
                        + " glove), with the demo's settings by default: min-count 5, window 15 (symmetric, 1/d weights),"
                        + " 50 dimensions, 15 iterations, x-max 10. Each line of the corpus bounds the context windows."
                        + " Every stage shows a progress bar on standard error; each stage's time and each iteration's cost"
                        + " go to standard output.",
                "Threads: the global --threads N (default: $GLOSSA_THREADS, else all cores). To compare with the C tools,"
                        + " feed both the file 'glossa word2vec tokenize' writes.",
                "With --work DIR the stages' files (vocab.txt, cooccurrence.bin, cooccurrence.shuf.bin, checkpoint) stay"
                        + " in DIR; --resume DIR skips the stages already done there and continues from the last checkpoint."
            })
    static final class Train implements Callable<Integer> {
        @Mixin
        Word2VecCommand.CorpusOptions corpus;

        @Mixin
        Word2VecCommand.OutputOptions output;

        @Option(names = {"--dim", "--vector-size"}, paramLabel = "N", defaultValue = "50", description = "Vector dimension (default 50).")
        int dimension;

        @Option(names = {"--window", "--window-size"}, paramLabel = "N", defaultValue = "15",
                description = "Context words on each side (default 15).")
        int window;

        @Option(names = "--symmetric", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Count left and right context (default); --no-symmetric: left only.")
        boolean symmetric;

        @Option(names = "--distance-weighting", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "A pair d words apart adds 1/d (default); --no-distance-weighting: 1.")
        boolean distanceWeighting;

        @Option(names = "--min-count", paramLabel = "N", defaultValue = "5", description = "Drop words seen fewer times (default 5).")
        int minCount;

        @Option(names = "--max-vocab", paramLabel = "N", defaultValue = "0", description = "Keep at most the N most frequent words (default 0: all).")
        int maxVocab;

        @Option(names = "--x-max", paramLabel = "X", defaultValue = "10", description = "Cutoff of the weighting function (default 10, the demo's).")
        double xMax;

        @Option(names = "--alpha", paramLabel = "X", defaultValue = "0.75", description = "Exponent of the weighting function (default 0.75).")
        double alpha;

        @Option(names = "--eta", paramLabel = "X", defaultValue = "0.05", description = "Initial AdaGrad learning rate (default 0.05).")
        double eta;

        @Option(names = "--grad-clip", paramLabel = "X", defaultValue = "100", description = "Clip gradient components to ±X (default 100).")
        double gradClip;

        @Option(names = {"--iter", "--iterations"}, paramLabel = "N", defaultValue = "15", description = "Training passes (default 15, the demo's).")
        int iterations;

        @Option(names = "--memory", paramLabel = "GB",
                description = "Memory for counting and shuffling, as the tools' -memory (default 4, at most half the Java heap).")
        Double memoryGb;

        @Option(names = "--model", paramLabel = "0|1|2|3", defaultValue = "2", converter = ModelConverter.class,
                description = "Output vectors as glove.c's -model: 0 all parameters, 1 word vectors, 2 word + context (default),"
                        + " 3 word and context side by side.")
        OutputMode outputMode;

        @Option(names = "--unk", description = "Add glove.c's <unk> vector (the mean of the rarest words' vectors) to the output.")
        boolean unkVector;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the shuffle and the initial vectors (default 1).")
        long seed;

        @Option(names = "--work", paramLabel = "DIR", description = "Keep the stages' files in DIR (default: a temporary directory, deleted).")
        Path work;

        @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "0",
                description = "Checkpoint the training every N iterations (needs --work or --resume; default 0: never).")
        int checkpointEvery;

        @Option(names = "--resume", paramLabel = "DIR",
                description = "Continue the run whose files are in DIR (its --work): finished stages are skipped, training"
                        + " continues from the last checkpoint. The corpus and settings must be the same.")
        Path resume;

        @Option(names = "--metrics", paramLabel = "FILE.jsonl", description = "Write one JSON line per stage and per iteration.")
        Path metrics;

        @Option(names = "--no-progress", description = "No progress bars.")
        boolean noProgress;

        @Spec
        CommandSpec spec;

        GloveOptions options() {
            if (work != null && resume != null && !work.equals(resume)) {
                throw new ParameterException(spec.commandLine(), "--resume continues in its own directory: drop --work");
            }
            Path directory = resume != null ? resume : work;
            if (checkpointEvery > 0 && directory == null) {
                throw new ParameterException(spec.commandLine(), "--checkpoint-every needs --work DIR to keep the checkpoints in");
            }
            try {
                GloveOptions options = GloveOptions.demo().withMinCount(minCount).withMaxVocab(maxVocab)
                        .withWindowSize(window).withSymmetric(symmetric).withDistanceWeighting(distanceWeighting)
                        .withVectorSize(dimension).withIterations(iterations).withEta(eta).withAlpha(alpha).withXMax(xMax)
                        .withGradClip(gradClip).withThreads(Word2VecCommand.trainingThreads(spec)).withSeed(seed)
                        .withOutputMode(outputMode).withUnkVector(unkVector).withWorkDirectory(directory)
                        .withResume(resume != null).withCheckpointEvery(checkpointEvery).withShowProgress(!noProgress);
                return memoryGb != null ? options.withMemoryGb(memoryGb) : options;
            } catch (GlossaException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        @Override
        public Integer call() {
            GloveOptions options = options();
            VectorFormat format = output.resolve(spec, VectorFormat.GLOVE_TEXT);
            PrintWriter out = spec.commandLine().getOut();
            TextCorpus text = corpus.corpus();
            out.println("corpus: " + text.description() + " (" + Word2VecCommand.formatName(text.format()) + ")");
            out.printf(Locale.ROOT, "settings: min-count %d, window %d (%s, %s), %d dimensions, %d iterations, eta %s, alpha %s,"
                            + " x-max %s, memory %.1f GB, %s%s%n", options.minCount(), options.windowSize(),
                    options.symmetric() ? "symmetric" : "left only", options.distanceWeighting() ? "1/d" : "unweighted",
                    options.vectorSize(), options.iterations(), Word2VecCommand.plain(options.eta()),
                    Word2VecCommand.plain(options.alpha()), Word2VecCommand.plain(options.xMax()),
                    options.memoryBytes() / (double) (1L << 30), Word2VecCommand.threads(options.threads()),
                    options.workDirectory() == null ? "" : (options.resume() ? ", resuming " : ", work directory ")
                            + options.workDirectory());
            out.flush();
            Word2VecCommand.MetricsLog log = new Word2VecCommand.MetricsLog(metrics);
            GloveResult result = Glove.train(text, options, new GloveListener() {
                @Override
                public void stageFinished(String stage, double seconds) {
                    Word2VecCommand.printAbove(out, String.format(Locale.ROOT, "stage %s: %.1f s", stage, seconds));
                    Map<String, Object> record = new LinkedHashMap<>();
                    record.put("stage", stage);
                    record.put("seconds", seconds);
                    log.add(record);
                }

                @Override
                public void iterationFinished(IterationReport report) {
                    Word2VecCommand.printAbove(out, report.toString());
                    Map<String, Object> record = new LinkedHashMap<>();
                    record.put("iteration", report.iteration());
                    record.put("iterations", report.iterations());
                    record.put("cost", report.cost());
                    record.put("records", report.records());
                    record.put("skipped", report.skipped());
                    record.put("seconds", report.seconds());
                    log.add(record);
                }
            });
            KeyedVectors vectors = result.vectors();
            StringBuilder stages = new StringBuilder();
            for (String stage : STAGES) {
                Double seconds = result.stageSeconds().get(stage);
                if (seconds != null) {
                    stages.append(stages.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f s", stage, seconds));
                }
            }
            out.printf(Locale.ROOT, "vocabulary %s words, %s co-occurrence records; total %.1f s (%s)%n",
                    Word2VecCommand.thousands(result.vocabulary().size()), Word2VecCommand.thousands(result.records()),
                    result.seconds(), stages);
            VectorFiles.write(vectors, output.out, format);
            out.printf(Locale.ROOT, "wrote %s vectors × %d to %s (%s)%n", Word2VecCommand.thousands(vectors.size()),
                    vectors.dimension(), output.out, Word2VecCommand.describe(format));
            out.flush();
            return 0;
        }
    }
}
