package org.glossa.nn.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Examples in a fresh random order each epoch, grouped into batches: {@link TrainData} over a list.
 *
 * <p>The order of epoch e is a Fisher–Yates shuffle drawn from {@code new Random(seed + e · φ)} (φ a large odd
 * constant), so it is fixed by the seed and the epoch alone: a resumed run sees exactly the batches the
 * interrupted one would have. The last batch of an epoch may be smaller.
 *
 * @param <E> the example type
 * @param <B> the batch type
 */
public final class ShuffledBatches<E, B> implements TrainData<B> {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final List<E> examples;
    private final int batchSize;
    private final Function<List<E>, B> collate;
    private final ToLongFunction<B> tokens;
    private final long seed;
    private final boolean shuffle;
    private long cachedEpoch = -1;
    private int[] cachedOrder;

    /**
     * @param collate turns a list of examples into a batch (tensors are best created here: it runs inside the step's scope)
     * @param tokens counts the tokens of a batch, for the tokens/s figure
     * @param shuffle false to keep the examples in their order every epoch
     */
    public ShuffledBatches(List<E> examples, int batchSize, Function<List<E>, B> collate, ToLongFunction<B> tokens,
                           long seed, boolean shuffle) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        }
        this.examples = List.copyOf(examples);
        this.batchSize = batchSize;
        this.collate = collate;
        this.tokens = tokens;
        this.seed = seed;
        this.shuffle = shuffle;
    }

    @Override
    public long batchesPerEpoch() {
        return (examples.size() + batchSize - 1) / batchSize;
    }

    @Override
    public B batch(long epoch, long index) {
        if (index < 0 || index >= batchesPerEpoch()) {
            throw new IndexOutOfBoundsException("batch " + index + " of " + batchesPerEpoch());
        }
        int[] order = orderOf(epoch);
        int from = Math.toIntExact(index * batchSize);
        int to = Math.min(examples.size(), from + batchSize);
        List<E> picked = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            picked.add(examples.get(order[i]));
        }
        return collate.apply(picked);
    }

    @Override
    public long tokens(B batch) {
        return tokens.applyAsLong(batch);
    }

    /** The example indices in the order of {@code epoch}. */
    public int[] order(long epoch) {
        return orderOf(epoch).clone();
    }

    private synchronized int[] orderOf(long epoch) {
        if (epoch != cachedEpoch) {
            int[] order = new int[examples.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            if (shuffle) {
                Random random = new Random(seed + epoch * GOLDEN);
                for (int i = order.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int swap = order[i];
                    order[i] = order[j];
                    order[j] = swap;
                }
            }
            cachedOrder = order;
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }
}
