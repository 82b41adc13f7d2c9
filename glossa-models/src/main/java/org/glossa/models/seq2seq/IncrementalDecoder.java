package org.glossa.models.seq2seq;

import org.bytedeco.pytorch.Tensor;

/**
 * A decoder positioned after the tokens fed so far, one row per hypothesis, that predicts one token at a time:
 * what greedy and beam search ({@link Decoding}) drive. It holds the encoder's output and its own state (a
 * Transformer's key/value cache, an RNN's hidden state) across calls, each of which may run in its own native
 * scope; {@link #close} frees that state.
 */
public interface IncrementalDecoder extends AutoCloseable {
    /**
     * Feeds one token per row and returns the log-probabilities of the next token.
     *
     * @param tokens int64 (N): the previous token of each row (the decoder start id at the first step)
     * @return fp32 (N, V) log-softmax over the target vocabulary
     */
    Tensor step(Tensor tokens);

    /**
     * Keeps the rows {@code rows} (int64 (N')) of the state, in that order: afterwards row i continues what row
     * {@code rows[i]} was. Beam search reorders with it; both searches drop finished rows with it.
     */
    void select(Tensor rows);

    @Override
    void close();
}
