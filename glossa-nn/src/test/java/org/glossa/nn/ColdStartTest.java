package org.glossa.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A first run on a machine: JavaCPP's cache is empty and every native library is extracted from the jars. */
@Tag("model")
class ColdStartTest {
    /** [[1,2,3],[4,5,6]] × [[7,8],[9,10],[11,12]] = [[58,64],[139,154]], row-major. */
    static final String EXPECTED_PRODUCT = "58.0 64.0 139.0 154.0";

    @Test
    void startsWithAnEmptyCacheAndLoadsLibtorchFromIt(@TempDir Path cache, @TempDir Path work) throws Exception {
        ChildJvm.Result result = ChildJvm.runSmoke(
                List.of("-Dorg.bytedeco.javacpp.cachedir=" + cache), Map.of(), work);

        assertEquals(0, result.exitCode(), result::describe);
        assertEquals(List.of(EXPECTED_PRODUCT), result.lines("MATMUL"), result::describe);
        assertLibtorchOnlyFrom(cache, result);
    }

    /** Every mapped libtorch/libc10 file lies in this cache, and libtorch_cpu.so is among them. */
    static void assertLibtorchOnlyFrom(Path cache, ChildJvm.Result result) throws Exception {
        String cacheDir = cache.toRealPath().toString() + File.separator;
        List<String> mapped = result.lines("MAPPED");
        assertTrue(mapped.stream().anyMatch(path -> path.endsWith("/libtorch_cpu.so")), result::describe);
        for (String path : mapped) {
            assertTrue(path.startsWith(cacheDir), "libtorch file from outside the cache " + cacheDir + ": " + path);
        }
        // The cache really was cold: the child extracted libtorch into it.
        try (Stream<Path> files = Files.walk(cache)) {
            assertFalse(files.filter(file -> file.getFileName().toString().equals("libtorch_cpu.so")).toList().isEmpty(),
                    "libtorch_cpu.so was not extracted into " + cache);
        }
    }
}
