package org.glossa.nn.transformer;

import org.bytedeco.pytorch.Tensor;
import org.glossa.nn.Linear;
import org.glossa.nn.Ops;

/**
 * The position-wise feed-forward block (Vaswani et al., 2017, §3.3): {@code fc2(dropout(act(fc1(x))))}, applied
 * to every position alike, widening d_model to ffn_dim (4 × d_model in the paper) and back.
 *
 * <p>Not a {@link org.glossa.nn.Module} of its own: HF's BART/Marian layers hold {@code fc1} and {@code fc2} directly
 * (no "ffn." level in the parameter names), so the layer registers the two Linears and wraps them in this.
 */
public final class FeedForward {
    private final Linear fc1;
    private final Linear fc2;
    private final Activation activation;
    private final double activationDropout;

    public FeedForward(Linear fc1, Linear fc2, Activation activation, double activationDropout) {
        this.fc1 = fc1;
        this.fc2 = fc2;
        this.activation = activation;
        this.activationDropout = activationDropout;
    }

    /** (..., D) → (..., D) */
    public Tensor forward(Tensor x, boolean training) {
        Tensor hidden = activation.apply(fc1.forward(x)); // (..., F)
        return fc2.forward(Ops.dropout(hidden, activationDropout, training));
    }
}
