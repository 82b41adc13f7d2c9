package org.glossa.nn;

import java.util.function.Supplier;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Mixed precision on the CPU: inside {@link #bf16}, libtorch's autocast runs matrix products (linear,
 * matmul, attention) in bfloat16 and keeps precision-sensitive ops (softmax, layer norm, losses) in fp32,
 * while the weights stay fp32. On a CPU with AMX this makes bf16 matmuls several times faster.
 *
 * <p>This is what Python's {@code with torch.autocast("cpu", dtype=torch.bfloat16):} does; the presets
 * expose the same C++ calls ({@code at::autocast::set_autocast_enabled}, {@code set_autocast_dtype},
 * {@code increment_nesting}, {@code clear_cache}). The state is per thread. Results computed inside are
 * often bf16 tensors: convert them ({@code .to(ScalarType.Float)}) before comparing or accumulating.
 * Run the backward pass outside the block, as PyTorch recommends: autograd replays the recorded casts.
 */
public final class Autocast {
    private Autocast() {}

    public static <T> T bf16(Supplier<T> body) {
        Engine.init();
        boolean wasEnabled = torch.is_autocast_enabled(DeviceType.CPU);
        ScalarType previousType = torch.get_autocast_dtype(DeviceType.CPU);
        torch.set_autocast_enabled(DeviceType.CPU, true);
        torch.set_autocast_dtype(DeviceType.CPU, ScalarType.BFloat16);
        torch.increment_nesting();
        try {
            return body.get();
        } finally {
            // Autocast caches the bf16 copies of the weights while enabled; the outermost exit drops them.
            if (torch.decrement_nesting() == 0) {
                torch.clear_cache();
            }
            torch.set_autocast_enabled(DeviceType.CPU, wasEnabled);
            torch.set_autocast_dtype(DeviceType.CPU, previousType);
        }
    }

    public static void bf16(Runnable body) {
        bf16(() -> {
            body.run();
            return null;
        });
    }

    /** Whether autocast is on for the CPU on this thread. */
    public static boolean isEnabled() {
        Engine.init();
        return torch.is_autocast_enabled(DeviceType.CPU);
    }
}
