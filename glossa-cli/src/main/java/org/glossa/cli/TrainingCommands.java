package org.glossa.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.glossa.core.GlossaException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What the training commands ({@code textgen train}, {@code squad train}, {@code classify train},
 * {@code translate train}) do alike with their options. Each declares its own options (their help gives that
 * task's defaults) and collects the ones given into a map keyed as the task's options file, which the task's
 * {@code Options.with} applies over the defaults or over the saved options of a resumed run.
 */
final class TrainingCommands {
    /** Where runs go by default, under the working directory. */
    static final Path RUNS = Path.of("runs");

    private TrainingCommands() {}

    /**
     * The newest run in {@code runsDir} ({@link #RUNS} for the commands) whose name starts with {@code prefix} and
     * that holds all of {@code files} (run names end in a sortable timestamp); null when there is none.
     */
    static Path newestRun(Path runsDir, String prefix, List<String> files) {
        if (!Files.isDirectory(runsDir)) {
            return null;
        }
        try (Stream<Path> runs = Files.list(runsDir)) {
            return runs.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> files.stream().allMatch(f -> Files.isRegularFile(p.resolve(f))))
                    .max(Comparator.comparing((Path p) -> p.getFileName().toString()))
                    .orElse(null);
        } catch (IOException e) {
            throw new GlossaException("cannot list " + runsDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** Records a setting given on the command line; null means not given, so the default (or saved value) stays. */
    static void putGiven(Map<String, Object> given, String key, Object value) {
        if (value != null) {
            given.put(key, value);
        }
    }

    /** --steps without --epochs: the steps alone bound the run, instead of the default number of epochs. */
    static void stepsReplaceEpochs(Map<String, Object> given, Double epochs, Long steps) {
        if (steps != null && epochs == null) {
            given.put("epochs", 0.0);
        }
    }

    /** A resumed run writes on into its own directory, so --out cannot go with --resume. */
    static void refuseOutWithResume(CommandSpec spec, Path resume, Path out) {
        if (resume != null && out != null) {
            throw new ParameterException(spec.commandLine(), "--resume writes on into the run it continues: drop --out");
        }
    }

    /** Prints each line of a task's log as it comes, flushed, so that it shows between progress lines. */
    static Consumer<String> flushedLines(PrintWriter out) {
        return line -> {
            out.println(line);
            out.flush();
        };
    }
}
