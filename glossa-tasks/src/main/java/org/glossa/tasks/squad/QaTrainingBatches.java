package org.glossa.tasks.squad;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.glossa.core.Progress;
import org.glossa.nn.Tensors;
import org.glossa.nn.train.LengthGroupedBatches;
import org.glossa.text.HfTokenizer;

/**
 * The training windows of a SQuAD run in compact form, and the length-grouped batches the trainer draws
 * from them.
 *
 * <p>A {@link QaFeature} keeps two {@code long[]} and two {@code int[]} per window for post-processing;
 * training needs only the ids and where the context segment begins, so a {@link Window} takes a quarter
 * of the memory (about 0.7 KB for 160 tokens instead of 3.8 KB: 90 MB instead of 500 MB for SQuAD 1.1
 * with synthetic negatives). Features are built a chunk of examples at a time and compacted at once.
 */
public final class QaTrainingBatches {
    /** Examples turned into features at a time, so the full {@link QaFeature}s of the whole set never coexist. */
    private static final int CHUNK = 2_000;
    /** Batches are padded to a multiple of this (AMX and AVX-512 tiles work on multiples of 8 or 16 rows). */
    public static final int PAD_TO_MULTIPLE_OF = 8;

    private QaTrainingBatches() {}

    /**
     * One training window: token ids, the index where token type 1 (the context segment) begins, and the
     * answer's first and last token (0, 0 for "no answer in this window").
     */
    public record Window(int[] ids, int typeOneFrom, int startPosition, int endPosition) {
        public int length() {
            return ids.length;
        }
    }

    /**
     * A padded batch: B windows of T tokens, T the longest of them rounded up to {@value #PAD_TO_MULTIPLE_OF}.
     */
    public record Batch(
            Tensor inputIds, // int64 (B, T)
            Tensor tokenTypeIds, // int64 (B, T)
            Tensor attentionMask, // int64 (B, T), 0 on padding
            Tensor startPositions, // int64 (B)
            Tensor endPositions, // int64 (B)
            int size,
            int length) {}

    /** The compact form of a labelled feature. */
    public static Window compact(QaFeature feature) {
        if (!feature.hasLabels()) {
            throw new IllegalArgumentException("feature of example " + feature.exampleIndex() + " has no labels");
        }
        int n = feature.length();
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = Math.toIntExact(feature.inputIds()[i]);
        }
        long[] types = feature.tokenTypeIds();
        int typeOneFrom = 0;
        while (typeOneFrom < n && types[typeOneFrom] == 0) {
            typeOneFrom++;
        }
        for (int i = typeOneFrom; i < n; i++) {
            if (types[i] != 1) {
                throw new IllegalStateException("token types of a question-context window must be 0…0 1…1, got "
                        + Arrays.toString(types));
            }
        }
        return new Window(ids, typeOneFrom, feature.startPosition(), feature.endPosition());
    }

    /** The labelled training windows of {@code examples}, in example order; {@code progress} advances per example. */
    public static List<Window> build(HfTokenizer tokenizer, List<SquadExample> examples, QaFeatureOptions options,
                                     Progress progress) {
        List<Window> windows = new ArrayList<>(examples.size() + examples.size() / 20);
        for (int from = 0; from < examples.size(); from += CHUNK) {
            List<SquadExample> chunk = examples.subList(from, Math.min(examples.size(), from + CHUNK));
            for (QaFeature feature : QaFeatures.build(tokenizer, chunk, options, true, progress)) {
                windows.add(compact(feature));
            }
        }
        return windows;
    }

    /**
     * Batches of {@code batchSize} windows of similar length, a fresh grouping and order each epoch drawn
     * from {@code seed} (see {@link LengthGroupedBatches}); the trainer's throughput counts windows (features).
     */
    public static LengthGroupedBatches<Window, Batch> batches(List<Window> windows, int batchSize, long padId, long seed) {
        return new LengthGroupedBatches<>(windows, Window::length, batchSize, LengthGroupedBatches.DEFAULT_MEGA_BATCH_FACTOR,
                picked -> collate(picked, padId), Batch::size, seed);
    }

    /** Pads {@code windows} on the right with {@code padId} (type 0, mask 0) to their longest, rounded up to a multiple of 8. */
    public static Batch collate(List<Window> windows, long padId) {
        int rows = windows.size();
        int longest = windows.stream().mapToInt(Window::length).max().orElseThrow();
        int width = (longest + PAD_TO_MULTIPLE_OF - 1) / PAD_TO_MULTIPLE_OF * PAD_TO_MULTIPLE_OF;
        long[] ids = new long[rows * width];
        long[] types = new long[rows * width];
        long[] mask = new long[rows * width];
        long[] starts = new long[rows];
        long[] ends = new long[rows];
        Arrays.fill(ids, padId);
        for (int b = 0; b < rows; b++) {
            Window window = windows.get(b);
            int offset = b * width;
            for (int t = 0; t < window.length(); t++) {
                ids[offset + t] = window.ids()[t];
                types[offset + t] = t >= window.typeOneFrom() ? 1 : 0;
                mask[offset + t] = 1;
            }
            starts[b] = window.startPosition();
            ends[b] = window.endPosition();
        }
        return new Batch(Tensors.fromLongs(ids, rows, width), Tensors.fromLongs(types, rows, width),
                Tensors.fromLongs(mask, rows, width), Tensors.fromLongs(starts, rows), Tensors.fromLongs(ends, rows), rows, width);
    }
}
