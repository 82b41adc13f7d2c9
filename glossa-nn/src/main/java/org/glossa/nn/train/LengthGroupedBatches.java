package org.glossa.nn.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Batches of examples of similar length, so that padding to the longest of a batch costs little: {@link TrainData}
 * over a list of variable-length examples (sentences, question–context windows).
 *
 * <p>Each epoch: the examples are shuffled, cut into mega-batches of {@code megaBatchFactor × batchSize}, each
 * mega-batch is sorted by length (longest first) and cut into batches, and the batches are shuffled again. This is
 * the "group by length" sampling of HF's Trainer: batches are nearly homogeneous in length, yet their composition
 * and order change from epoch to epoch. Every draw comes from {@code new Random(seed + epoch · φ)}, so a batch is a
 * pure function of (epoch, index) and a resumed run sees exactly the batches of an uninterrupted one.
 *
 * @param <E> the example type
 * @param <B> the batch type
 */
public final class LengthGroupedBatches<E, B> implements TrainData<B> {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** Mega-batch size in batches, as HF's LengthGroupedSampler. */
    public static final int DEFAULT_MEGA_BATCH_FACTOR = 50;

    private final List<E> examples;
    private final int[] lengths;
    private final int batchSize;
    private final int megaBatchFactor;
    private final Function<List<E>, B> collate;
    private final ToLongFunction<B> tokens;
    private final long seed;
    private long cachedEpoch = -1;
    private int[][] cachedBatches;

    /**
     * @param length the length of an example (tokens), which decides its group
     * @param collate turns a list of examples into a batch (runs inside the step's scope: create tensors here)
     * @param tokens counts the units of a batch for the throughput figure (tokens or examples)
     */
    public LengthGroupedBatches(List<E> examples, ToIntFunction<E> length, int batchSize, int megaBatchFactor,
                                Function<List<E>, B> collate, ToLongFunction<B> tokens, long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        if (batchSize <= 0 || megaBatchFactor <= 0) {
            throw new IllegalArgumentException("batch size and mega-batch factor must be > 0, got " + batchSize
                    + " and " + megaBatchFactor);
        }
        this.examples = List.copyOf(examples);
        this.lengths = this.examples.stream().mapToInt(length).toArray();
        this.batchSize = batchSize;
        this.megaBatchFactor = megaBatchFactor;
        this.collate = collate;
        this.tokens = tokens;
        this.seed = seed;
    }

    @Override
    public long batchesPerEpoch() {
        // Every mega-batch but the last is a whole number of batches, so the count is the same as without grouping.
        return (examples.size() + batchSize - 1) / batchSize;
    }

    @Override
    public B batch(long epoch, long index) {
        if (index < 0 || index >= batchesPerEpoch()) {
            throw new IndexOutOfBoundsException("batch " + index + " of " + batchesPerEpoch());
        }
        int[] members = batchesOf(epoch)[Math.toIntExact(index)];
        List<E> picked = new ArrayList<>(members.length);
        for (int i : members) {
            picked.add(examples.get(i));
        }
        return collate.apply(picked);
    }

    @Override
    public long tokens(B batch) {
        return tokens.applyAsLong(batch);
    }

    /** The example indices of every batch of {@code epoch}, in order. */
    public int[][] batches(long epoch) {
        return Arrays.stream(batchesOf(epoch)).map(int[]::clone).toArray(int[][]::new);
    }

    private synchronized int[][] batchesOf(long epoch) {
        if (epoch == cachedEpoch) {
            return cachedBatches;
        }
        Random random = new Random(seed + epoch * GOLDEN);
        Integer[] order = new Integer[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        int megaBatch = batchSize * megaBatchFactor;
        Comparator<Integer> longestFirst = Comparator.comparingInt((Integer i) -> lengths[i]).reversed();
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += megaBatch) {
            int to = Math.min(order.length, from + megaBatch);
            Arrays.sort(order, from, to, longestFirst); // stable: ties keep the shuffled order
            for (int start = from; start < to; start += batchSize) {
                int end = Math.min(to, start + batchSize);
                int[] batch = new int[end - start];
                for (int k = start; k < end; k++) {
                    batch[k - start] = order[k];
                }
                batches.add(batch);
            }
        }
        int[][] result = batches.toArray(int[][]::new);
        shuffle(result, random);
        cachedBatches = result;
        cachedEpoch = epoch;
        return result;
    }

    private static <T> void shuffle(T[] items, Random random) {
        for (int i = items.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T swap = items[i];
            items[i] = items[j];
            items[j] = swap;
        }
    }
}
