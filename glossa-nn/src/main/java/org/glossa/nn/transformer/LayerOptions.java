package org.glossa.nn.transformer;

/**
 * The shape and regularisation of one Transformer layer (encoder or decoder).
 *
 * @param dModel width of the residual stream
 * @param heads attention heads; {@code dModel} must be a multiple of it
 * @param ffnDim inner width of the feed-forward block (the paper's 4 × dModel)
 * @param activation the feed-forward non-linearity
 * @param dropout on each sub-layer's output before the residual addition (the paper's P_drop)
 * @param attentionDropout on the attention weights
 * @param activationDropout inside the feed-forward block, after the activation
 * @param preLayerNorm false: post-LN, {@code LN(x + F(x))}, as in the paper and the TensorFlow tutorial;
 *     true: pre-LN, {@code x + F(LN(x))} (Xiong et al., 2020), which then needs a final LayerNorm after the stack
 * @param layerNormEps epsilon of every LayerNorm
 */
public record LayerOptions(long dModel, long heads, long ffnDim, Activation activation, double dropout,
                           double attentionDropout, double activationDropout, boolean preLayerNorm,
                           double layerNormEps) {
    public LayerOptions {
        if (dModel <= 0 || heads <= 0 || ffnDim <= 0) {
            throw new IllegalArgumentException("layer sizes must be positive, got d_model " + dModel + ", heads " + heads
                    + ", ffn_dim " + ffnDim);
        }
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("d_model " + dModel + " is not a multiple of the " + heads + " heads");
        }
        for (double p : new double[] {dropout, attentionDropout, activationDropout}) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("dropout probabilities must be in [0, 1), got " + p);
            }
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("layer_norm_eps must be positive, got " + layerNormEps);
        }
    }
}
