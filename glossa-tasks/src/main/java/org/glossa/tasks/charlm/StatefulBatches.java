package org.glossa.tasks.charlm;

import java.util.SplittableRandom;
import org.glossa.core.GlossaException;
import org.glossa.nn.train.TrainData;

/**
 * Training batches for stateful truncated back-propagation through time, as in the TensorFlow tutorial's
 * stateful RNN: the text is cut into {@code streams} equal, contiguous parts, and batch t holds the t-th
 * window of {@code window} tokens of every part, so row b of batch t+1 continues row b of batch t and the
 * recurrent state after one batch is the right start for the next. Targets are the inputs shifted by one.
 *
 * <pre>
 * text:   |---- stream 0 ----|---- stream 1 ----| … |---- stream B−1 ----|
 * batch t: row b = stream b's tokens [t·W, (t+1)·W), targets one further
 * </pre>
 *
 * Every epoch after the first starts the streams a few tokens further on (a shift in [0, W) drawn from the
 * seed and the epoch), so the cuts between windows move; {@link #batch} is a pure function of
 * (epoch, index), as {@link TrainData} requires for an exact resume. Row b of the first batch of an epoch
 * starts from a zero state ({@link Batch#startsEpoch}).
 */
public final class StatefulBatches implements TrainData<StatefulBatches.Batch> {
    /**
     * One batch: {@code inputs} and {@code targets} are row-major (streams, window) token ids.
     *
     * @param startsEpoch true for the first batch of an epoch: the state starts from zeros
     */
    public record Batch(long[] inputs, long[] targets, int streams, int window, boolean startsEpoch) {}

    private final int[] tokens;
    private final int streams;
    private final int window;
    private final long seed;
    private final int streamLength;
    private final long windowsPerStream;

    /**
     * @param tokens the training token ids
     * @param streams parallel streams, the batch size
     * @param window tokens per row of a batch (the back-propagation horizon)
     * @param seed draws each epoch's shift
     */
    public StatefulBatches(int[] tokens, int streams, int window, long seed) {
        if (streams < 1 || window < 1) {
            throw new IllegalArgumentException("streams and window must be positive, got " + streams + " and " + window);
        }
        long needed = minimumTokens(streams, window);
        if (tokens.length < needed) {
            throw new GlossaException("the training text has " + tokens.length + " tokens, too few for " + streams
                    + " streams of " + window + "-token windows (at least " + needed + " needed):"
                    + " use a longer corpus, or a smaller --batch-size or --seq-length");
        }
        this.tokens = tokens;
        this.streams = streams;
        this.window = window;
        this.seed = seed;
        // Room for the largest shift (W − 1) and for the target after the last input.
        this.streamLength = (tokens.length - window) / streams;
        this.windowsPerStream = streamLength / window;
    }

    /** The fewest training tokens that give every stream one full window whatever the shift. */
    public static long minimumTokens(int streams, int window) {
        return (long) streams * window + window;
    }

    @Override
    public long batchesPerEpoch() {
        return windowsPerStream;
    }

    /** Tokens in each stream. */
    public int streamLength() {
        return streamLength;
    }

    public int streams() {
        return streams;
    }

    public int window() {
        return window;
    }

    /** Where the streams of {@code epoch} begin: 0 in the first epoch, then a shift in [0, window). */
    public int shift(long epoch) {
        return epoch == 0 ? 0 : new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1))).nextInt(window);
    }

    @Override
    public Batch batch(long epoch, long index) {
        if (index < 0 || index >= windowsPerStream) {
            throw new IndexOutOfBoundsException("batch " + index + " of an epoch of " + windowsPerStream);
        }
        int shift = shift(epoch);
        long[] inputs = new long[streams * window];
        long[] targets = new long[streams * window];
        for (int b = 0; b < streams; b++) {
            int start = shift + b * streamLength + (int) index * window;
            for (int i = 0; i < window; i++) {
                inputs[b * window + i] = tokens[start + i];
                targets[b * window + i] = tokens[start + i + 1];
            }
        }
        return new Batch(inputs, targets, streams, window, index == 0);
    }

    @Override
    public long tokens(Batch batch) {
        return (long) batch.streams() * batch.window();
    }
}
