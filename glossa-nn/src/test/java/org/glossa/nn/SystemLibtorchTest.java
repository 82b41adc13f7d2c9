package org.glossa.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting while another libtorch is visible to the dynamic loader, as when a distribution package
 * (Debian's python3-torch) installs one system-wide.
 *
 * <p>We build stand-ins for {@code libc10.so}, {@code libtorch_cpu.so} and {@code libtorch.so} with the same
 * sonames, whose only code is a constructor that prints a marker and exits with status 86, and put their
 * directory on {@code LD_LIBRARY_PATH}, which the loader searches before libtorch's RUNPATH ($ORIGIN) and
 * before the linker cache. If the loader ever resolves a libtorch dependency by searching, it finds a stub
 * and the child dies with that status. A machine with python3-torch installed shows the same bug in the wild.
 */
@Tag("model")
class SystemLibtorchTest {
    static final int STUB_EXIT = 86;
    static final List<String> STUBS = List.of("libc10.so", "libtorch_cpu.so", "libtorch.so");

    @Test
    void coldAndWarmStartsIgnoreAConflictingLibtorch(@TempDir Path stubs, @TempDir Path cache, @TempDir Path work)
            throws Exception {
        buildStubs(stubs);
        Map<String, String> env = Map.of("LD_LIBRARY_PATH", stubs.toString());
        List<String> options = List.of("-Dorg.bytedeco.javacpp.cachedir=" + cache);

        ChildJvm.Result cold = ChildJvm.runSmoke(options, env, work);
        assertStartedCleanly(cold, cache);

        ChildJvm.Result warm = ChildJvm.runSmoke(options, env, work);
        assertStartedCleanly(warm, cache);
    }

    @Test
    void withoutOurLoadOrderTheStubIsPicked(@TempDir Path stubs, @TempDir Path cache, @TempDir Path work)
            throws Exception {
        buildStubs(stubs);
        List<String> options = List.of("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        // Fill the cache first (a correct start), so the failure below is not about extraction.
        assertStartedCleanly(ChildJvm.runSmoke(options, Map.of(), work), cache);

        ChildJvm.Result plain = ChildJvm.runSmoke(
                List.of("-Dorg.bytedeco.javacpp.cachedir=" + cache, "-D" + Engine.PLAIN_LOAD_PROPERTY + "=true"),
                Map.of("LD_LIBRARY_PATH", stubs.toString()), work);

        assertEquals(STUB_EXIT, plain.exitCode(), plain::describe);
        assertTrue(plain.stderr().contains("GLOSSA-STUB libtorch_cpu.so loaded"), plain::describe);
    }

    private static void assertStartedCleanly(ChildJvm.Result result, Path cache) throws Exception {
        assertEquals(0, result.exitCode(), result::describe);
        assertFalse(result.stderr().contains("GLOSSA-STUB"), result::describe);
        assertEquals(List.of(ColdStartTest.EXPECTED_PRODUCT), result.lines("MATMUL"), result::describe);
        ColdStartTest.assertLibtorchOnlyFrom(cache, result);
    }

    /** Compiles one stub shared object per name into {@code dir}; fails the test when gcc is missing. */
    static void buildStubs(Path dir) throws IOException, InterruptedException {
        Path source = dir.resolve("stub.c");
        Files.writeString(source, """
                #include <stdio.h>
                #include <unistd.h>
                __attribute__((constructor)) static void glossa_stub_loaded(void) {
                    fprintf(stderr, "GLOSSA-STUB %s loaded\\n", STUB_NAME);
                    fflush(stderr);
                    _exit(86);
                }
                """);
        for (String name : STUBS) {
            List<String> command = List.of("gcc", "-shared", "-fPIC", "-DSTUB_NAME=\"" + name + "\"",
                    "-Wl,-soname," + name, "-o", dir.resolve(name).toString(), source.toString());
            Process gcc;
            try {
                gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                fail("this test builds stub libtorch libraries with gcc, which is not installed ("
                        + e.getMessage() + "); install gcc (Debian: apt-get install gcc)");
                return;
            }
            String output = new String(gcc.getInputStream().readAllBytes());
            assertEquals(0, gcc.waitFor(), "gcc failed for " + name + ": " + output);
        }
    }
}
