package org.glossa.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** One in-process run of the glossa command line: its exit code and what it wrote to each stream. */
record CliRun(int exitCode, String out, String err) {
    /** Runs {@code glossa ARGS...} as the launcher would, with the real exit-code and error handling. */
    static CliRun of(String... args) {
        return of(Main.commandLine(), args);
    }

    static CliRun of(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    List<String> errLines() {
        return err.lines().toList();
    }
}
