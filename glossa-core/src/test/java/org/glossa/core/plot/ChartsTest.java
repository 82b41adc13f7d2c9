package org.glossa.core.plot;

import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class ChartsTest {
    @TempDir
    Path temp;

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Document svg) {
        NodeList nodes = svg.getElementsByTagName("text");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    @Test
    void niceTicks() {
        Axis unit = Axis.linear(0, 1, 0, 5);
        assertArrayEquals(new String[] {"0", "0.2", "0.4", "0.6", "0.8", "1.0"}, unit.labels);
        assertEquals(0.5, unit.fraction(0.5), 1e-12);
        Axis wide = Axis.linear(-37, 1234, 0, 5);
        assertArrayEquals(new String[] {"0", "200", "400", "600", "800", "1000", "1200"}, wide.labels);
        Axis huge = Axis.linear(0, 3e7, 0, 3);
        assertArrayEquals(new String[] {"0", "1e7", "2e7", "3e7"}, huge.labels);
        Axis tiny = Axis.linear(1e-5, 3e-5, 0, 4);
        assertEquals("1e-5", tiny.labels[0]);
        Axis single = Axis.linear(2, 2, 0, 5); // one value: a range around it
        assertTrue(single.min < 2 && single.max > 2);
        Axis log = Axis.logarithmic(0.01, 100);
        assertTrue(Arrays.asList(log.labels).containsAll(List.of("0.01", "0.1", "1", "10", "100")), Arrays.toString(log.labels));
        assertEquals(0.5, log.fraction(Math.sqrt(log.min * log.max)), 1e-12);
    }

    @Test
    void scatterPlotSvgHoldsEveryPointAndEscapedLabel() throws Exception {
        double[] xs = {0, 1, 2, 3};
        double[] ys = {0, 1, 0, -1};
        List<String> labels = List.of("a<b", "R&D", "\"q\"", "naïve");
        String svg = ScatterPlot.of(xs, ys, labels).title("Words").xLabel("PC1").yLabel("PC2").toSvg();
        Document doc = parse(svg);
        assertEquals(4, doc.getElementsByTagName("circle").getLength());
        List<String> texts = texts(doc);
        assertTrue(texts.containsAll(List.of("a<b", "R&D", "\"q\"", "naïve", "Words", "PC1", "PC2")), texts.toString());
        // The points keep their order along x: circle cx increases with x.
        NodeList circles = doc.getElementsByTagName("circle");
        double previous = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < circles.getLength(); i++) {
            double cx = Double.parseDouble(circles.item(i).getAttributes().getNamedItem("cx").getNodeValue());
            assertTrue(cx > previous);
            previous = cx;
        }
    }

    @Test
    void pngFilesAreWrittenAtomicallyWithTheChartInThem() throws Exception {
        Path png = temp.resolve("map.png");
        ScatterPlot.of(new double[] {0, 1}, new double[] {0, 1}, List.of("x", "y")).size(400, 300).write(png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(400, image.getWidth());
        assertEquals(300, image.getHeight());
        // points are filled with the first palette colour at alpha 220 over white
        Color blended = new Color((220 * 0x1f + 35 * 255) / 255, (220 * 0x77 + 35 * 255) / 255, (220 * 0xb4 + 35 * 255) / 255);
        assertTrue(count(image, blended) > 60, "point colour present");
        try (var files = Files.list(temp)) {
            assertEquals(List.of(png), files.toList(), "no temporary file left");
        }
        Path svg = temp.resolve("map.svg");
        ScatterPlot.of(new double[] {0, 1}, new double[] {0, 1}, null).write(svg);
        assertTrue(Files.readString(svg).startsWith("<?xml"));
        var e = assertThrows(GlossaException.class, () -> ScatterPlot.of(new double[] {0}, new double[] {0}, null)
                .write(temp.resolve("map.jpg")));
        assertTrue(e.getMessage().contains("map.jpg"));
    }

    private static int count(BufferedImage image, Color color) {
        int hits = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                if (Math.abs(c.getRed() - color.getRed()) + Math.abs(c.getGreen() - color.getGreen())
                        + Math.abs(c.getBlue() - color.getBlue()) < 40) {
                    hits++;
                }
            }
        }
        return hits;
    }

    @Test
    void lineChartBreaksAtNaNAndShowsALegend() throws Exception {
        double[] ys = {3, 2, Double.NaN, 1, 0.5};
        Document doc = parse(LineChart.create().series("train", ys).series("validation", new double[] {1, 2}, new double[] {2.5, 1.5})
                .logY(true).toSvg());
        assertEquals(3, doc.getElementsByTagName("polyline").getLength()); // two runs + one
        assertTrue(texts(doc).containsAll(List.of("train", "validation")));
        BufferedImage image = LineChart.create().series("", ys).toImage();
        assertTrue(count(image, Chart.PALETTE[0]) > 100);
        assertThrows(GlossaException.class, () -> LineChart.create().toSvg());
        assertThrows(GlossaException.class, () -> LineChart.create().series("x", new double[] {1}, new double[] {1, 2}));
    }

    @Test
    void heatmapColoursFollowViridis() throws Exception {
        assertEquals(new Color(0x440154), Heatmap.colour(0));
        assertEquals(new Color(0xfde725), Heatmap.colour(1));
        assertEquals(new Color(0x21918c), Heatmap.colour(0.5));
        double[][] values = {{0, 0.25}, {0.75, 1}};
        Document doc = parse(Heatmap.of(values, List.of("q1", "q2"), List.of("k1", "k2")).title("Attention").toSvg());
        List<String> texts = texts(doc);
        assertTrue(texts.containsAll(List.of("q1", "q2", "k1", "k2", "0.25", "0.75", "Attention")), texts.toString());
        BufferedImage image = Heatmap.of(values, null, null).toImage();
        assertTrue(count(image, new Color(0x440154)) > 100);
        assertTrue(count(image, new Color(0xfde725)) > 100);
        assertThrows(GlossaException.class, () -> Heatmap.of(new double[][] {{1, 2}, {3}}, null, null));
        assertThrows(GlossaException.class, () -> Heatmap.of(values, List.of("only one"), null));
    }
}
