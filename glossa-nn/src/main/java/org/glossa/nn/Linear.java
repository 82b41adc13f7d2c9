package org.glossa.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** {@code y = x Wᵀ + b} with PyTorch's names and layout: {@code weight} (out, in), {@code bias} (out). */
public final class Linear extends Module {
    public final Tensor weight;
    public final Tensor bias;

    public Linear(long inFeatures, long outFeatures, double initStd) {
        weight = parameter("weight", outFeatures, inFeatures);
        bias = parameter("bias", outFeatures);
        torch.normal_(weight, 0.0, initStd);
    }

    /** (..., in) → (..., out) */
    public Tensor forward(Tensor x) {
        return Ops.linear(x, weight, bias);
    }
}
