package org.glossa.core.plot;

/** What scatter plots and line charts share: axis labels, the plot area, the grid, ticks and frame. */
public abstract class XYChart<SELF extends XYChart<SELF>> extends Chart<SELF> {
    String xLabel = "";
    String yLabel = "";

    XYChart(int width, int height) {
        super(width, height);
    }

    @SuppressWarnings("unchecked")
    public SELF xLabel(String label) {
        this.xLabel = label == null ? "" : label;
        return (SELF) this;
    }

    @SuppressWarnings("unchecked")
    public SELF yLabel(String label) {
        this.yLabel = label == null ? "" : label;
        return (SELF) this;
    }

    /** The plot area in pixels, and the axes that map values into it. */
    record Frame(double left, double top, double right, double bottom, Axis x, Axis y) {
        double px(double value) {
            return left + x.fraction(value) * (right - left);
        }

        double py(double value) {
            return bottom - y.fraction(value) * (bottom - top);
        }

        boolean inside(double px, double py) {
            return px >= left - 0.5 && px <= right + 0.5 && py >= top - 0.5 && py <= bottom + 0.5;
        }
    }

    /** Lays out the frame around the axes' tick labels, then draws title, grid, ticks, frame and labels. */
    Frame drawFrame(Canvas canvas, Axis x, Axis y) {
        double top = drawTitle(canvas) + 6;
        double widest = 0;
        for (String label : y.labels) {
            widest = Math.max(widest, Canvas.textWidth(label, TICK_SIZE, false));
        }
        double left = 18 + (yLabel.isEmpty() ? 0 : LABEL_SIZE + 10) + widest + 8;
        double right = canvas.width - 24;
        double bottom = canvas.height - (xLabel.isEmpty() ? 30 : 30 + LABEL_SIZE + 10);
        Frame frame = new Frame(left, top, right, bottom, x, y);
        for (int i = 0; i < x.ticks.length; i++) {
            double px = frame.px(x.ticks[i]);
            canvas.line(px, top, px, bottom, GRID, 1, false);
            canvas.line(px, bottom, px, bottom + 5, AXIS, 1, false);
            canvas.text(x.labels[i], px, bottom + 8 + TICK_SIZE, TICK_SIZE, TEXT, Canvas.Anchor.MIDDLE, false, 0);
        }
        for (int i = 0; i < y.ticks.length; i++) {
            double py = frame.py(y.ticks[i]);
            canvas.line(left, py, right, py, GRID, 1, false);
            canvas.line(left - 5, py, left, py, AXIS, 1, false);
            canvas.text(y.labels[i], left - 8, py + TICK_SIZE * 0.35, TICK_SIZE, TEXT, Canvas.Anchor.END, false, 0);
        }
        canvas.rect(left, top, right - left, bottom - top, null, AXIS);
        if (!xLabel.isEmpty()) {
            canvas.text(xLabel, (left + right) / 2, canvas.height - 14, LABEL_SIZE, TEXT, Canvas.Anchor.MIDDLE, false, 0);
        }
        if (!yLabel.isEmpty()) {
            canvas.text(yLabel, 18 + LABEL_SIZE * 0.8, (top + bottom) / 2, LABEL_SIZE, TEXT, Canvas.Anchor.MIDDLE, false, 90);
        }
        return frame;
    }
}
