package org.glossa.nn.train;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The learning rate as a function of the optimizer step.
 *
 * <p>{@code step} counts the updates already applied (0 for the first update), as the {@code last_epoch}
 * of PyTorch's {@code LambdaLR}: with HuggingFace's warmup schedules the first update therefore uses
 * a learning rate of 0 when there is a warmup. Each schedule is a record of its settings, so a run can
 * write it down ({@code schedule} in the trainer state, as JSON with a {@code type}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Schedule.Constant.class, name = "constant"),
        @JsonSubTypes.Type(value = Schedule.WarmupConstant.class, name = "constant_with_warmup"),
        @JsonSubTypes.Type(value = Schedule.WarmupLinear.class, name = "linear"),
        @JsonSubTypes.Type(value = Schedule.WarmupCosine.class, name = "cosine"),
        @JsonSubTypes.Type(value = Schedule.Noam.class, name = "inverse_sqrt")})
public sealed interface Schedule {
    /** The learning rate of the update that follows {@code step} completed updates. */
    double lr(long step);

    /** Always {@code lr}. */
    record Constant(double lr) implements Schedule {
        public Constant {
            checkRate(lr);
        }

        @Override
        public double lr(long step) {
            return lr;
        }
    }

    /** {@code peak · step / warmup} during the warmup, then {@code peak} (HF's {@code get_constant_schedule_with_warmup}). */
    record WarmupConstant(double peak, long warmupSteps) implements Schedule {
        public WarmupConstant {
            checkRate(peak);
            checkSteps(warmupSteps, Long.MAX_VALUE);
        }

        @Override
        public double lr(long step) {
            return step < warmupSteps ? peak * ((double) step / warmupSteps) : peak;
        }
    }

    /**
     * {@code peak · step / warmup} during the warmup, then down in a straight line to 0 at {@code totalSteps},
     * and 0 after (HF's {@code get_linear_schedule_with_warmup}).
     */
    record WarmupLinear(double peak, long warmupSteps, long totalSteps) implements Schedule {
        public WarmupLinear {
            checkRate(peak);
            checkSteps(warmupSteps, totalSteps);
        }

        @Override
        public double lr(long step) {
            if (step < warmupSteps) {
                return peak * ((double) step / warmupSteps);
            }
            return peak * Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
        }
    }

    /**
     * Linear warmup, then half a cosine from {@code peak} to 0 at {@code totalSteps}, and 0 after (HF's
     * {@code get_cosine_schedule_with_warmup} with its default half cycle).
     */
    record WarmupCosine(double peak, long warmupSteps, long totalSteps) implements Schedule {
        public WarmupCosine {
            checkRate(peak);
            checkSteps(warmupSteps, totalSteps);
        }

        @Override
        public double lr(long step) {
            if (step < warmupSteps) {
                return peak * ((double) step / warmupSteps);
            }
            // Clamped at the end: HF's formula would rise again past totalSteps.
            double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
            return peak * Math.max(0.0, 0.5 * (1 + Math.cos(Math.PI * progress)));
        }
    }

    /**
     * The Transformer's inverse square root ("Noam", Vaswani et al. 2017, §5.3):
     * {@code factor · dModel^-0.5 · min(s^-0.5, s · warmup^-1.5)}, rising linearly for {@code warmup} steps
     * then decaying as 1/√s. As in the Annotated Transformer's {@code LambdaLR}, s is {@code max(step, 1)}, so
     * the first two updates share a rate instead of the first one dividing by zero.
     */
    record Noam(long dModel, long warmupSteps, double factor) implements Schedule {
        public Noam {
            if (dModel <= 0 || warmupSteps <= 0) {
                throw new IllegalArgumentException("Noam needs dModel > 0 and warmupSteps > 0, got " + dModel + ", " + warmupSteps);
            }
            checkRate(factor);
        }

        @Override
        public double lr(long step) {
            double s = Math.max(step, 1);
            return factor * Math.pow(dModel, -0.5) * Math.min(Math.pow(s, -0.5), s * Math.pow(warmupSteps, -1.5));
        }
    }

    private static void checkRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a finite number >= 0, got " + lr);
        }
    }

    private static void checkSteps(long warmup, long total) {
        if (warmup < 0 || total < 0 || warmup > total) {
            throw new IllegalArgumentException("need 0 <= warmup steps <= total steps, got warmup " + warmup + " of " + total);
        }
    }
}
