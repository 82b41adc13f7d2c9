package org.glossa.text;

import java.util.List;

/**
 * Text to token ids and back. Implementations are immutable and safe to share between threads.
 *
 * <p>Nothing here truncates or pads unless asked: {@link #encode(String)} returns every token,
 * {@link #encode(String, int)} and {@link #encodePairWindows} cut, {@link #pad} pads.
 */
public interface Tokenizer {

    /** The text with the model's special tokens ([CLS] text [SEP] for BERT), not truncated. */
    default Encoding encode(String text) {
        return encode(text, true);
    }

    /** The text, with or without the model's special tokens, not truncated. */
    Encoding encode(String text, boolean addSpecialTokens);

    /**
     * The text with special tokens, cut to at most {@code maxLength} tokens: the text's tokens are
     * dropped from the end, the special tokens are kept.
     */
    Encoding encode(String text, int maxLength);

    /** A pair with special tokens ([CLS] first [SEP] second [SEP] for BERT), not truncated. */
    default Encoding encodePair(String first, String second) {
        return encodePair(first, second, true);
    }

    /** A pair, with or without the model's special tokens, not truncated. */
    Encoding encodePair(String first, String second, boolean addSpecialTokens);

    /**
     * Overlapping windows over a long context for extractive QA, as HuggingFace's
     * {@code tokenizer(question, context, truncation="only_second", max_length=maxLength,
     * stride=stride, return_overflowing_tokens=True, return_offsets_mapping=True)}: every window is
     * [CLS] question [SEP] part-of-context [SEP], at most {@code maxLength} tokens; consecutive
     * windows share exactly {@code stride} context tokens; together they cover the whole context.
     * Offsets of context tokens index the original context string. A context that fits gives one
     * window.
     */
    List<Encoding> encodePairWindows(String question, String context, int maxLength, int stride);

    /** Pads to the longest encoding with {@link #padId()}. */
    default Batch pad(List<Encoding> encodings) {
        return Batch.pad(encodings, padId(), 1);
    }

    /** Pads to the longest encoding rounded up to a multiple of {@code padToMultipleOf}. */
    default Batch pad(List<Encoding> encodings, int padToMultipleOf) {
        return Batch.pad(encodings, padId(), padToMultipleOf);
    }

    /** One more than the largest token id, added tokens included: the rows an embedding table needs. */
    int vocabSize();

    /** Whether the vocabulary (added tokens included) has this exact entry. */
    boolean hasToken(String token);

    /** The id of a vocabulary entry, e.g. "[CLS]" or "##ing"; throws if there is none. */
    long tokenId(String token);

    /** Token ids back to text, special tokens included (HuggingFace's default). */
    default String decode(long[] ids) {
        return decode(ids, false);
    }

    /** Token ids back to text, optionally without special tokens. */
    String decode(long[] ids, boolean skipSpecialTokens);

    int padId();

    int clsId();

    int sepId();

    /** The longest input the model accepts (model_max_length), 512 when the files do not say. */
    int maxLength();
}
