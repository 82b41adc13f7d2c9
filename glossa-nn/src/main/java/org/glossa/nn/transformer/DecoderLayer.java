package org.glossa.nn.transformer;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.glossa.nn.CarriedTensor;
import org.glossa.nn.LayerNorm;
import org.glossa.nn.Linear;
import org.glossa.nn.Module;
import org.glossa.nn.Ops;

/**
 * One Transformer decoder layer: masked (causal) self-attention, cross-attention over the encoder's output, and
 * the position-wise feed-forward block, each with residual, dropout and LayerNorm as in {@link EncoderLayer}
 * (post-LN or pre-LN). Parameter names are HF's BART/Marian decoder layer's: {@code self_attn},
 * {@code self_attn_layer_norm}, {@code encoder_attn}, {@code encoder_attn_layer_norm}, {@code fc1}, {@code fc2},
 * {@code final_layer_norm}.
 *
 * <p>For step-by-step decoding a {@link Cache} keeps the keys and values of the positions already decoded (and
 * the encoder output's keys and values, computed once), so each new position costs one row of work instead of
 * recomputing the whole prefix.
 */
public final class DecoderLayer extends Module {
    public final MultiHeadAttention selfAttn;
    public final LayerNorm selfAttnLayerNorm;
    public final MultiHeadAttention encoderAttn;
    public final LayerNorm encoderAttnLayerNorm;
    public final Linear fc1;
    public final Linear fc2;
    public final LayerNorm finalLayerNorm;
    private final FeedForward feedForward;
    private final LayerOptions options;

    /** The layer's output (B, T, D) and, when asked for, its weights: self (B, H, T, T') and cross (B, H, T, S). */
    public record Result(Tensor output, Tensor selfAttention, Tensor crossAttention) {}

    /**
     * The keys and values of one layer for incremental decoding: self-attention's for the positions decoded so
     * far (B, H, t, d_head), growing by one position per step, and cross-attention's for the encoder output
     * (B, H, S, d_head), computed on first use. Each lives in a {@link CarriedTensor}, so steps run in their own
     * native scopes; close the cache when decoding ends.
     */
    public static final class Cache implements AutoCloseable {
        private final CarriedTensor selfKeys = new CarriedTensor(null);
        private final CarriedTensor selfValues = new CarriedTensor(null);
        private final CarriedTensor crossKeys = new CarriedTensor(null);
        private final CarriedTensor crossValues = new CarriedTensor(null);

        /** Positions already decoded (the self-attention keys held). */
        public long length() {
            return selfKeys.get() == null ? 0 : selfKeys.get().size(2);
        }

        /** Keeps the rows {@code rows} (int64 (N')) of every cached tensor, in that order: beam reordering. */
        public void select(Tensor rows) {
            for (CarriedTensor carried : new CarriedTensor[] {selfKeys, selfValues, crossKeys, crossValues}) {
                if (carried.get() != null) {
                    carried.set(carried.get().index_select(0, rows));
                }
            }
        }

        @Override
        public void close() {
            selfKeys.close();
            selfValues.close();
            crossKeys.close();
            crossValues.close();
        }
    }

    public DecoderLayer(LayerOptions options) {
        this.options = options;
        long d = options.dModel();
        selfAttn = child("self_attn", new MultiHeadAttention(d, options.heads(), options.attentionDropout()));
        selfAttnLayerNorm = child("self_attn_layer_norm", new LayerNorm(d, options.layerNormEps()));
        encoderAttn = child("encoder_attn", new MultiHeadAttention(d, options.heads(), options.attentionDropout()));
        encoderAttnLayerNorm = child("encoder_attn_layer_norm", new LayerNorm(d, options.layerNormEps()));
        fc1 = child("fc1", new Linear(d, options.ffnDim(), 1.0));
        fc2 = child("fc2", new Linear(options.ffnDim(), d, 1.0));
        finalLayerNorm = child("final_layer_norm", new LayerNorm(d, options.layerNormEps()));
        Init.xavierUniform(fc1);
        Init.xavierUniform(fc2);
        feedForward = new FeedForward(fc1, fc2, options.activation(), options.activationDropout());
    }

    /**
     * @param x (B, T, D): the target positions to compute (all of them, or the new ones after a cache's)
     * @param selfKeep boolean, broadcastable to (B, H, T, t + T) where t is the cache's length: the causal mask
     *     ({@link org.glossa.nn.Masks#causal}); null when nothing needs hiding (one new position after a cache)
     * @param memory the encoder's output (B, S, D); unused once the cache holds its keys and values
     * @param memoryKeep (B, 1, 1, S) boolean, false at source padding; null for none
     * @param cache null to compute from scratch, or the cache to read the earlier positions from and append to
     */
    public Result forward(Tensor x, Tensor selfKeep, Tensor memory, Tensor memoryKeep, Cache cache, boolean needWeights) {
        boolean training = isTraining();
        double dropout = options.dropout();
        boolean pre = options.preLayerNorm();

        // Masked self-attention over the earlier positions (cached) and these.
        Tensor normed = pre ? selfAttnLayerNorm.forward(x) : x;
        Tensor keys = selfAttn.keys(normed); // (B, H, T, dh)
        Tensor values = selfAttn.values(normed);
        if (cache != null) {
            keys = append(cache.selfKeys, keys); // (B, H, t + T, dh)
            values = append(cache.selfValues, values);
        }
        MultiHeadAttention.Result self = selfAttn.attend(normed, keys, values, selfKeep, needWeights);
        x = residual(x, self.output(), selfAttnLayerNorm, dropout, training);

        // Cross-attention over the encoder's output.
        normed = pre ? encoderAttnLayerNorm.forward(x) : x;
        Tensor memoryKeys;
        Tensor memoryValues;
        if (cache != null) {
            if (cache.crossKeys.get() == null) {
                cache.crossKeys.set(encoderAttn.keys(memory));
                cache.crossValues.set(encoderAttn.values(memory));
            }
            memoryKeys = cache.crossKeys.get(); // (B, H, S, dh)
            memoryValues = cache.crossValues.get();
        } else {
            memoryKeys = encoderAttn.keys(memory);
            memoryValues = encoderAttn.values(memory);
        }
        MultiHeadAttention.Result cross = encoderAttn.attend(normed, memoryKeys, memoryValues, memoryKeep, needWeights);
        x = residual(x, cross.output(), encoderAttnLayerNorm, dropout, training);

        // Position-wise feed-forward.
        Tensor ffn = feedForward.forward(pre ? finalLayerNorm.forward(x) : x, training);
        x = residual(x, ffn, finalLayerNorm, dropout, training);
        return new Result(x, self.weights(), cross.weights());
    }

    /** x + drop(sublayer) for pre-LN (the input was normalised already); LN(x + drop(sublayer)) for post-LN. */
    private Tensor residual(Tensor x, Tensor sublayer, LayerNorm norm, double dropout, boolean training) {
        Tensor sum = x.add(Ops.dropout(sublayer, dropout, training));
        return options.preLayerNorm() ? sum : norm.forward(sum);
    }

    /** The cached tensor with {@code next} appended along the positions (dim 2), stored back into the cache. */
    private static Tensor append(CarriedTensor cached, Tensor next) {
        Tensor all = cached.get() == null ? next : concat(cached.get(), next);
        cached.set(all);
        return all;
    }

    private static Tensor concat(Tensor a, Tensor b) {
        try (TensorVector both = new TensorVector(a, b)) {
            return torch.cat(both, 2);
        }
    }
}
