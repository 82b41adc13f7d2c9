package org.glossa.tasks.squad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.glossa.core.Progress;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.glossa.nn.train.LengthGroupedBatches;
import org.glossa.text.HfTokenizer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Training windows of real SQuAD questions: compact form, padding, and length-grouped batches. */
@Tag("model")
class QaTrainingBatchesTest {
    private static final HfTokenizer TOKENIZER = SquadTestData.tokenizer();

    /** The first 600 questions of the SQuAD 2.0 excerpt (Beyoncé: long paragraphs, some of several windows). */
    private static List<QaFeature> features() {
        List<SquadExample> examples = SquadTestData.read(SquadTestData.TRAIN_V2_FIRST10).subList(0, 600);
        return QaFeatures.build(TOKENIZER, examples, new QaFeatureOptions(192, 64, 64), true);
    }

    @Test
    void compactWindowsKeepWhatTrainingNeeds() {
        List<QaFeature> features = features();
        List<QaTrainingBatches.Window> windows = QaTrainingBatches.build(TOKENIZER,
                SquadTestData.read(SquadTestData.TRAIN_V2_FIRST10).subList(0, 600), new QaFeatureOptions(192, 64, 64),
                Progress.quiet());
        assertEquals(features.size(), windows.size());
        assertTrue(features.size() > 600, "some questions need several windows: " + features.size());
        for (int f = 0; f < features.size(); f++) {
            QaFeature feature = features.get(f);
            QaTrainingBatches.Window window = windows.get(f);
            assertArrayEquals(feature.inputIds(), Arrays.stream(window.ids()).asLongStream().toArray());
            long[] types = new long[window.length()];
            Arrays.fill(types, window.typeOneFrom(), types.length, 1L);
            assertArrayEquals(feature.tokenTypeIds(), types);
            assertEquals(feature.startPosition(), window.startPosition());
            assertEquals(feature.endPosition(), window.endPosition());
        }
    }

    @Test
    void collatePadsToAMultipleOfEight() {
        QaTrainingBatches.Window a = new QaTrainingBatches.Window(new int[] {101, 7, 102, 8, 9, 102}, 3, 3, 4);
        QaTrainingBatches.Window b = new QaTrainingBatches.Window(new int[] {101, 7, 7, 7, 102, 8, 9, 10, 11, 102}, 5, 0, 0);
        try (NativeScope scope = new NativeScope()) {
            QaTrainingBatches.Batch batch = QaTrainingBatches.collate(List.of(a, b), 0);
            assertEquals(16, batch.length());
            assertEquals(2, batch.size());
            long[] ids = Tensors.toLongs(batch.inputIds());
            assertArrayEquals(new long[] {101, 7, 102, 8, 9, 102, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(ids, 0, 16));
            assertArrayEquals(new long[] {0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                    Arrays.copyOfRange(Tensors.toLongs(batch.tokenTypeIds()), 0, 16));
            assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0},
                    Arrays.copyOfRange(Tensors.toLongs(batch.attentionMask()), 16, 32));
            assertArrayEquals(new long[] {3, 0}, Tensors.toLongs(batch.startPositions()));
            assertArrayEquals(new long[] {4, 0}, Tensors.toLongs(batch.endPositions()));
        }
    }

    /** Padded tokens per real token when {@code groups} are padded to their longest (multiple of 8). */
    private static double paddingOverhead(List<QaTrainingBatches.Window> windows, int[][] groups) {
        long real = 0;
        long padded = 0;
        for (int[] group : groups) {
            int longest = 0;
            for (int i : group) {
                real += windows.get(i).length();
                longest = Math.max(longest, windows.get(i).length());
            }
            padded += (long) group.length * ((longest + 7) / 8 * 8);
        }
        return (double) padded / real - 1;
    }

    @Test
    void everyWindowOncePerEpochInBatchesOfSimilarLength() {
        List<QaTrainingBatches.Window> windows = features().stream().map(QaTrainingBatches::compact).toList();
        LengthGroupedBatches<QaTrainingBatches.Window, QaTrainingBatches.Batch> batches =
                QaTrainingBatches.batches(windows, 8, TOKENIZER.padId(), 42);
        assertEquals((windows.size() + 7) / 8, batches.batchesPerEpoch());
        for (long epoch = 0; epoch < 2; epoch++) {
            int[][] groups = batches.batches(epoch);
            List<Integer> seen = new ArrayList<>();
            for (int[] group : groups) {
                for (int i : group) {
                    seen.add(i);
                }
            }
            Collections.sort(seen);
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < windows.size(); i++) {
                all.add(i);
            }
            assertEquals(all, seen, "epoch " + epoch + " must hold every window exactly once");
            // Grouped by length, padding costs a few percent; the same windows in random batches cost far more.
            double grouped = paddingOverhead(windows, groups);
            List<Integer> shuffled = new ArrayList<>(all);
            Collections.shuffle(shuffled, new Random(epoch));
            int[][] random = new int[groups.length][];
            for (int g = 0; g < groups.length; g++) {
                random[g] = shuffled.subList(g * 8, Math.min(shuffled.size(), g * 8 + 8)).stream().mapToInt(i -> i).toArray();
            }
            double unsorted = paddingOverhead(windows, random);
            assertTrue(grouped < 0.05 && unsorted > 0.15 && grouped < unsorted / 5, "padding overhead grouped " + grouped + ", random " + unsorted);
        }
        assertFalse(Arrays.deepEquals(batches.batches(0), batches.batches(1)), "each epoch draws new batches");
        try (NativeScope scope = new NativeScope()) {
            QaTrainingBatches.Batch first = batches.batch(1, 0);
            int[] group = batches.batches(1)[0];
            int longest = Arrays.stream(group).map(i -> windows.get(i).length()).max().orElseThrow();
            assertEquals((longest + 7) / 8 * 8, first.length());
            assertEquals(group.length, batches.tokens(first), "throughput counts windows (features)");
        }
    }
}
