package org.glossa.core.plot;

import org.glossa.core.GlossaException;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines for one or more series (e.g. training and validation loss by step), with a legend. NaN values
 * break a line; on a log scale, values ≤ 0 do too. Series of at most 40 points also get markers.
 *
 * <pre>{@code
 * LineChart.create().title("Loss").xLabel("step").yLabel("loss").logY(true)
 *         .series("train", steps, trainLoss).series("validation", evalSteps, evalLoss)
 *         .write(Path.of("loss.svg"));
 * }</pre>
 */
public final class LineChart extends XYChart<LineChart> {
    private record Series(String name, double[] xs, double[] ys) {}

    private final List<Series> series = new ArrayList<>();
    private boolean logY;

    private LineChart() {
        super(900, 560);
    }

    public static LineChart create() {
        return new LineChart();
    }

    /** Adds a series; the x values should increase. */
    public LineChart series(String name, double[] xs, double[] ys) {
        if (xs.length != ys.length) {
            throw new GlossaException("line chart series '" + name + "': " + xs.length + " x values, " + ys.length + " y values");
        }
        series.add(new Series(name, xs.clone(), ys.clone()));
        return this;
    }

    /** Adds a series at x = 1, 2, … */
    public LineChart series(String name, double[] ys) {
        double[] xs = new double[ys.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i + 1;
        }
        return series(name, xs, ys);
    }

    /** A logarithmic y axis (loss curves spanning decades). */
    public LineChart logY(boolean log) {
        this.logY = log;
        return this;
    }

    @Override
    void draw(Canvas canvas) {
        if (series.isEmpty()) {
            throw new GlossaException("a line chart needs at least one series");
        }
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.xs().length; i++) {
                if (usable(s.xs()[i], s.ys()[i])) {
                    xMin = Math.min(xMin, s.xs()[i]);
                    xMax = Math.max(xMax, s.xs()[i]);
                    yMin = Math.min(yMin, s.ys()[i]);
                    yMax = Math.max(yMax, s.ys()[i]);
                }
            }
        }
        Axis x = Axis.linear(xMin, xMax, 0.02, 8);
        Axis y = logY ? Axis.logarithmic(yMin, yMax) : Axis.linear(yMin, yMax, 0.05, 7);
        Frame frame = drawFrame(canvas, x, y);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            Color color = PALETTE[k % PALETTE.length];
            double[] px = new double[s.xs().length];
            double[] py = new double[s.xs().length];
            int count = 0;
            for (int i = 0; i <= s.xs().length; i++) {
                boolean ok = i < s.xs().length && usable(s.xs()[i], s.ys()[i]);
                if (ok) {
                    px[count] = frame.px(s.xs()[i]);
                    py[count] = frame.py(s.ys()[i]);
                    count++;
                } else if (count > 0) { // a gap or the end: draw the run so far
                    canvas.polyline(px, py, count, color, 2);
                    if (s.xs().length <= 40) {
                        for (int j = 0; j < count; j++) {
                            canvas.circle(px[j], py[j], 3, color, null);
                        }
                    }
                    count = 0;
                }
            }
        }
        drawLegend(canvas, frame);
    }

    private boolean usable(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0);
    }

    private void drawLegend(Canvas canvas, Frame frame) {
        if (series.size() == 1 && series.get(0).name().isEmpty()) {
            return;
        }
        double widest = 0;
        for (Series s : series) {
            widest = Math.max(widest, Canvas.textWidth(s.name(), TICK_SIZE + 1, false));
        }
        double rowHeight = 18;
        double w = widest + 44;
        double h = series.size() * rowHeight + 10;
        double x0 = frame.right() - w - 10;
        double y0 = frame.top() + 10;
        canvas.rect(x0, y0, w, h, new Color(255, 255, 255, 230), GRID.darker());
        for (int k = 0; k < series.size(); k++) {
            double y = y0 + 5 + rowHeight * k + rowHeight / 2;
            Color color = PALETTE[k % PALETTE.length];
            canvas.line(x0 + 8, y, x0 + 30, y, color, 2.5, false);
            canvas.text(series.get(k).name(), x0 + 36, y + (TICK_SIZE + 1) * 0.35, TICK_SIZE + 1, TEXT,
                    Canvas.Anchor.START, false, 0);
        }
    }
}
