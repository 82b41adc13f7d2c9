package org.glossa.core.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A value range mapped to [0, 1], with "nice" ticks (1, 2 or 5 × 10^k apart, or powers of ten on a log scale). */
final class Axis {
    final double min;
    final double max;
    final boolean log;
    final double[] ticks;
    final String[] labels;

    private Axis(double min, double max, boolean log, double[] ticks, String[] labels) {
        this.min = min;
        this.max = max;
        this.log = log;
        this.ticks = ticks;
        this.labels = labels;
    }

    /** A linear axis over [low, high] widened by {@code pad} × range on each side, about {@code target} ticks. */
    static Axis linear(double low, double high, double pad, int target) {
        if (!(high > low)) { // one value (or none): show a unit around it
            double around = Double.isFinite(low) ? low : 0;
            double half = around == 0 ? 1 : Math.abs(around) * 0.1;
            low = around - half;
            high = around + half;
        }
        double range = high - low;
        double min = low - pad * range;
        double max = high + pad * range;
        double step = niceStep((max - min) / target);
        List<Double> ticks = new ArrayList<>();
        for (double t = Math.ceil(min / step - 1e-9) * step; t <= max + step * 1e-9; t += step) {
            ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        double[] values = ticks.stream().mapToDouble(Double::doubleValue).toArray();
        String[] labels = new String[values.length];
        double largest = 0;
        for (double v : values) {
            largest = Math.max(largest, Math.abs(v));
        }
        for (int i = 0; i < values.length; i++) {
            labels[i] = format(values[i], step, largest);
        }
        return new Axis(min, max, false, values, labels);
    }

    /** A log₁₀ axis over [low, high] (both positive): ticks at powers of ten, with 2× and 5× (or every digit) when it spans few decades. */
    static Axis logarithmic(double low, double high) {
        if (!(low > 0)) {
            low = high > 0 ? high / 10 : 1;
        }
        if (!(high > low)) {
            high = low * 10;
        }
        double min = Math.pow(10, Math.log10(low) - 0.05 * Math.log10(high / low));
        double max = Math.pow(10, Math.log10(high) + 0.05 * Math.log10(high / low));
        int first = (int) Math.floor(Math.log10(min));
        int last = (int) Math.ceil(Math.log10(max));
        double decades = Math.log10(max / min);
        double[] multiples = decades <= 1.3 ? new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}
                : decades <= 2.5 ? new double[] {1, 2, 5} : new double[] {1};
        List<Double> ticks = new ArrayList<>();
        for (int k = first; k <= last; k++) {
            for (double m : multiples) {
                double t = m * Math.pow(10, k);
                if (t >= min && t <= max) {
                    ticks.add(t);
                }
            }
        }
        double[] values = ticks.stream().mapToDouble(Double::doubleValue).toArray();
        String[] labels = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            labels[i] = v >= 1e-3 && v < 1e5 ? trim(String.format(Locale.ROOT, "%.3f", v)) : scientific(v, 0);
        }
        return new Axis(min, max, true, values, labels);
    }

    /** Position of {@code value} along the axis: 0 at min, 1 at max. */
    double fraction(double value) {
        if (log) {
            return (Math.log10(value) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
        }
        return (value - min) / (max - min);
    }

    static double niceStep(double rough) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double residual = rough / magnitude;
        double nice = residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10;
        return nice * magnitude;
    }

    /** A tick label: plain decimals with as many places as the step needs, scientific for very large or small. */
    static String format(double value, double step, double largest) {
        if (value == 0) {
            return "0";
        }
        if (largest >= 1e6 || step < 1e-4) {
            int digits = (int) Math.max(0, Math.floor(Math.log10(largest)) - Math.floor(Math.log10(step)));
            return scientific(value, Math.min(digits, 6));
        }
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String scientific(double value, int digits) {
        String s = String.format(Locale.ROOT, "%." + digits + "e", value); // e.g. 2.50e+06
        int e = s.indexOf('e');
        String mantissa = trim(s.substring(0, e));
        int exponent = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + exponent;
    }

    private static String trim(String decimal) {
        if (decimal.indexOf('.') < 0) {
            return decimal;
        }
        return decimal.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
