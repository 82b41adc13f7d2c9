package org.glossa.nn.train;

/**
 * The training data as an endless, reproducible stream of batches: epoch after epoch, each of
 * {@link #batchesPerEpoch} batches. The trainer asks for {@code batch(epoch, index)} in order, and a
 * resumed run asks again from where the checkpoint left off, so the answer must depend on nothing else
 * (draw any randomness from a generator seeded by the epoch, as {@link ShuffledBatches} does).
 *
 * @param <B> the batch type
 */
public interface TrainData<B> {
    /** Batches in one pass over the data; at least 1. */
    long batchesPerEpoch();

    /** Batch {@code index} (0-based) of epoch {@code epoch} (0-based). */
    B batch(long epoch, long index);

    /** The number of tokens (or other units) in {@code batch}, for the tokens/s figure; 0 when not counted. */
    default long tokens(B batch) {
        return 0;
    }
}
