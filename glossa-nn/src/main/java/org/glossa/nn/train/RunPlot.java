package org.glossa.nn.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glossa.core.GlossaException;
import org.glossa.core.plot.LineChart;

/**
 * The loss curves of a run: training loss by step (each metrics line's mean since the previous one) and
 * every evaluation metric whose name contains {@code loss} (e.g. {@code val_loss}), read from the run's
 * {@code metrics.jsonl} and drawn as {@code loss.png} beside it. The y axis turns logarithmic when the
 * losses span a factor of 10 or more. {@code glossa plot RUN_DIR} calls {@link #plotRun}.
 */
public final class RunPlot {
    public static final String FILE_NAME = "loss.png";

    private RunPlot() {}

    /** Draws {@code loss.png} in {@code runDir} from its {@code metrics.jsonl}; returns the image's path. */
    public static Path plotRun(Path runDir) {
        Path metrics = runDir.resolve(MetricsLog.FILE_NAME);
        if (!Files.isRegularFile(metrics)) {
            throw new GlossaException(runDir + ": no " + MetricsLog.FILE_NAME + " (not a training run directory?)");
        }
        Map<String, List<double[]>> curves = curves(MetricsLog.read(metrics));
        if (curves.isEmpty()) {
            throw new GlossaException(metrics + ": no loss values to plot yet");
        }
        LineChart chart = LineChart.create().title("Loss: " + runDir.toAbsolutePath().normalize().getFileName())
                .xLabel("step").yLabel("loss");
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (var entry : curves.entrySet()) {
            List<double[]> points = entry.getValue();
            double[] steps = new double[points.size()];
            double[] values = new double[points.size()];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = points.get(i)[0];
                values[i] = points.get(i)[1];
                if (Double.isFinite(values[i])) {
                    min = Math.min(min, values[i]);
                    max = Math.max(max, values[i]);
                }
            }
            chart.series(entry.getKey().equals("loss") ? "train loss" : entry.getKey(), steps, values);
        }
        chart.logY(min > 0 && max / min >= 10);
        Path image = runDir.resolve(FILE_NAME);
        chart.writePng(image);
        return image;
    }

    /**
     * The curves by metric name ({@code loss} first, then the evaluation losses in order of appearance), each
     * a list of (step, value). Lines without a finite number for a metric leave no point.
     */
    static Map<String, List<double[]>> curves(List<JsonNode> lines) {
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        curves.put("loss", new ArrayList<>());
        for (JsonNode line : lines) {
            if (!line.path("step").isNumber()) {
                continue;
            }
            double step = line.get("step").asDouble();
            for (Iterator<String> names = line.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (name.contains("loss") && line.get(name).isNumber()) {
                    curves.computeIfAbsent(name, key -> new ArrayList<>()).add(new double[] {step, line.get(name).asDouble()});
                }
            }
        }
        curves.values().removeIf(List::isEmpty);
        return curves;
    }

    /** {@link #plotRun} at the end of training: nothing to plot is not an error, and a failing plot only warns. */
    static void plotRunIfPossible(Path runDir) {
        if (curves(MetricsLog.read(runDir.resolve(MetricsLog.FILE_NAME))).isEmpty()) {
            return;
        }
        try {
            plotRun(runDir);
        } catch (RuntimeException e) {
            System.err.println("glossa: warning: could not draw " + runDir.resolve(FILE_NAME) + ": " + e.getMessage());
        }
    }
}
