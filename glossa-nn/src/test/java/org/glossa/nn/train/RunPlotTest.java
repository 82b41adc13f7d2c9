package org.glossa.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** loss.png from a hand-written metrics.jsonl. */
@Tag("unit")
class RunPlotTest {
    private static final String METRICS = """
            {"step":10,"epoch":0.1,"loss":4.0,"lr":0.001,"grad_norm":2.0,"tokens_per_s":1000.0,"wall_s":1.0}
            {"step":20,"epoch":0.2,"loss":3.0,"lr":0.001,"grad_norm":null,"tokens_per_s":1000.0,"wall_s":2.0}
            {"step":20,"epoch":0.2,"val_loss":3.5,"val_perplexity":33.1,"wall_s":2.5}
            {"step":30,"epoch":0.3,"loss":null,"lr":0.001,"wall_s":3.0}
            {"step":40,"epoch":0.4,"loss":2.0,"lr":0.001,"wall_s":4.0}
            {"step":40,"epoch":0.4,"val_loss":2.8,"val_perplexity":16.4,"wall_s":4.5}
            """;

    @Test
    void trainingAndValidationLossesBecomeTwoCurves() {
        Map<String, List<double[]>> curves = RunPlot.curves(MetricsLog.read(write(METRICS)));
        assertEquals(List.of("loss", "val_loss"), List.copyOf(curves.keySet()));
        assertArrayEquals(new double[] {10, 4.0}, curves.get("loss").get(0));
        assertEquals(3, curves.get("loss").size()); // the null at step 30 leaves no point
        assertArrayEquals(new double[] {40, 2.8}, curves.get("val_loss").get(1));
    }

    @Test
    void writesAPngBesideTheMetrics(@TempDir Path runDir) throws Exception {
        Files.writeString(runDir.resolve("metrics.jsonl"), METRICS, StandardCharsets.UTF_8);
        Path image = RunPlot.plotRun(runDir);
        assertEquals(runDir.resolve("loss.png"), image);
        BufferedImage png = ImageIO.read(image.toFile());
        assertTrue(png.getWidth() > 100 && png.getHeight() > 100);
        // Something was drawn: more than a handful of distinct colours (lines, text, legend).
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int x = 0; x < png.getWidth(); x += 3) {
            for (int y = 0; y < png.getHeight(); y += 3) {
                colours.add(png.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 5, colours.size() + " colours");
    }

    @Test
    void aDirectoryWithoutMetricsIsNamed(@TempDir Path runDir) throws Exception {
        GlossaException missing = assertThrows(GlossaException.class, () -> RunPlot.plotRun(runDir));
        assertTrue(missing.getMessage().contains("metrics.jsonl"), missing.getMessage());
        Files.writeString(runDir.resolve("metrics.jsonl"), "{\"step\":1,\"lr\":0.1}\n");
        GlossaException empty = assertThrows(GlossaException.class, () -> RunPlot.plotRun(runDir));
        assertTrue(empty.getMessage().contains("no loss"), empty.getMessage());
    }

    private static Path write(String text) {
        try {
            Path file = Files.createTempFile("metrics", ".jsonl");
            file.toFile().deleteOnExit();
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
