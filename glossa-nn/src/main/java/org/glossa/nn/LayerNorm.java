package org.glossa.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Layer normalisation over the last dimension, with PyTorch's names {@code weight} (γ) and {@code bias} (β). */
public final class LayerNorm extends Module {
    public final Tensor weight;
    public final Tensor bias;
    private final long size;
    private final double eps;

    public LayerNorm(long size, double eps) {
        this.size = size;
        this.eps = eps;
        weight = parameter("weight", size);
        bias = parameter("bias", size);
        weight.fill_(new org.bytedeco.pytorch.Scalar(1.0f));
    }

    /** (..., size) → (..., size) */
    public Tensor forward(Tensor x) {
        return Ops.layerNorm(x, new long[] {size}, weight, bias, eps);
    }
}
