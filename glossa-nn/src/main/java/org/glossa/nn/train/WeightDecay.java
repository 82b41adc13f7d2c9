package org.glossa.nn.train;

import java.util.function.Predicate;

/**
 * Which parameters weight decay applies to, decided by their HF-style dotted name.
 *
 * <p>Decay pulls weights towards zero, which is what matrices want and what biases and the gain and
 * shift of layer normalisation do not: shrinking a LayerNorm weight towards 0 rescales the activations
 * instead of regularising anything. HuggingFace's Trainer therefore exempts every bias and every
 * LayerNorm parameter; we do the same by name, since a checkpoint's names are all we keep:
 *
 * <ul>
 *   <li>the last segment is {@code bias} ({@code encoder.layer.0.output.dense.bias}, {@code bias});</li>
 *   <li>the name contains {@code LayerNorm} or {@code layer_norm} (BERT's {@code attention.output.LayerNorm.weight},
 *       {@code encoder.final_layer_norm.weight});</li>
 *   <li>a segment starts with {@code ln} (GPT-style {@code h.0.ln_1.weight}, {@code ln_f.weight}).</li>
 * </ul>
 */
public final class WeightDecay {
    private WeightDecay() {}

    /** True when weight decay applies to the parameter called {@code name}. */
    public static boolean appliesTo(String name) {
        String[] segments = name.split("\\.");
        if (segments[segments.length - 1].equals("bias")) {
            return false;
        }
        if (name.contains("LayerNorm") || name.contains("layer_norm")) {
            return false;
        }
        for (String segment : segments) {
            if (segment.startsWith("ln")) {
                return false;
            }
        }
        return true;
    }

    /** {@link #appliesTo} as a predicate, the default rule of the optimizers. */
    public static final Predicate<String> DEFAULT = WeightDecay::appliesTo;
}
