package org.glossa.text;

import java.util.Arrays;
import java.util.List;
import org.glossa.core.GlossaException;

/**
 * Encodings padded to one length T for a batch of B rows: {@code ids[b][t]} etc. Padding goes on
 * the right, with the tokenizer's pad id, type id 0 and attention mask 0.
 *
 * <p>The {@code flat…} methods return the same values row-major in one {@code long[]} of B×T
 * entries, the layout a tensor of shape {@link #shape()} needs.
 *
 * @param ids token ids, (B, T)
 * @param typeIds segment ids, (B, T)
 * @param attentionMask 1 for real tokens, 0 for padding, (B, T)
 * @param lengths the unpadded length of each row, (B)
 */
public record Batch(long[][] ids, long[][] typeIds, long[][] attentionMask, int[] lengths) {

    /**
     * Pads encodings to the longest of them, rounded up to a multiple of {@code padToMultipleOf}
     * (1 for none; 8 suits tensor-core and AMX tiles).
     */
    public static Batch pad(List<Encoding> encodings, long padId, int padToMultipleOf) {
        if (encodings.isEmpty()) {
            throw new GlossaException("cannot pad an empty list of encodings");
        }
        if (padToMultipleOf < 1) {
            throw new GlossaException("padToMultipleOf must be at least 1, got " + padToMultipleOf);
        }
        int longest = encodings.stream().mapToInt(Encoding::length).max().orElseThrow();
        int width = (longest + padToMultipleOf - 1) / padToMultipleOf * padToMultipleOf;
        int rows = encodings.size();
        long[][] ids = new long[rows][width];
        long[][] typeIds = new long[rows][width];
        long[][] mask = new long[rows][width];
        int[] lengths = new int[rows];
        for (int b = 0; b < rows; b++) {
            Encoding e = encodings.get(b);
            int n = e.length();
            lengths[b] = n;
            System.arraycopy(e.ids(), 0, ids[b], 0, n);
            System.arraycopy(e.typeIds(), 0, typeIds[b], 0, n);
            System.arraycopy(e.attentionMask(), 0, mask[b], 0, n);
            Arrays.fill(ids[b], n, width, padId);
            // typeIds and mask are already 0 past n
        }
        return new Batch(ids, typeIds, mask, lengths);
    }

    /** B, the number of rows. */
    public int batchSize() {
        return ids.length;
    }

    /** T, the padded length of every row. */
    public int length() {
        return ids[0].length;
    }

    /** {B, T}. */
    public long[] shape() {
        return new long[] {batchSize(), length()};
    }

    /** Token ids row-major, (B*T). */
    public long[] flatIds() {
        return flatten(ids);
    }

    /** Segment ids row-major, (B*T). */
    public long[] flatTypeIds() {
        return flatten(typeIds);
    }

    /** Attention mask row-major, (B*T). */
    public long[] flatAttentionMask() {
        return flatten(attentionMask);
    }

    private static long[] flatten(long[][] rows) {
        int width = rows[0].length;
        long[] flat = new long[rows.length * width];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], 0, flat, b * width, width);
        }
        return flat;
    }
}
