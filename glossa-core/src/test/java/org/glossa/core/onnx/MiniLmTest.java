package org.glossa.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.glossa.core.GlossaHome;
import org.glossa.core.HfConfig;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.SafeTensorsFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("model")
class MiniLmTest {

    @Test
    void glossaHomeDefaultsToTheCacheAndFollowsTheEnvironment() {
        assertEquals(Path.of("/home/ada/.cache/glossa"), GlossaHome.dir(Map.of(), "/home/ada"));
        assertEquals(Path.of("/data/glossa"), GlossaHome.dir(Map.of("GLOSSA_HOME", "/data/glossa"), "/home/ada"));
        assertEquals(Path.of("/home/ada/.cache/glossa"), GlossaHome.dir(Map.of("GLOSSA_HOME", " "), "/home/ada"));
        Path expected = GlossaHome.dir(System.getenv(), System.getProperty("user.home"))
                .resolve("models").resolve("all-MiniLM-L6-v2");
        assertEquals(expected, MiniLm.defaultModelDir());
    }

    @Test
    void concurrentFirstUsesImportOnceAndLaterUsesReuseIt(@TempDir Path home) throws Exception {
        Path modelDir = home.resolve("models").resolve("all-MiniLM-L6-v2");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                results.add(pool.submit((Callable<Path>) () -> MiniLm.ensureImported(modelDir)));
            }
            for (Future<Path> result : results) {
                assertEquals(modelDir, result.get());
            }
        } finally {
            pool.shutdown();
        }
        // Only the model directory and the lock file: no temporary leftovers.
        try (var entries = Files.list(modelDir.getParent())) {
            assertEquals(List.of(".all-MiniLM-L6-v2.lock", "all-MiniLM-L6-v2"),
                    entries.map(p -> p.getFileName().toString()).sorted().toList());
        }

        JsonNode config = HfConfig.read(modelDir);
        assertEquals(12, config.get("num_attention_heads").asInt());
        assertEquals(6, config.get("num_hidden_layers").asInt());
        assertArrayEquals(OnnxBertImporterTest.resource(MiniLm.TOKENIZER_RESOURCE),
                Files.readAllBytes(modelDir.resolve("tokenizer.json")));
        try (SafeTensorsFile weights = SafeTensors.open(modelDir.resolve("model.safetensors"))) {
            assertEquals(101, weights.names().size());
            assertArrayEquals(new long[] {1536, 384}, weights.get("encoder.layer.5.intermediate.dense.weight").shape());
        }

        // A later use finds the directory and leaves it alone.
        Path weightsFile = modelDir.resolve("model.safetensors");
        FileTime written = Files.getLastModifiedTime(weightsFile);
        Files.setLastModifiedTime(weightsFile, FileTime.fromMillis(written.toMillis() - 60_000));
        FileTime marked = Files.getLastModifiedTime(weightsFile);
        assertEquals(modelDir, MiniLm.ensureImported(modelDir));
        assertEquals(marked, Files.getLastModifiedTime(weightsFile));
        assertTrue(MiniLm.isComplete(modelDir));
    }
}
