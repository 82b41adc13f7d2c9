package org.glossa.core.plot;

import org.glossa.core.GlossaException;

import java.awt.Color;
import java.util.List;
import java.util.Locale;

/**
 * A matrix as coloured cells (viridis) with row and column labels and a colour bar, e.g. attention
 * weights with queries as rows and keys as columns. Small matrices get their values written in the cells.
 *
 * <pre>{@code Heatmap.of(weights, targetTokens, sourceTokens).title("Attention").xLabel("source").yLabel("target").write(path);}</pre>
 */
public final class Heatmap extends Chart<Heatmap> {
    /** Viridis at eleven evenly spaced points (matplotlib's colour map values); colours in between are interpolated. */
    private static final int[] VIRIDIS = {
        0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c, 0x22a884, 0x44bf70, 0x7ad151, 0xbddf26, 0xfde725,
    };
    private static final double CELL_LABEL_SIZE = 12;

    private final double[][] values;
    private final List<String> rowLabels;
    private final List<String> columnLabels;
    private double low;
    private double high;
    private Boolean annotate;
    private String xLabel = "";
    private String yLabel = "";

    private Heatmap(double[][] values, List<String> rowLabels, List<String> columnLabels) {
        super(100, 100);
        this.values = values;
        this.rowLabels = rowLabels;
        this.columnLabels = columnLabels;
        low = Double.POSITIVE_INFINITY;
        high = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    low = Math.min(low, v);
                    high = Math.max(high, v);
                }
            }
        }
        if (!(high >= low)) {
            low = 0;
            high = 1;
        }
        autoSize();
    }

    /**
     * @param values (rows, columns)
     * @param rowLabels one per row, or null for 1, 2, …
     * @param columnLabels one per column, or null for 1, 2, …
     */
    public static Heatmap of(double[][] values, List<String> rowLabels, List<String> columnLabels) {
        if (values.length == 0 || values[0].length == 0) {
            throw new GlossaException("a heatmap needs at least one row and one column");
        }
        int columns = values[0].length;
        double[][] copy = new double[values.length][];
        for (int r = 0; r < values.length; r++) {
            if (values[r].length != columns) {
                throw new GlossaException("heatmap row " + r + " has " + values[r].length + " values, row 0 has " + columns);
            }
            copy[r] = values[r].clone();
        }
        List<String> rows = rowLabels != null ? List.copyOf(rowLabels) : numbers(values.length);
        List<String> cols = columnLabels != null ? List.copyOf(columnLabels) : numbers(columns);
        if (rows.size() != values.length || cols.size() != columns) {
            throw new GlossaException("heatmap of " + values.length + " × " + columns + " has " + rows.size()
                    + " row labels and " + cols.size() + " column labels");
        }
        return new Heatmap(copy, rows, cols);
    }

    private static List<String> numbers(int n) {
        return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(Integer::toString).toList();
    }

    /** The values at the two ends of the colour scale (default: the data's minimum and maximum). */
    public Heatmap range(double low, double high) {
        if (!(high > low)) {
            throw new GlossaException("heatmap range needs low < high, got " + low + " and " + high);
        }
        this.low = low;
        this.high = high;
        return this;
    }

    /** Writes each value in its cell (default: when the matrix has at most 15 × 15 cells). */
    public Heatmap annotate(boolean annotate) {
        this.annotate = annotate;
        return this;
    }

    public Heatmap xLabel(String label) {
        this.xLabel = label == null ? "" : label;
        autoSize();
        return this;
    }

    public Heatmap yLabel(String label) {
        this.yLabel = label == null ? "" : label;
        autoSize();
        return this;
    }

    @Override
    public Heatmap title(String title) {
        super.title(title);
        autoSize();
        return this;
    }

    private double cell() {
        int most = Math.max(values.length, values[0].length);
        return Math.max(6, Math.min(44, 640.0 / most));
    }

    /** Layout widths around the grid: row labels, column labels, colour bar. */
    private double rowLabelWidth() {
        double w = 0;
        for (String label : rowLabels) {
            w = Math.max(w, Canvas.textWidth(label, TICK_SIZE, false));
        }
        return w;
    }

    private boolean rotate() {
        double widest = 0;
        for (String label : columnLabels) {
            widest = Math.max(widest, Canvas.textWidth(label, TICK_SIZE, false));
        }
        return widest > cell() - 4;
    }

    private double columnLabelHeight() {
        if (!rotate()) {
            return TICK_SIZE + 8;
        }
        double widest = 0;
        for (String label : columnLabels) {
            widest = Math.max(widest, Canvas.textWidth(label, TICK_SIZE, false));
        }
        return widest * Math.sin(Math.toRadians(45)) + TICK_SIZE + 8;
    }

    private void autoSize() {
        double cell = cell();
        double left = 20 + (yLabel.isEmpty() ? 0 : LABEL_SIZE + 10) + rowLabelWidth() + 8;
        double top = (title.isEmpty() ? 16 : 48) + (xLabel.isEmpty() ? 0 : LABEL_SIZE + 10) + columnLabelHeight();
        width = (int) Math.ceil(left + values[0].length * cell + 100);
        height = (int) Math.ceil(top + values.length * cell + 30);
        width = Math.max(width, 240);
        height = Math.max(height, 160);
    }

    @Override
    void draw(Canvas canvas) {
        double top = drawTitle(canvas);
        double cell = Math.min(cell(), Math.min((canvas.width - 100 - 28 - rowLabelWidth()) / values[0].length,
                (canvas.height - top - 30 - columnLabelHeight()) / values.length));
        if (!xLabel.isEmpty()) {
            top += LABEL_SIZE + 10;
        }
        double gridTop = top + columnLabelHeight();
        double left = 20 + (yLabel.isEmpty() ? 0 : LABEL_SIZE + 10) + rowLabelWidth() + 8;
        int rows = values.length;
        int columns = values[0].length;
        boolean writeValues = annotate != null ? annotate : rows <= 15 && columns <= 15 && cell >= 28;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                double v = values[r][c];
                Color color = Double.isFinite(v) ? colour((v - low) / (high - low)) : new Color(0xdddddd);
                // Cells overlap their right and lower neighbours by a fraction of a pixel: anti-aliased
                // edges of abutting rectangles would otherwise show thin light seams in the PNG.
                double overlapX = c + 1 < columns ? 0.6 : 0;
                double overlapY = r + 1 < rows ? 0.6 : 0;
                canvas.rect(left + c * cell, gridTop + r * cell, cell + overlapX, cell + overlapY, color, null);
                if (writeValues && Double.isFinite(v)) {
                    double luminance = 0.2126 * color.getRed() + 0.7152 * color.getGreen() + 0.0722 * color.getBlue();
                    canvas.text(String.format(Locale.ROOT, "%.2f", v), left + (c + 0.5) * cell,
                            gridTop + (r + 0.5) * cell + CELL_LABEL_SIZE * 0.35, Math.min(CELL_LABEL_SIZE, cell * 0.32),
                            luminance > 140 ? TEXT : Color.WHITE, Canvas.Anchor.MIDDLE, false, 0);
                }
            }
        }
        canvas.rect(left, gridTop, columns * cell, rows * cell, null, AXIS);
        // With small cells only every k-th label fits.
        int rowStride = (int) Math.ceil((TICK_SIZE + 1) / cell);
        int columnStride = (int) Math.ceil((rotate() ? TICK_SIZE + 2 : 0) / cell);
        for (int r = 0; r < rows; r += rowStride) {
            canvas.text(rowLabels.get(r), left - 6, gridTop + (r + 0.5) * cell + TICK_SIZE * 0.35, TICK_SIZE, TEXT,
                    Canvas.Anchor.END, false, 0);
        }
        boolean rotate = rotate();
        for (int c = 0; c < columns; c += Math.max(1, columnStride)) {
            double x = left + (c + 0.5) * cell;
            if (rotate) {
                canvas.text(columnLabels.get(c), x, gridTop - 6, TICK_SIZE, TEXT, Canvas.Anchor.START, false, 45);
            } else {
                canvas.text(columnLabels.get(c), x, gridTop - 6, TICK_SIZE, TEXT, Canvas.Anchor.MIDDLE, false, 0);
            }
        }
        if (!xLabel.isEmpty()) {
            canvas.text(xLabel, left + columns * cell / 2, top - 6 - (LABEL_SIZE + 10) + LABEL_SIZE, LABEL_SIZE, TEXT,
                    Canvas.Anchor.MIDDLE, false, 0);
        }
        if (!yLabel.isEmpty()) {
            canvas.text(yLabel, 20 + LABEL_SIZE * 0.8, gridTop + rows * cell / 2, LABEL_SIZE, TEXT, Canvas.Anchor.MIDDLE,
                    false, 90);
        }
        drawColourBar(canvas, left + columns * cell + 24, gridTop, Math.max(60, Math.min(rows * cell, 400)));
    }

    private void drawColourBar(Canvas canvas, double x, double y, double h) {
        int steps = 64;
        double w = 14;
        for (int i = 0; i < steps; i++) {
            double t = 1 - (i + 0.5) / steps;
            canvas.rect(x, y + h * i / steps, w, h / steps + 0.5, colour(t), null);
        }
        canvas.rect(x, y, w, h, null, AXIS);
        Axis axis = Axis.linear(low, high, 0, 5);
        for (int i = 0; i < axis.ticks.length; i++) {
            double f = (axis.ticks[i] - low) / (high - low);
            if (f < -1e-9 || f > 1 + 1e-9) {
                continue;
            }
            double ty = y + h * (1 - f);
            canvas.line(x + w, ty, x + w + 4, ty, AXIS, 1, false);
            canvas.text(axis.labels[i], x + w + 7, ty + TICK_SIZE * 0.35, TICK_SIZE, TEXT, Canvas.Anchor.START, false, 0);
        }
    }

    /** Viridis at t in [0, 1] (clamped). */
    static Color colour(double t) {
        t = Math.max(0, Math.min(1, t));
        double position = t * (VIRIDIS.length - 1);
        int i = (int) Math.min(VIRIDIS.length - 2, Math.floor(position));
        double f = position - i;
        Color a = new Color(VIRIDIS[i]);
        Color b = new Color(VIRIDIS[i + 1]);
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }
}
