package org.glossa.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.jsonl: valid JSON lines (checked with Jackson's strict parser), truncation on resume. */
@Tag("unit")
class MetricsLogTest {
    @Test
    void writesOneStrictJsonObjectALineWithNullForNonFiniteValues(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.create(file)) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("step", 1L);
            line.put("loss", 2.5);
            line.put("grad_norm", Double.NaN);
            log.write(line);
            Map<String, Object> eval = new LinkedHashMap<>(); // Map.of's order changes from one JVM to the next
            eval.put("step", 2L);
            eval.put("val_loss", 1.25);
            log.write(eval);
        }
        List<String> raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(List.of("{\"step\":1,\"loss\":2.5,\"grad_norm\":null}", "{\"step\":2,\"val_loss\":1.25}"), raw);
    }

    @Test
    void resumingDropsTheLinesOfStepsThatWillBeRedoneAndACutLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, "{\"step\":1,\"loss\":3}\n{\"step\":2,\"loss\":2}\n{\"step\":2,\"val_loss\":2.5}\n"
                + "{\"step\":3,\"loss\":1}\n{\"step\":4,\"lo", StandardCharsets.UTF_8);
        try (MetricsLog log = MetricsLog.resume(file, 2)) {
            log.write(Map.of("step", 3L, "loss", 1.5));
        }
        List<JsonNode> lines = MetricsLog.read(file);
        assertEquals(List.of(1L, 2L, 2L, 3L), lines.stream().map(l -> l.get("step").asLong()).toList());
        assertEquals(1.5, lines.get(3).get("loss").asDouble());
        assertTrue(MetricsLog.read(dir.resolve("absent.jsonl")).isEmpty());
    }
}
