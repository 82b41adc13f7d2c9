package org.glossa.embeddings.glove;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.glossa.core.GlossaException;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.TensorData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class GloveTrainerTest {
    private static final int VOCABULARY = 48; // the fixture's vocab.txt

    @TempDir
    Path dir;

    private static TrainingOptions options(int iterations, int threads, long seed) {
        return TrainingOptions.defaults().withVectorSize(10).withXMax(10).withIterations(iterations)
                .withThreads(threads).withSeed(seed).withShowProgress(false);
    }

    private static List<IterationReport> train(Path file, TrainingOptions options, List<GloveParameters> out) {
        List<IterationReport> reports = new ArrayList<>();
        GloveParameters parameters = GloveTrainer.train(file, VOCABULARY, options, new GloveListener() {
            @Override
            public void iterationFinished(IterationReport report) {
                reports.add(report);
            }
        });
        if (out != null) {
            out.add(parameters);
        }
        return reports;
    }

    /**
     * glove.c, run with six seeds on the same shuffled file (the fixture README has the commands), prints
     * these costs at iterations 1, 5 and 10; its initial vectors come from C's rand(), so ours cannot be the
     * same, but the same objective and update rule must land in the same narrow band. (Dropping AdaGrad,
     * the clipping order or the biases' learning rate moves them far outside it.)
     */
    @Test
    void costFollowsStanfordGlove() {
        double[][] band = {{0.1104, 0.1115}, {0.04373, 0.04381}, {0.04179, 0.04197}};
        int[] at = {1, 5, 10};
        for (long seed = 1; seed <= 3; seed++) {
            List<IterationReport> reports = train(GloveFixtures.resource("cooccur-w5.shuf.bin"), options(10, 1, seed), null);
            for (int i = 0; i < at.length; i++) {
                double cost = reports.get(at[i] - 1).cost();
                double low = band[i][0] * 0.99;
                double high = band[i][1] * 1.01;
                assertTrue(cost >= low && cost <= high, "seed " + seed + ", iteration " + at[i] + ": cost " + cost
                        + " outside glove.c's [" + band[i][0] + ", " + band[i][1] + "] ± 1%");
            }
        }
    }

    @Test
    void costDecreasesWithOneThreadOrTwo() {
        for (int threads : new int[] {1, 2}) {
            List<IterationReport> reports = train(GloveFixtures.resource("cooccur-w5.shuf.bin"), options(12, threads, 5), null);
            assertEquals(12, reports.size());
            // Strictly with one thread; with two, Hogwild's interleaving may wobble it a little near the plateau.
            double slack = threads == 1 ? 1.0 : 1.01;
            for (int i = 1; i < reports.size(); i++) {
                assertTrue(reports.get(i).cost() < slack * reports.get(i - 1).cost(), threads + " threads: " + reports);
            }
            assertTrue(reports.get(11).cost() < 0.5 * reports.get(0).cost(), threads + " threads: " + reports);
            assertEquals(2196, reports.get(0).records());
            assertEquals(0, reports.get(0).skipped());
        }
    }

    @Test
    void oneThreadIsReproducible() {
        List<GloveParameters> runs = new ArrayList<>();
        Path file = GloveFixtures.resource("cooccur-w5.shuf.bin");
        train(file, options(3, 1, 9), runs);
        train(file, options(3, 1, 9), runs);
        train(file, options(3, 1, 10), runs);
        assertArrayEquals(runs.get(0).word, runs.get(1).word);
        assertArrayEquals(runs.get(0).context, runs.get(1).context);
        assertTrue(!Arrays.equals(runs.get(0).word, runs.get(2).word), "another seed, other vectors");
    }

    @Test
    void resumingFromACheckpointEqualsAnUninterruptedRun() {
        Path file = GloveFixtures.resource("cooccur-w5.shuf.bin");
        Path checkpoint = dir.resolve("checkpoint.safetensors");
        List<GloveParameters> runs = new ArrayList<>();
        List<IterationReport> uninterrupted = train(file, options(7, 1, 3), runs);
        // Stopped after 4 iterations (checkpoints at 2 and 4), then resumed up to 7.
        train(file, options(4, 1, 3).withCheckpoints(2, checkpoint), null);
        assertEquals(4, GloveParameters.loadCheckpoint(checkpoint).iterationsDone());
        List<IterationReport> resumedReports = new ArrayList<>();
        GloveParameters resumed = GloveTrainer.resume(checkpoint, file, options(7, 1, 3), new GloveListener() {
            @Override
            public void iterationFinished(IterationReport report) {
                resumedReports.add(report);
            }
        });
        assertEquals(List.of(5, 6, 7), resumedReports.stream().map(IterationReport::iteration).toList());
        for (int i = 0; i < 3; i++) {
            assertEquals(uninterrupted.get(4 + i).cost(), resumedReports.get(i).cost(), 0.0);
        }
        GloveParameters expected = runs.get(0);
        assertEquals(7, resumed.iterationsDone());
        assertArrayEquals(expected.word, resumed.word);
        assertArrayEquals(expected.context, resumed.context);
        assertArrayEquals(expected.wordGradsq, resumed.wordGradsq);
        assertArrayEquals(expected.contextGradsq, resumed.contextGradsq);
    }

    @Test
    void outputModesFollowGloveC() {
        List<GloveParameters> runs = new ArrayList<>();
        train(GloveFixtures.resource("cooccur-w5.shuf.bin"), options(2, 1, 1), runs);
        GloveParameters p = runs.get(0);
        List<String> words = GloveFixtures.vocabularyWords(GloveFixtures.resource("vocab.txt"));
        var sum = p.toKeyedVectors(words, null, OutputMode.WORD_PLUS_CONTEXT, false);
        var word = p.toKeyedVectors(words, null, OutputMode.WORD, false);
        var all = p.toKeyedVectors(words, null, OutputMode.ALL, false);
        var both = p.toKeyedVectors(words, null, OutputMode.WORD_AND_CONTEXT, true);
        assertEquals(List.of(10, 10, 22, 20), List.of(sum.dimension(), word.dimension(), all.dimension(), both.dimension()));
        assertEquals(48, sum.size());
        assertEquals(49, both.size());
        assertEquals("<unk>", both.words().get(48));
        for (int id : new int[] {0, 17, 47}) {
            float[] w = p.wordVector(id);
            float[] c = p.contextVector(id);
            float[] expectedSum = new float[10];
            for (int b = 0; b < 10; b++) {
                expectedSum[b] = w[b] + c[b];
            }
            assertArrayEquals(expectedSum, sum.vector(id));
            assertArrayEquals(w, word.vector(id));
            float[] a = all.vector(id);
            assertEquals(p.wordBias(id), a[10]);
            assertEquals(p.contextBias(id), a[21]);
            assertArrayEquals(c, Arrays.copyOfRange(a, 11, 21));
        }
        // <unk>: the mean of the (here fewer than 100, so all 48) rarest words' parameters, as glove.c
        float[] unk = both.vector(48);
        for (int b = 0; b < 10; b++) {
            double mean = 0;
            for (int id = 0; id < 48; id++) {
                mean += p.wordVector(id)[b] / 48.0;
            }
            assertEquals(mean, unk[b], 1e-6);
        }
    }

    @Test
    void badInput() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.bin"));
        GlossaException e = assertThrows(GlossaException.class, () -> train(empty, options(1, 1, 1), null));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());

        Path outside = dir.resolve("outside.bin");
        GloveFixtures.write(outside, new int[][] {{0, 1}, {2, 48}}, new double[] {1, 2});
        e = assertThrows(GlossaException.class, () -> train(outside, options(1, 1, 1), null));
        assertTrue(e.getMessage().contains("outside.bin") && e.getMessage().contains("(3, 49)"), e.getMessage());

        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, new byte[40]);
        e = assertThrows(GlossaException.class, () -> train(truncated, options(1, 1, 1), null));
        assertTrue(e.getMessage().contains("truncated.bin"), e.getMessage());

        Path checkpoint = dir.resolve("c.safetensors");
        train(GloveFixtures.resource("cooccur-w5.shuf.bin"), options(1, 1, 1).withCheckpoints(1, checkpoint), null);
        e = assertThrows(GlossaException.class, () -> GloveTrainer.resume(checkpoint,
                GloveFixtures.resource("cooccur-w5.shuf.bin"), options(2, 1, 1).withVectorSize(12), GloveListener.NONE));
        assertTrue(e.getMessage().contains("vector size 10"), e.getMessage());
        e = assertThrows(GlossaException.class, () -> GloveTrainer.resume(checkpoint,
                GloveFixtures.resource("cooccur-w3-left-unweighted.bin"), options(2, 1, 1), GloveListener.NONE));
        assertTrue(e.getMessage().contains("not the same file"), e.getMessage());

        Path other = dir.resolve("other.safetensors");
        SafeTensors.write(other, java.util.Map.of("x", TensorData.ofFloats(new float[] {1}, 1)), null);
        e = assertThrows(GlossaException.class, () -> GloveParameters.loadCheckpoint(other));
        assertTrue(e.getMessage().contains("not a GloVe checkpoint"), e.getMessage());

        assertThrows(GlossaException.class, () -> TrainingOptions.defaults().withXMax(0));
        assertThrows(GlossaException.class, () -> TrainingOptions.defaults().withCheckpoints(2, null));
    }
}
