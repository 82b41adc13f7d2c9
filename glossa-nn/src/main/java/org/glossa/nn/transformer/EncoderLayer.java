package org.glossa.nn.transformer;

import org.bytedeco.pytorch.Tensor;
import org.glossa.nn.LayerNorm;
import org.glossa.nn.Linear;
import org.glossa.nn.Module;
import org.glossa.nn.Ops;

/**
 * One Transformer encoder layer: self-attention, then the position-wise feed-forward block, each wrapped in a
 * residual connection with dropout and a LayerNorm, after the sum (post-LN, the paper's) or before the sub-layer
 * (pre-LN). Parameter names are HF's BART/Marian encoder layer's: {@code self_attn}, {@code self_attn_layer_norm},
 * {@code fc1}, {@code fc2}, {@code final_layer_norm}.
 *
 * <pre>
 * post-LN: x = LN₁(x + drop(SelfAttn(x)));  x = LN₂(x + drop(FFN(x)))
 * pre-LN:  x = x + drop(SelfAttn(LN₁(x)));  x = x + drop(FFN(LN₂(x)))
 * </pre>
 */
public final class EncoderLayer extends Module {
    public final MultiHeadAttention selfAttn;
    public final LayerNorm selfAttnLayerNorm;
    public final Linear fc1;
    public final Linear fc2;
    public final LayerNorm finalLayerNorm;
    private final FeedForward feedForward;
    private final LayerOptions options;

    /** The layer's output (B, T, D) and, when asked for, its self-attention weights (B, H, T, T). */
    public record Result(Tensor output, Tensor selfAttention) {}

    public EncoderLayer(LayerOptions options) {
        this.options = options;
        selfAttn = child("self_attn", new MultiHeadAttention(options.dModel(), options.heads(), options.attentionDropout()));
        selfAttnLayerNorm = child("self_attn_layer_norm", new LayerNorm(options.dModel(), options.layerNormEps()));
        fc1 = child("fc1", new Linear(options.dModel(), options.ffnDim(), 1.0));
        fc2 = child("fc2", new Linear(options.ffnDim(), options.dModel(), 1.0));
        finalLayerNorm = child("final_layer_norm", new LayerNorm(options.dModel(), options.layerNormEps()));
        Init.xavierUniform(fc1);
        Init.xavierUniform(fc2);
        feedForward = new FeedForward(fc1, fc2, options.activation(), options.activationDropout());
    }

    /**
     * @param x (B, T, D)
     * @param keep (B, 1, 1, T) boolean, false at padding (see {@link org.glossa.nn.Masks#keys}); null for none
     */
    public Result forward(Tensor x, Tensor keep, boolean needWeights) {
        boolean training = isTraining();
        double dropout = options.dropout();
        if (options.preLayerNorm()) {
            Tensor normed = selfAttnLayerNorm.forward(x);
            MultiHeadAttention.Result attention = selfAttn.forward(normed, normed, keep, needWeights);
            x = x.add(Ops.dropout(attention.output(), dropout, training));
            x = x.add(Ops.dropout(feedForward.forward(finalLayerNorm.forward(x), training), dropout, training));
            return new Result(x, attention.weights());
        }
        MultiHeadAttention.Result attention = selfAttn.forward(x, x, keep, needWeights);
        x = selfAttnLayerNorm.forward(x.add(Ops.dropout(attention.output(), dropout, training)));
        x = finalLayerNorm.forward(x.add(Ops.dropout(feedForward.forward(x, training), dropout, training)));
        return new Result(x, attention.weights());
    }
}
