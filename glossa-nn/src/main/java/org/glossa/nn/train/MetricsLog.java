package org.glossa.nn.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;

/**
 * {@code metrics.jsonl}: one JSON object a line, flushed as written, so that a crash loses nothing and
 * other tools can follow the run. Training lines carry {@code step, epoch, loss, lr, grad_norm, tokens_per_s,
 * wall_s}; evaluation lines {@code step, epoch}, the evaluator's metrics and {@code wall_s}. Values that are
 * not finite numbers are written as {@code null} (JSON has no NaN).
 */
public final class MetricsLog implements AutoCloseable {
    public static final String FILE_NAME = "metrics.jsonl";

    private final Path file;
    private final BufferedWriter out;

    private MetricsLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Starts an empty log (replacing any previous one). */
    static MetricsLog create(Path file) {
        return open(file, List.of());
    }

    /**
     * Continues the log of a resumed run: lines of steps after {@code step} (written after the checkpoint by
     * the interrupted run, and about to be redone) are dropped.
     */
    static MetricsLog resume(Path file, long step) {
        List<String> kept = new ArrayList<>();
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    JsonNode node;
                    try {
                        node = Json.MAPPER.readTree(line);
                    } catch (IOException e) {
                        continue; // a line cut short by a crash: it belongs to a step that will be redone
                    }
                    if (node != null && node.path("step").asLong(Long.MAX_VALUE) <= step) {
                        kept.add(line);
                    }
                }
            } catch (IOException e) {
                throw new GlossaException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
            }
        }
        return open(file, kept);
    }

    private static MetricsLog open(Path file, List<String> firstLines) {
        AtomicFiles.write(file, temporary -> Files.write(temporary, firstLines, StandardCharsets.UTF_8));
        try {
            return new MetricsLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new GlossaException("cannot write " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** Appends one line. */
    void write(Map<String, ?> values) {
        Map<String, Object> clean = new LinkedHashMap<>();
        values.forEach((key, value) -> clean.put(key, value instanceof Double d && !Double.isFinite(d) ? null : value));
        try {
            out.write(Json.line(clean));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new GlossaException("cannot write " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new GlossaException("cannot write " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** Every line of a metrics file, parsed; an empty list when there is no file. */
    public static List<JsonNode> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<JsonNode> lines = new ArrayList<>();
        try {
            int number = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    lines.add(Json.MAPPER.readTree(line));
                } catch (IOException e) {
                    throw new GlossaException(file + ": line " + number + " is not JSON");
                }
            }
        } catch (IOException e) {
            throw new GlossaException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
        return lines;
    }
}
