package org.glossa.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.glossa.core.GlossaException;
import org.glossa.nn.Engine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code glossa} command. Subcommands are thin layers over library calls; this class only wires
 * the global options and turns failures into exit codes: 2 for usage errors, 1 for everything else,
 * with one line on standard error unless {@code --verbose} asks for the stack trace.
 */
@Command(name = "glossa",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT, // subcommands get --version too
        versionProvider = Main.Version.class,
        description = "Offline NLP on the JVM.",
        subcommands = {EmbedCommand.class, SimilarCommand.class, ModelCommand.class, TextgenCommand.class, ClassifyCommand.class, PlotCommand.class,
            Word2VecCommand.class, GloveCommand.class, VectorsCommand.class, SquadCommand.class, QaCommand.class, TranslateCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    private boolean verbose;
    private Integer threads;

    // Setters rather than fields: inherited options keep writing here when given after a subcommand.
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of errors.")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    @Option(names = "--threads", paramLabel = "N", scope = ScopeType.INHERIT,
            description = "Threads for libtorch (default: $GLOSSA_THREADS, else all cores).")
    void setThreads(int threads) {
        this.threads = threads;
    }

    public static void main(String[] args) {
        // The tokenizer library logs through SLF4J; without a provider SLF4J warns on every run. Our
        // errors reach the user as exceptions, so the command line silences it unless told otherwise.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        CommandLine commandLine = commandLine();
        // UTF-8 whatever the locale says: results hold non-ASCII text.
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        System.exit(commandLine.execute(args));
    }

    /** A fully configured command line: exit codes, error messages, global options. */
    public static CommandLine commandLine() {
        Main main = new Main();
        CommandLine commandLine = new CommandLine(main);
        commandLine.setUsageHelpAutoWidth(true);
        // "@FILE" is left to the options that read it (glossa qa --context @FILE), not split into arguments.
        commandLine.setExpandAtFiles(false);
        commandLine.setParameterExceptionHandler(Main::usageError);
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> main.failure(exception, command));
        commandLine.setExecutionStrategy(parseResult -> {
            main.applyGlobalOptions(parseResult.commandSpec().commandLine());
            return new CommandLine.RunLast().execute(parseResult);
        });
        return commandLine;
    }

    private void applyGlobalOptions(CommandLine commandLine) {
        if (threads != null) {
            if (threads < 1) {
                throw new ParameterException(commandLine, "--threads must be at least 1, got " + threads);
            }
            // Read when libtorch starts, which no command has done yet.
            System.setProperty(Engine.THREADS_PROPERTY, threads.toString());
        }
    }

    /** Usage errors: picocli's message and a hint, no usage dump. */
    private static int usageError(ParameterException exception, String[] args) {
        CommandLine command = exception.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("glossa: " + exception.getMessage());
        UnmatchedArgumentException.printSuggestions(exception, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Failures while running a command: one line, or the stack trace with {@code --verbose}. */
    private int failure(Exception exception, CommandLine command) {
        PrintWriter err = command.getErr();
        if (exception instanceof GlossaException) {
            err.println("glossa: " + firstLine(exception.getMessage()));
        } else {
            err.println("glossa: internal error: " + exception.getClass().getName() + ": " + firstLine(exception.getMessage())
                    + (verbose ? "" : " (run with --verbose for the stack trace)"));
        }
        if (verbose) {
            exception.printStackTrace(err);
        }
        err.flush();
        return command.getCommandSpec().exitCodeOnExecutionException();
    }

    /** Native libraries put whole backtraces into messages; one line is what the user needs first. */
    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }

    /** {@code glossa --version}: the project version (filtered into a resource at build time) and the JVM. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {
                "glossa " + properties.getProperty("version", "(unknown version)"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
            };
        }
    }
}
