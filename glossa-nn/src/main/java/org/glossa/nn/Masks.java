package org.glossa.nn;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Boolean attention masks in one convention: {@code true} = this query may attend to this key. They broadcast
 * against attention scores (B, H, Tq, Tk), so a padding mask is (B, 1, 1, Tk) and a causal mask (1, 1, Tq, Tk).
 * (PyTorch's {@code nn.MultiheadAttention} masks say the opposite, true = hidden; {@code scaled_dot_product_attention}
 * and {@link Ops#attention} use ours.)
 */
public final class Masks {
    private Masks() {}

    /** ids int64 (B, T) → bool (B, T): true for real tokens, false where the id is {@code padId}. */
    public static Tensor notPadding(Tensor ids, long padId) {
        return ids.ne(new Scalar(padId));
    }

    /** A per-token mask (B, T) as a key mask for attention scores: (B, 1, 1, T). */
    public static Tensor keys(Tensor notPadding) {
        return notPadding.to(ScalarType.Bool).unsqueeze(1).unsqueeze(2);
    }

    /**
     * The causal mask of {@code queries} new positions that follow {@code keys − queries} earlier ones (a
     * key/value cache): query i sits at absolute position {@code keys − queries + i} and may attend to every key
     * up to and including that position. (1, 1, Tq, Tk); with queries == keys the usual lower triangle.
     */
    public static Tensor causal(long queries, long keys) {
        if (queries > keys) {
            throw new IllegalArgumentException("causal mask with more queries (" + queries + ") than keys (" + keys + ")");
        }
        Engine.init();
        Tensor ones = torch.ones(new long[] {queries, keys}).to(ScalarType.Bool); // (Tq, Tk)
        return ones.tril(keys - queries).unsqueeze(0).unsqueeze(0); // (1, 1, Tq, Tk)
    }

    /** Both masks must allow a position (logical and, broadcasting); either may be null for "no mask". */
    public static Tensor both(Tensor a, Tensor b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a.logical_and(b);
    }
}
