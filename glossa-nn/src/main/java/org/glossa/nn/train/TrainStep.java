package org.glossa.nn.train;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * What the {@link Trainer} trains: a model that computes its own loss on a batch.
 *
 * <pre>{@code
 * TrainStep<Batch> step = batch -> torch.cross_entropy(head.forward(bert.forward(batch.ids(), null, batch.mask())
 *         .lastHiddenState()).flatten(0, 1), batch.labels().flatten());
 * }</pre>
 *
 * @param <B> the batch type
 */
@FunctionalInterface
public interface TrainStep<B> {
    /**
     * The scalar loss of the model on {@code batch}, with the autograd graph attached. Runs inside the
     * step's native scope (and under bf16 autocast in mixed precision): allocate freely.
     */
    Tensor loss(B batch);

    /**
     * Tensors the model carries from batch to batch and that a checkpoint must keep for an exact resume,
     * e.g. a recurrent state in stateful training (by name). None by default.
     */
    default Map<String, Tensor> carriedState() {
        return Map.of();
    }

    /** Restores what {@link #carriedState} returned when the checkpoint was written. */
    default void restoreCarriedState(Map<String, Tensor> state) {}
}
