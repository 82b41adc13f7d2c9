package org.glossa.core.plot;

import org.glossa.core.GlossaException;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * Points with optional text labels (e.g. a 2-D PCA map of words). Labels are placed beside their point
 * where they overlap neither other labels nor points, when such a place exists.
 *
 * <pre>{@code ScatterPlot.of(xs, ys, words).title("Word map").xLabel("PC1").yLabel("PC2").write(Path.of("map.png"));}</pre>
 */
public final class ScatterPlot extends XYChart<ScatterPlot> {
    private static final double POINT_RADIUS = 4;
    private static final double POINT_LABEL_SIZE = 12;

    private final double[] xs;
    private final double[] ys;
    private final List<String> labels;
    private int[] groups;

    private ScatterPlot(double[] xs, double[] ys, List<String> labels) {
        super(900, 700);
        this.xs = xs.clone();
        this.ys = ys.clone();
        this.labels = labels == null ? null : List.copyOf(labels);
    }

    /** Points (xs[i], ys[i]) labelled {@code labels[i]} (labels may be null: no labels). */
    public static ScatterPlot of(double[] xs, double[] ys, List<String> labels) {
        if (xs.length != ys.length || (labels != null && labels.size() != xs.length)) {
            throw new GlossaException("scatter plot: " + xs.length + " x values, " + ys.length + " y values"
                    + (labels == null ? "" : ", " + labels.size() + " labels"));
        }
        checkFinite(xs, "scatter plot x values");
        checkFinite(ys, "scatter plot y values");
        return new ScatterPlot(xs, ys, labels);
    }

    /** Colours points by group (0, 1, … index the palette). */
    public ScatterPlot groups(int[] groupOfPoint) {
        if (groupOfPoint.length != xs.length) {
            throw new GlossaException("scatter plot: " + groupOfPoint.length + " groups for " + xs.length + " points");
        }
        this.groups = groupOfPoint.clone();
        return this;
    }

    @Override
    void draw(Canvas canvas) {
        Axis x = Axis.linear(min(xs), max(xs), labels == null ? 0.05 : 0.12, 8);
        Axis y = Axis.linear(min(ys), max(ys), 0.08, 7);
        Frame frame = drawFrame(canvas, x, y);
        int n = xs.length;
        double[] px = new double[n];
        double[] py = new double[n];
        for (int i = 0; i < n; i++) {
            px[i] = frame.px(xs[i]);
            py[i] = frame.py(ys[i]);
        }
        for (int i = 0; i < n; i++) {
            Color color = PALETTE[groups == null ? 0 : Math.floorMod(groups[i], PALETTE.length)];
            canvas.circle(px[i], py[i], POINT_RADIUS, new Color(color.getRed(), color.getGreen(), color.getBlue(), 220),
                    color.darker());
        }
        if (labels != null) {
            placeLabels(canvas, frame, px, py);
        }
    }

    /** Tries eight spots around each point (right first) and takes the first free one, or the least crowded. */
    private void placeLabels(Canvas canvas, Frame frame, double[] px, double[] py) {
        List<double[]> taken = new ArrayList<>(); // boxes: x0, y0, x1, y1
        for (int i = 0; i < px.length; i++) {
            taken.add(new double[] {px[i] - POINT_RADIUS, py[i] - POINT_RADIUS, px[i] + POINT_RADIUS, py[i] + POINT_RADIUS});
        }
        double h = POINT_LABEL_SIZE;
        double gap = POINT_RADIUS + 3;
        for (int i = 0; i < px.length; i++) {
            String label = labels.get(i);
            if (label.isEmpty()) {
                continue;
            }
            double w = Canvas.textWidth(label, POINT_LABEL_SIZE, false);
            // (box left, baseline) candidates: E, NE, SE, W, NW, SW, N, S
            double[][] spots = {
                {px[i] + gap, py[i] + h * 0.35}, {px[i] + gap, py[i] - gap}, {px[i] + gap, py[i] + gap + h * 0.8},
                {px[i] - gap - w, py[i] + h * 0.35}, {px[i] - gap - w, py[i] - gap}, {px[i] - gap - w, py[i] + gap + h * 0.8},
                {px[i] - w / 2, py[i] - gap - 1}, {px[i] - w / 2, py[i] + gap + h},
            };
            double[] best = null;
            double bestOverlap = Double.POSITIVE_INFINITY;
            for (double[] spot : spots) {
                double[] box = {spot[0], spot[1] - h * 0.8, spot[0] + w, spot[1] + h * 0.25};
                double overlap = 0;
                for (int t = 0; t < taken.size(); t++) {
                    if (t != i) {
                        overlap += overlap(box, taken.get(t));
                    }
                }
                if (box[0] < frame.left() || box[2] > frame.right() || box[1] < frame.top() || box[3] > frame.bottom()) {
                    overlap += 1e6; // outside the frame: only as a last resort
                }
                if (overlap < bestOverlap) {
                    bestOverlap = overlap;
                    best = box;
                }
                if (overlap == 0) {
                    break;
                }
            }
            taken.add(best);
            canvas.text(label, best[0], best[1] + h * 0.8, POINT_LABEL_SIZE, TEXT, Canvas.Anchor.START, false, 0);
        }
    }

    private static double overlap(double[] a, double[] b) {
        double w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        return w > 0 && h > 0 ? w * h : 0;
    }

    static double min(double[] values) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                m = Math.min(m, v);
            }
        }
        return m;
    }

    static double max(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                m = Math.max(m, v);
            }
        }
        return m;
    }
}
