package org.glossa.embeddings.eval;

import org.glossa.core.GlossaException;
import org.glossa.core.plot.ScatterPlot;
import org.glossa.embeddings.KeyedVectors;

import java.nio.file.Path;
import java.util.List;

/**
 * Principal component analysis of a few vectors, exact: the rows are centred, and the eigenvectors of
 * the smaller of the two products (the n × n Gram matrix X Xᵀ or the D × D scatter matrix Xᵀ X, which
 * share their non-zero eigenvalues) come from the cyclic Jacobi method. Each component's sign is fixed
 * as scikit-learn fixes it: the point farthest from zero along it is on the positive side.
 */
public final class Pca {
    private Pca() {}

    /**
     * @param labels one per point
     * @param points (n, k) coordinates on the first k components
     * @param variance per component, with n − 1 degrees of freedom
     * @param varianceRatio per component, the share of the total variance
     */
    public record Projection(List<String> labels, double[][] points, double[] variance, double[] varianceRatio) {}

    /** The first {@code components} principal coordinates of the vectors of {@code words}. */
    public static Projection project(KeyedVectors vectors, List<String> words, int components) {
        int[] rows = vectors.rowsOf(words);
        double[][] data = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            float[] v = vectors.vector(rows[i]);
            data[i] = new double[v.length];
            for (int k = 0; k < v.length; k++) {
                data[i][k] = v[k];
            }
        }
        return project(data, words, components);
    }

    /** The first {@code components} principal coordinates of {@code rows} (n, D). */
    public static Projection project(double[][] rows, List<String> labels, int components) {
        int n = rows.length;
        if (n < 2) {
            throw new GlossaException("PCA needs at least 2 points, got " + n);
        }
        if (labels.size() != n) {
            throw new IllegalArgumentException(labels.size() + " labels for " + n + " points");
        }
        int d = rows[0].length;
        if (components < 1 || components > Math.min(n, d)) {
            throw new GlossaException("PCA of " + n + " points in " + d + " dimensions cannot give " + components
                    + " components");
        }
        double[][] x = new double[n][d]; // (n, D) centred
        for (int k = 0; k < d; k++) {
            double mean = 0;
            for (double[] row : rows) {
                mean += row[k];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                x[i][k] = rows[i][k] - mean;
            }
        }
        double[][] points = new double[n][components];
        double[] eigenvalues;
        if (n <= d) {
            double[][] gram = new double[n][n]; // (n, n) = X Xᵀ
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += x[i][k] * x[j][k];
                    }
                    gram[i][j] = s;
                    gram[j][i] = s;
                }
            }
            Eigen eigen = jacobi(gram);
            eigenvalues = eigen.values();
            // X Xᵀ u = λ u: the coordinates along the component are √λ u (the left singular vector scaled).
            for (int c = 0; c < components; c++) {
                double scale = Math.sqrt(Math.max(0, eigenvalues[c]));
                for (int i = 0; i < n; i++) {
                    points[i][c] = scale * eigen.vectors()[i][c];
                }
            }
        } else {
            double[][] scatter = new double[d][d]; // (D, D) = Xᵀ X
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += x[i][a] * x[i][b];
                    }
                    scatter[a][b] = s;
                    scatter[b][a] = s;
                }
            }
            Eigen eigen = jacobi(scatter);
            eigenvalues = eigen.values();
            for (int c = 0; c < components; c++) {
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += x[i][k] * eigen.vectors()[k][c];
                    }
                    points[i][c] = s;
                }
            }
        }
        double total = 0;
        for (double value : eigenvalues) {
            total += Math.max(0, value);
        }
        double[] variance = new double[components];
        double[] ratio = new double[components];
        for (int c = 0; c < components; c++) {
            variance[c] = Math.max(0, eigenvalues[c]) / (n - 1);
            ratio[c] = total == 0 ? 0 : Math.max(0, eigenvalues[c]) / total;
            // scikit-learn's sign rule: the largest |coordinate| is positive.
            int far = 0;
            for (int i = 1; i < n; i++) {
                if (Math.abs(points[i][c]) > Math.abs(points[far][c])) {
                    far = i;
                }
            }
            if (points[far][c] < 0) {
                for (int i = 0; i < n; i++) {
                    points[i][c] = -points[i][c];
                }
            }
        }
        return new Projection(List.copyOf(labels), points, variance, ratio);
    }

    /** Eigenvalues in decreasing order and the matching eigenvectors as columns. */
    private record Eigen(double[] values, double[][] vectors) {}

    /** Cyclic Jacobi rotations until the off-diagonal part vanishes; {@code a} is symmetric and is destroyed. */
    private static Eigen jacobi(double[][] a) {
        int n = a.length;
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        double scale = 0;
        for (double[] row : a) {
            for (double value : row) {
                scale += value * value;
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-30 * scale || off == 0) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    // The rotation angle that zeroes a[p][q]: tan 2θ = 2 a_pq / (a_qq − a_pp), smaller root.
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) { // A ← A J (columns p, q)
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) { // A ← Jᵀ A (rows p, q)
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) { // V ← V J
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (i, j) -> Double.compare(a[j][j], a[i][i]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int c = 0; c < n; c++) {
            values[c] = a[order[c]][order[c]];
            for (int k = 0; k < n; k++) {
                vectors[k][c] = v[k][order[c]];
            }
        }
        return new Eigen(values, vectors);
    }

    /**
     * A 2-D PCA map of {@code words} written to {@code output}: PNG or SVG by the file name's extension.
     */
    public static Projection plotWords(KeyedVectors vectors, List<String> words, Path output, String title) {
        Projection projection = project(vectors, words, 2);
        double[] xs = new double[words.size()];
        double[] ys = new double[words.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = projection.points()[i][0];
            ys[i] = projection.points()[i][1];
        }
        ScatterPlot.of(xs, ys, words)
                .title(title)
                .xLabel(String.format(java.util.Locale.ROOT, "PC1 (%.1f%% of variance)", 100 * projection.varianceRatio()[0]))
                .yLabel(String.format(java.util.Locale.ROOT, "PC2 (%.1f%% of variance)", 100 * projection.varianceRatio()[1]))
                .write(output);
        return projection;
    }
}
