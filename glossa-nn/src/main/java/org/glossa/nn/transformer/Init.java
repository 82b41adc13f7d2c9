package org.glossa.nn.transformer;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.nn.Linear;

/** Weight initialisations, drawn from libtorch's default generator (seed it with {@code torch.manual_seed}). */
public final class Init {
    private Init() {}

    /**
     * Glorot/Xavier uniform on the weight, U(±√(6 / (in + out))), and zero bias: what the reference
     * Transformer implementations (tensor2tensor, fairseq, the PyTorch tutorials) start their projections from.
     */
    public static void xavierUniform(Linear linear) {
        xavierUniform(linear.weight);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            linear.bias.fill_(new Scalar(0.0f));
        }
    }

    /** Xavier uniform on a 2-D weight (out, in). */
    public static void xavierUniform(Tensor weight) {
        double bound = Math.sqrt(6.0 / (weight.size(0) + weight.size(1)));
        try (NoGradGuard noGrad = new NoGradGuard()) {
            torch.uniform_(weight, -bound, bound);
        }
    }

    /** N(0, std²) on every element. */
    public static void normal(Tensor weight, double std) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            torch.normal_(weight, 0.0, std);
        }
    }
}
