package org.glossa.models.seq2seq;

/**
 * The ids a translation model treats specially.
 *
 * @param pad fills short rows of a batch; masked out of attention and of the loss
 * @param decoderStart the first input of the decoder (HF's {@code decoder_start_token_id}, e.g. {@code <s>})
 * @param eos ends a target sentence
 */
public record SpecialTokens(long pad, long decoderStart, long eos) {
    public SpecialTokens {
        if (pad < 0 || decoderStart < 0 || eos < 0) {
            throw new IllegalArgumentException("special token ids must be >= 0, got pad " + pad + ", decoder start "
                    + decoderStart + ", eos " + eos);
        }
        if (eos == pad || eos == decoderStart) {
            throw new IllegalArgumentException("the eos id " + eos + " must differ from the pad and decoder start ids");
        }
    }
}
