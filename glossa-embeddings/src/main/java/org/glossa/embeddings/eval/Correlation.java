package org.glossa.embeddings.eval;

import java.util.Arrays;

/**
 * Pearson and Spearman correlation with two-sided p-values, as scipy.stats {@code pearsonr} and
 * {@code spearmanr} compute them: Spearman is Pearson on ranks, tied values sharing their average rank;
 * both p-values come from Student's t with n − 2 degrees of freedom.
 */
public final class Correlation {
    private Correlation() {}

    /** A coefficient and its two-sided p-value (NaN when n &lt; 3 or a variable is constant). */
    public record Value(double coefficient, double pValue) {}

    public static Value pearson(double[] x, double[] y) {
        check(x, y);
        int n = x.length;
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanX += x[i];
            meanY += y[i];
        }
        meanX /= n;
        meanY /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - meanX;
            double dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return new Value(Double.NaN, Double.NaN);
        }
        double r = sxy / Math.sqrt(sxx * syy);
        r = Math.max(-1, Math.min(1, r));
        return new Value(r, pValue(r, n));
    }

    public static Value spearman(double[] x, double[] y) {
        check(x, y);
        return pearson(ranks(x), ranks(y));
    }

    /** Ranks 1…n; equal values share the mean of the ranks they span. */
    public static double[] ranks(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[n];
        int start = 0;
        while (start < n) {
            int end = start + 1;
            while (end < n && values[order[end]] == values[order[start]]) {
                end++;
            }
            double rank = (start + 1 + end) / 2.0; // mean of ranks start+1 … end
            for (int i = start; i < end; i++) {
                ranks[order[i]] = rank;
            }
            start = end;
        }
        return ranks;
    }

    /** Two-sided p-value of correlation r over n pairs: t = r √((n−2)/(1−r²)), Student's t with n−2 degrees. */
    static double pValue(double r, int n) {
        if (n < 3) {
            return Double.NaN;
        }
        if (Math.abs(r) >= 1) {
            return 0;
        }
        double df = n - 2;
        double t2 = r * r * df / (1 - r * r);
        // P(|T| > t) = I_{df / (df + t²)}(df / 2, 1 / 2)
        return regularizedBeta(df / (df + t2), df / 2, 0.5);
    }

    private static void check(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " values against " + y.length);
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("no values");
        }
    }

    /** The regularised incomplete beta function I_x(a, b), by its continued fraction (modified Lentz). */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        // The fraction converges fast for x < (a + 1) / (a + b + 2); otherwise use I_x(a, b) = 1 − I_{1−x}(b, a).
        if (x < (a + 1) / (a + b + 2)) {
            return Math.exp(logFront) * betaFraction(x, a, b) / a;
        }
        return 1 - Math.exp(logFront) * betaFraction(1 - x, b, a) / b;
    }

    private static double betaFraction(double x, double a, double b) {
        final double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double result = d;
        for (int m = 1; m <= 10_000; m++) {
            // even step: d_{2m} = m (b − m) x / ((a + 2m − 1)(a + 2m))
            double numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + numerator * d;
            c = 1 + numerator / c;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = Math.abs(c) < tiny ? tiny : c;
            result *= d * c;
            // odd step: d_{2m+1} = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 + numerator * d;
            c = 1 + numerator / c;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = Math.abs(c) < tiny ? tiny : c;
            double step = d * c;
            result *= step;
            if (Math.abs(step - 1) < 1e-15) {
                break;
            }
        }
        return result;
    }

    /** ln Γ(x) for x &gt; 0: Lanczos' approximation (g = 7, nine terms), about 15 correct digits. */
    static double logGamma(double x) {
        if (x < 0.5) { // reflection: Γ(x) Γ(1 − x) = π / sin(πx)
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] coefficients = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                1.5056327351493116e-7};
        x -= 1;
        double sum = coefficients[0];
        for (int i = 1; i < coefficients.length; i++) {
            sum += coefficients[i] / (x + i);
        }
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
