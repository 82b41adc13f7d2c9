package org.glossa.models.seq2seq;

import org.bytedeco.pytorch.Tensor;

/** A sequence-to-sequence model as the searches of {@link Decoding} see it. */
public interface EncoderDecoder {
    /** The pad, decoder start and end-of-sentence ids. */
    SpecialTokens specialTokens();

    /** The most target tokens (the end-of-sentence token included) the model can produce. */
    int maxTargetLength();

    /**
     * Encodes a batch of source sentences and returns a decoder before the first target token, one row per
     * sentence. Run it without gradients and with the model in evaluation mode (no dropout).
     *
     * @param sourceIds int64 (B, S), rows padded with the pad id
     */
    IncrementalDecoder startDecoding(Tensor sourceIds);
}
