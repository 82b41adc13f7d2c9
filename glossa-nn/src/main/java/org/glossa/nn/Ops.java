package org.glossa.nn;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * The functional building blocks of a Transformer, with Java-shaped signatures over libtorch's C++-shaped
 * ones ({@code TensorOptional}, {@code DoubleOptional}, magic strings). Each is one libtorch call, so it
 * runs libtorch's kernels, autograd and autocast unchanged. A {@code null} optional tensor means "none".
 */
public final class Ops {
    private Ops() {}

    /** {@code x Wᵀ + b}: x (..., in), weight (out, in), bias (out) or null → (..., out). */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        try (TensorOptional b = optional(bias)) {
            return torch.linear(x, weight, b);
        }
    }

    /**
     * Layer normalisation over the trailing dimensions {@code normalizedShape}: (x − mean) / √(var + eps)
     * with the biased variance, then × weight + bias (either may be null).
     */
    public static Tensor layerNorm(Tensor x, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        try (TensorOptional w = optional(weight); TensorOptional b = optional(bias)) {
            // The last argument (cudnn_enable) only matters on GPUs.
            return torch.layer_norm(x, normalizedShape, w, b, eps, false);
        }
    }

    /** GELU with the exact erf form, x·Φ(x), as BERT uses ("gelu" in HF configs), not the tanh approximation. */
    public static Tensor gelu(Tensor x) {
        return torch.gelu(x, "none");
    }

    /** Softmax along {@code dim} (negative counts from the end). */
    public static Tensor softmax(Tensor x, long dim) {
        return torch.softmax(x, dim);
    }

    /**
     * softmax(q kᵀ / √d + mask) v, with libtorch's fused kernels. q (B, H, Tq, d), k and v (B, H, Tk, d) →
     * (B, H, Tq, d). {@code attnMask} broadcasts to (B, H, Tq, Tk) and is either boolean (true = may attend)
     * or floating point (added to the scores: 0 to keep, a large negative number to mask); null for none.
     * No dropout on the attention weights; the scale is 1/√d.
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor attnMask) {
        try (TensorOptional mask = optional(attnMask); DoubleOptional defaultScale = new DoubleOptional()) {
            return torch.scaled_dot_product_attention(q, k, v, mask, 0.0, false, defaultScale, false);
        }
    }

    /**
     * Attention as a model layer uses it: libtorch's fused kernel for inference; for training, the explicit
     * softmax(q kᵀ / √d + mask) v with dropout on the weights. The explicit form is what makes training fast:
     * with dropout the fused kernel falls back to a slow composite path, and its bf16 backward is an order of
     * magnitude slower than two bf16 matrix products (measured by bench/train-step.sh). Shapes and
     * {@code keep} (boolean, true = may attend, broadcast to (B, H, Tq, Tk); null for none) as
     * {@link #scaledDotProductAttention}.
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor keep, double dropout, boolean training) {
        if (!training) {
            return scaledDotProductAttention(q, k, v, keep);
        }
        double scale = 1.0 / Math.sqrt(q.size(-1));
        Tensor scores = torch.matmul(q, k.transpose(-2, -1)).mul(new Scalar(scale)); // (B, H, Tq, Tk)
        if (keep != null) {
            // A large finite negative rather than -inf: a fully masked row gives uniform weights, not NaN.
            scores = scores.masked_fill(keep.logical_not(), new Scalar(-1e9f));
        }
        Tensor weights = torch.dropout(torch.softmax(scores, -1), dropout, true); // fp32 under autocast
        return torch.matmul(weights, v); // (B, H, Tq, d)
    }

    /** Rows of {@code weight} (V, C) picked by int64 {@code ids} (...) → (..., C). */
    public static Tensor embedding(Tensor weight, Tensor ids) {
        return torch.embedding(weight, ids);
    }

    /** Matrix product with broadcasting over leading (batch) dimensions, as {@code torch.matmul}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return torch.matmul(a, b);
    }

    /** When training, zeroes each element with probability p and scales the rest by 1/(1−p); else returns x. */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        }
        return torch.dropout(x, p, training);
    }

    private static TensorOptional optional(Tensor tensor) {
        return tensor == null ? new TensorOptional() : new TensorOptional(tensor);
    }
}
