package org.glossa.nn.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.glossa.nn.Module;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter), PyTorch's {@code torch.optim.AdamW} step for
 * step: each update first shrinks the parameter by {@code lr · weightDecay} (only where
 * {@link Options#decays} says so: by default not biases nor LayerNorm, see {@link WeightDecay}), then
 * moves it by the bias-corrected first moment over the square root of the bias-corrected second moment.
 */
public final class AdamW extends Optimizer {
    /**
     * @param decays which parameter names weight decay applies to
     */
    public record Options(double beta1, double beta2, double eps, double weightDecay, Predicate<String> decays) {
        public Options {
            checkBetas(beta1, beta2, eps);
            if (weightDecay < 0) {
                throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
            }
        }

        /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01, none on biases and LayerNorm. */
        public static Options defaults() {
            return new Options(0.9, 0.999, 1e-8, 0.01, WeightDecay.DEFAULT);
        }

        public Options withWeightDecay(double value) {
            return new Options(beta1, beta2, eps, value, decays);
        }

        public Options withBetas(double first, double second) {
            return new Options(first, second, eps, weightDecay, decays);
        }

        public Options withEps(double value) {
            return new Options(beta1, beta2, value, weightDecay, decays);
        }

        public Options withDecays(Predicate<String> rule) {
            return new Options(beta1, beta2, eps, weightDecay, rule);
        }

        /** The hyper-parameters by PyTorch's names, as checkpoints record them. */
        Map<String, Object> toMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("beta1", beta1);
            out.put("beta2", beta2);
            out.put("eps", eps);
            out.put("weight_decay", weightDecay);
            return out;
        }
    }

    private final Options options;

    public AdamW(Map<String, Tensor> parameters, Options options) {
        super("adamw", parameters, List.of("exp_avg", "exp_avg_sq"));
        this.options = options;
    }

    /** Trains every parameter of {@code module}. */
    public AdamW(Module module, Options options) {
        this(module.namedParameters(), options);
    }

    public Options options() {
        return options;
    }

    @Override
    public Map<String, Object> hyperparameters() {
        return options.toMap();
    }

    @Override
    protected void update(ParameterState state, Tensor grad, double lr) {
        Tensor param = state.value;
        if (options.weightDecay() != 0 && options.decays().test(state.name())) {
            param.mul_(new Scalar(1 - lr * options.weightDecay()));
        }
        adamMove(param, grad, slot(state, 0), slot(state, 1), state.steps, lr, options.beta1(), options.beta2(), options.eps());
    }

    /**
     * The Adam move shared with {@link Adam}, in PyTorch's order of operations (so results match it to the bit
     * pattern of its single-tensor path): m ← m + (1−β₁)(g − m); v ← β₂v + (1−β₂)g²;
     * p ← p − lr/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + ε).
     */
    static void adamMove(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, long step, double lr,
                         double beta1, double beta2, double eps) {
        expAvg.lerp_(grad, new Scalar(1 - beta1));
        expAvgSq.mul_(new Scalar(beta2)).addcmul_(grad, grad, new Scalar(1 - beta2));
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        Tensor denominator = expAvgSq.sqrt().div_(new Scalar(Math.sqrt(biasCorrection2))).add_(new Scalar(eps));
        param.addcdiv_(expAvg, denominator, new Scalar(-stepSize));
    }

    static void checkBetas(double beta1, double beta2, double eps) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("eps must be >= 0, got " + eps);
        }
    }
}
