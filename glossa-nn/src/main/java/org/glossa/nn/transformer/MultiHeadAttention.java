package org.glossa.nn.transformer;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.nn.Linear;
import org.glossa.nn.Module;
import org.glossa.nn.Ops;

/**
 * Multi-head scaled dot-product attention (Vaswani et al., 2017, §3.2), for self-attention (keys and values
 * from the queries' own sequence) and cross-attention (from another sequence, e.g. the encoder's output):
 *
 * <pre>
 * head_i = softmax(Q W_i^Q (K W_i^K)ᵀ / √d_head + mask) V W_i^V        out = concat(head_1 … head_h) W^O
 * </pre>
 *
 * Parameters as HF's BART/Marian attention names them: {@code q_proj}, {@code k_proj}, {@code v_proj},
 * {@code out_proj}, each a {@link Linear} (d_model → d_model) with bias.
 *
 * <p>Without attention weights requested, this is {@link Ops#attention}: libtorch's fused
 * {@code scaled_dot_product_attention} for inference, the explicit form with dropout in training. When the
 * weights are requested it always runs the explicit form and returns them (before dropout).
 */
public final class MultiHeadAttention extends Module {
    public final Linear qProj;
    public final Linear kProj;
    public final Linear vProj;
    public final Linear outProj;
    private final long heads;
    private final double dropout;

    /** What attention returns: the output (B, Tq, D) and, when asked for, the weights (B, H, Tq, Tk), else null. */
    public record Result(Tensor output, Tensor weights) {}

    public MultiHeadAttention(long dModel, long heads, double attentionDropout) {
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("d_model " + dModel + " is not a multiple of the " + heads + " heads");
        }
        qProj = child("q_proj", new Linear(dModel, dModel, 1.0));
        kProj = child("k_proj", new Linear(dModel, dModel, 1.0));
        vProj = child("v_proj", new Linear(dModel, dModel, 1.0));
        outProj = child("out_proj", new Linear(dModel, dModel, 1.0));
        for (Linear linear : new Linear[] {qProj, kProj, vProj, outProj}) {
            Init.xavierUniform(linear);
        }
        this.heads = heads;
        this.dropout = attentionDropout;
    }

    public long heads() {
        return heads;
    }

    /**
     * Attention of {@code query} over {@code keyValue} (pass the same tensor twice for self-attention).
     *
     * @param query (B, Tq, D)
     * @param keyValue (B, Tk, D)
     * @param keep boolean, broadcastable to (B, H, Tq, Tk), true where a query may attend to a key (see
     *     {@link org.glossa.nn.Masks}); null for no mask
     * @param needWeights whether to return the attention weights (B, H, Tq, Tk)
     */
    public Result forward(Tensor query, Tensor keyValue, Tensor keep, boolean needWeights) {
        return attend(query, keys(keyValue), values(keyValue), keep, needWeights);
    }

    /** The keys of a sequence, split into heads: (B, T, D) → (B, H, T, d_head). A key/value cache stores these. */
    public Tensor keys(Tensor x) {
        return splitHeads(kProj.forward(x));
    }

    /** The values of a sequence, split into heads: (B, T, D) → (B, H, T, d_head). */
    public Tensor values(Tensor x) {
        return splitHeads(vProj.forward(x));
    }

    /**
     * Attention of {@code query} (B, Tq, D) over keys and values already projected and split into heads
     * (B, H, Tk, d_head), e.g. from a cache; {@code keep} and {@code needWeights} as in {@link #forward}.
     */
    public Result attend(Tensor query, Tensor k, Tensor v, Tensor keep, boolean needWeights) {
        long batch = query.size(0);
        long queries = query.size(1);
        Tensor q = splitHeads(qProj.forward(query)); // (B, H, Tq, dh)
        Tensor context; // (B, H, Tq, dh)
        Tensor weights = null;
        if (needWeights) {
            double scale = 1.0 / Math.sqrt(q.size(-1));
            Tensor scores = torch.matmul(q, k.transpose(-2, -1)).mul(new Scalar(scale)); // (B, H, Tq, Tk)
            if (keep != null) {
                // As Ops.attention: a large finite negative, so a fully masked row gives uniform weights, not NaN.
                scores = scores.masked_fill(keep.logical_not(), new Scalar(-1e9f));
            }
            weights = torch.softmax(scores, -1);
            context = torch.matmul(Ops.dropout(weights, dropout, isTraining()), v);
        } else {
            context = Ops.attention(q, k, v, keep, dropout, isTraining());
        }
        Tensor merged = context.transpose(1, 2).reshape(batch, queries, -1); // (B, Tq, D)
        return new Result(outProj.forward(merged), weights);
    }

    /** (B, T, D) → (B, H, T, d_head) */
    private Tensor splitHeads(Tensor x) {
        return x.view(x.size(0), x.size(1), heads, -1).transpose(1, 2);
    }
}
