package org.glossa.text;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tokenized sequence or pair of sequences, ready for a model: all arrays have {@link #length()}
 * entries, one per token.
 *
 * <p>Offsets: {@code charStart[i]} and {@code charEnd[i]} index the ORIGINAL Java string that token
 * {@code i} came from (the first or second text of a pair, see {@code sequenceIds}), in UTF-16 code
 * units, so {@code text.substring(charStart[i], charEnd[i])} is the source of the token. The span
 * is the original text before normalization: for an uncased BERT tokenizer the token "cafe" may
 * come from "Café". Special tokens added by the tokenizer ([CLS], [SEP]) have (0, 0).
 *
 * <p>The arrays are shared, not copied: treat them as read-only.
 *
 * @param ids token ids
 * @param typeIds segment ids (BERT token_type_ids): 0 for the first sequence, 1 for the second
 * @param attentionMask 1 for every token (padding happens in {@link Batch})
 * @param tokens the vocabulary entries, e.g. "##ing"
 * @param charStart start offsets, UTF-16 units into the original text of the token's sequence
 * @param charEnd end offsets (exclusive)
 * @param sequenceIds 0 or 1 for tokens of the first or second text, -1 for added special tokens
 */
public record Encoding(long[] ids, long[] typeIds, long[] attentionMask, String[] tokens,
                       int[] charStart, int[] charEnd, int[] sequenceIds) {

    public Encoding {
        Objects.requireNonNull(ids, "ids");
        int n = ids.length;
        if (typeIds.length != n || attentionMask.length != n || tokens.length != n
                || charStart.length != n || charEnd.length != n || sequenceIds.length != n) {
            throw new IllegalArgumentException("Encoding arrays differ in length");
        }
    }

    /** Number of tokens. */
    public int length() {
        return ids.length;
    }

    /** Whether token {@code i} was added by the tokenizer (not taken from either text). */
    public boolean isSpecial(int i) {
        return sequenceIds[i] < 0;
    }

    /** The tokens at the given positions, in that order (used to cut windows and truncate). */
    Encoding select(int[] positions) {
        int n = positions.length;
        long[] newIds = new long[n];
        long[] newTypeIds = new long[n];
        long[] newMask = new long[n];
        String[] newTokens = new String[n];
        int[] newStart = new int[n];
        int[] newEnd = new int[n];
        int[] newSequenceIds = new int[n];
        for (int i = 0; i < n; i++) {
            int p = positions[i];
            newIds[i] = ids[p];
            newTypeIds[i] = typeIds[p];
            newMask[i] = attentionMask[p];
            newTokens[i] = tokens[p];
            newStart[i] = charStart[p];
            newEnd[i] = charEnd[p];
            newSequenceIds[i] = sequenceIds[p];
        }
        return new Encoding(newIds, newTypeIds, newMask, newTokens, newStart, newEnd, newSequenceIds);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Encoding e
                && Arrays.equals(ids, e.ids) && Arrays.equals(typeIds, e.typeIds)
                && Arrays.equals(attentionMask, e.attentionMask) && Arrays.equals(tokens, e.tokens)
                && Arrays.equals(charStart, e.charStart) && Arrays.equals(charEnd, e.charEnd)
                && Arrays.equals(sequenceIds, e.sequenceIds);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(charStart);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Encoding[");
        for (int i = 0; i < length(); i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(tokens[i]).append('=').append(ids[i]);
            if (!isSpecial(i)) {
                text.append('@').append(sequenceIds[i]).append(':')
                        .append(charStart[i]).append('-').append(charEnd[i]);
            }
        }
        return text.append(']').toString();
    }
}
