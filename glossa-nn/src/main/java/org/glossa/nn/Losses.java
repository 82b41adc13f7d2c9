package org.glossa.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Losses that more than one model family trains with. */
public final class Losses {
    private Losses() {}

    /** libtorch's {@code at::Reduction::Mean}. */
    private static final long MEAN = 1;

    /**
     * Cross-entropy with label smoothing (Szegedy et al., 2016; the Transformer paper's ε_ls = 0.1), averaged
     * over the positions whose target is not {@code ignoreIndex} (padding). With smoothing ε the target
     * distribution is (1 − ε) on the true class plus ε spread uniformly over all V classes, so per position
     * the loss is {@code (1 − ε)·(−log p_y) + ε·mean_v(−log p_v)}, as PyTorch's
     * {@code F.cross_entropy(label_smoothing=ε, ignore_index=…)} defines it. ε = 0 is plain cross-entropy.
     *
     * <p>Computed in fp32 whatever the logits' type (bf16 under autocast), as the trainer wants its loss.
     *
     * @param logits (..., V) any float type
     * @param targets int64 (...), the same leading shape
     * @return a scalar; NaN when every target is {@code ignoreIndex} (nothing to average, as PyTorch)
     */
    public static Tensor labelSmoothedCrossEntropy(Tensor logits, Tensor targets, long ignoreIndex, double smoothing) {
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + smoothing);
        }
        long classes = logits.size(-1);
        Tensor flatLogits = logits.to(ScalarType.Float).reshape(-1, classes); // (N, V)
        Tensor flatTargets = targets.reshape(-1); // (N)
        try (TensorOptional noWeights = new TensorOptional()) {
            return torch.cross_entropy_loss(flatLogits, flatTargets, noWeights, MEAN, ignoreIndex, smoothing);
        }
    }
}
