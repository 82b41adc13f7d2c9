package org.glossa.nn.train;

import java.util.Map;

/**
 * Evaluates the model, e.g. its loss on a validation set. The trainer calls it with the model in
 * evaluation mode ({@code train(false)}), without gradients, inside a native scope, and logs the
 * returned metrics by name (e.g. {@code val_loss}, {@code val_perplexity}).
 */
@FunctionalInterface
public interface Evaluator {
    Map<String, Double> evaluate();
}
