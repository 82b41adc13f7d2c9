package org.glossa.nn;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@link EngineSmokeMain} in a fresh JVM (same java, the tests' classpath), as a cold start needs. */
final class ChildJvm {
    record Result(int exitCode, String stdout, String stderr) {
        List<String> lines(String prefix) {
            return stdout.lines().filter(line -> line.startsWith(prefix + " "))
                    .map(line -> line.substring(prefix.length() + 1)).toList();
        }

        String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + tail(stderr);
        }

        private static String tail(String text) {
            return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
        }
    }

    private ChildJvm() {}

    /** Runs the smoke program with these extra JVM options and environment variables; waits up to 5 minutes. */
    static Result runSmoke(List<String> jvmOptions, Map<String, String> environment, Path workDir)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(jvmOptions);
        command.add(EngineSmokeMain.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        File out = workDir.resolve("child-stdout.txt").toFile();
        File err = workDir.resolve("child-stderr.txt").toFile();
        builder.redirectOutput(out).redirectError(err);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("child JVM did not finish in 5 minutes: " + command);
        }
        return new Result(process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    }
}
