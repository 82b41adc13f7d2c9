package org.glossa.embeddings.eval;

import org.glossa.core.GlossaException;
import org.glossa.embeddings.KeyedVectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class PcaTest {
    @TempDir
    Path temp;

    /** Compares column by column up to sign (each component's direction is arbitrary). */
    private static void assertColumnsUpToSign(double[][] expected, double[][] actual, double tolerance) {
        for (int c = 0; c < expected[0].length; c++) {
            double sign = Math.signum(expected[0][c]) == Math.signum(actual[0][c]) ? 1 : -1;
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i][c], sign * actual[i][c], tolerance, "point " + i + " component " + c);
            }
        }
    }

    @Test
    void handComputedCross() {
        // (±2, 0) and (0, ±1): already centred; PC1 is x with variance 8/3, PC2 is y with 2/3.
        double[][] points = {{2, 0}, {-2, 0}, {0, 1}, {0, -1}};
        Pca.Projection p = Pca.project(points, List.of("a", "b", "c", "d"), 2);
        assertColumnsUpToSign(new double[][] {{2, 0}, {-2, 0}, {0, 1}, {0, -1}}, p.points(), 1e-12);
        assertEquals(8 / 3.0, p.variance()[0], 1e-12);
        assertEquals(2 / 3.0, p.variance()[1], 1e-12);
        assertEquals(0.8, p.varianceRatio()[0], 1e-12);
    }

    /** numpy.linalg.svd of the centred data (U·S), for more points than dimensions and the reverse. */
    @Test
    void matchesNumpyInBothShapes() {
        double[][] tall = {{1.0, 2, 0.5, -1}, {0.3, -1, 2, 0}, {2, 2, 2, 2}, {-1, 0.5, 0, 1}, {0, 0, 1, -2}, {1.5, -0.5, -1, 0.25}};
        Pca.Projection p = Pca.project(tall, List.of("1", "2", "3", "4", "5", "6"), 2);
        assertColumnsUpToSign(new double[][] {
            {-0.163207045977, 1.462401135567}, {0.64216424958, -0.250112061107}, {-3.041080346853, 0.273956331824},
            {0.19789666048, -1.287770823094}, {1.877195333114, 1.139375678527}, {0.487031149657, -1.337850261718}},
                p.points(), 1e-10);
        assertEquals(2.69748118, p.variance()[0], 1e-8);
        assertEquals(0.22756009, p.varianceRatio()[1], 1e-8);
        double[][] wide = {{1.0, 0, 2, -1, 0.5}, {0, 1, -1, 2, 1}, {2, -1, 0, 0, 1}};
        Pca.Projection q = Pca.project(wide, List.of("x", "y", "z"), 2);
        assertColumnsUpToSign(new double[][] {
            {-1.933025888969, -0.964405298223}, {2.532752240962, -0.410486807626}, {-0.599726351993, 1.374892105849}},
                q.points(), 1e-10);
        assertEquals(5.25554735, q.variance()[0], 1e-8);
        // scikit-learn's sign rule: the largest |coordinate| of each component is positive
        assertTrue(p.points()[2][0] > 0);
        assertTrue(q.points()[1][0] > 0);
    }

    @Test
    void plotsWordsAndRejectsTooFewPoints() throws Exception {
        KeyedVectors kv = new KeyedVectors(List.of("a", "b", "c"), new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, null);
        Path svg = temp.resolve("words.svg");
        Pca.plotWords(kv, List.of("a", "b", "c"), svg, "Three words");
        String text = Files.readString(svg);
        assertTrue(text.contains(">a</text>") && text.contains(">Three words</text>"));
        assertThrows(GlossaException.class, () -> Pca.project(kv, List.of("a"), 2));
        assertThrows(GlossaException.class, () -> Pca.project(kv, List.of("a", "zzz"), 2));
    }
}
