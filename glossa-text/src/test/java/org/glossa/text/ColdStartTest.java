package org.glossa.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh JVM with an empty DJL cache and no network: the native tokenizers library is copied out
 * of the DJL jar into DJL_CACHE_DIR and the tokenizer works, with no connection attempted.
 */
@Tag("unit")
class ColdStartTest {

    @TempDir
    Path tempDir;

    @Test
    void coldStartWithAnEmptyCacheNeedsNoNetwork() throws Exception {
        Path cache = Files.createDirectories(tempDir.resolve("djl-cache"));
        Child child = runChild(cache, List.of());
        assertEquals(0, child.exitCode, child.output);
        assertTrue(child.output.contains("IDS [101, 7592, 2088, 102]"), child.output);
        assertTrue(child.output.contains("BLOCKED []"), child.output);
        try (Stream<Path> files = Files.walk(cache.resolve("tokenizers"))) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("libtokenizers")),
                    "native library not extracted into " + cache);
        }
        assertFalse(Files.exists(tempDir.resolve("home").resolve(".djl.ai")),
                "DJL wrote to the home directory instead of DJL_CACHE_DIR");
    }

    /** The guard above can fail: DJL's telemetry ping, when not opted out, is caught by it. */
    @Test
    void theGuardCatchesDjlTelemetryWhenNotOptedOut() throws Exception {
        Path cache = Files.createDirectories(tempDir.resolve("djl-cache"));
        Child child = runChild(cache, List.of("-DOPT_OUT_TRACKING=false"));
        assertTrue(child.output.contains("BLOCKED [169.254.169.254"), child.output);
    }

    private record Child(int exitCode, String output) {
    }

    private Child runChild(Path cache, List<String> extraJvmOptions) throws IOException,
            InterruptedException {
        Path home = Files.createDirectories(tempDir.resolve("home"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.security.manager=allow");
        command.add("-Duser.home=" + home);
        command.addAll(extraJvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ColdStartMain.class.getName());
        command.add(MiniLm.tokenizerJson().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        for (String name : List.of("ENGINE_CACHE_DIR", "DJL_CACHE_DIR", "OPT_OUT_TRACKING", "DJL_OFFLINE")) {
            env.remove(name);
        }
        env.put("DJL_CACHE_DIR", cache.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        return new Child(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
