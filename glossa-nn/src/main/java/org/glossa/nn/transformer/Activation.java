package org.glossa.nn.transformer;

import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The non-linearity of a position-wise feed-forward block, by its HF config name ({@code activation_function}). */
public enum Activation {
    /** max(0, x): the Transformer paper's. */
    RELU("relu"),
    /** x·Φ(x) with the exact erf (HF "gelu", PyTorch's default GELU). */
    GELU("gelu"),
    /** The tanh approximation of GELU (HF "gelu_new", GPT-2's). */
    GELU_TANH("gelu_new"),
    /** x·σ(x) (HF "silu", also called "swish"; Marian's). */
    SILU("silu");

    /** The name in config files. */
    public final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    /** The activation called {@code name} in a config ("swish" and "gelu_pytorch_tanh" are accepted aliases). */
    public static Activation fromConfigName(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return switch (key) {
            case "swish" -> SILU;
            case "gelu_pytorch_tanh" -> GELU_TANH;
            default -> Arrays.stream(values()).filter(a -> a.configName.equals(key)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("activation '" + name + "' is not one of "
                            + Arrays.stream(values()).map(a -> a.configName).toList()));
        };
    }

    /** Applies the activation element-wise. */
    public Tensor apply(Tensor x) {
        return switch (this) {
            case RELU -> torch.relu(x);
            case GELU -> torch.gelu(x, "none");
            case GELU_TANH -> torch.gelu(x, "tanh");
            case SILU -> torch.silu(x);
        };
    }
}
