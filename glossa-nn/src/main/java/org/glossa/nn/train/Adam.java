package org.glossa.nn.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.glossa.nn.Module;

/**
 * Adam as PyTorch's {@code torch.optim.Adam}: weight decay, if any, is the classic L2 penalty added to the
 * gradient before the moments (so Adam's scaling dilutes it; prefer {@link AdamW}). The same name rule
 * as AdamW decides which parameters it applies to.
 */
public final class Adam extends Optimizer {
    public record Options(double beta1, double beta2, double eps, double weightDecay, Predicate<String> decays) {
        public Options {
            AdamW.checkBetas(beta1, beta2, eps);
            if (weightDecay < 0) {
                throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
            }
        }

        /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
        public static Options defaults() {
            return new Options(0.9, 0.999, 1e-8, 0, WeightDecay.DEFAULT);
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
    }

    private final Options options;

    public Adam(Map<String, Tensor> parameters, Options options) {
        super("adam", parameters, List.of("exp_avg", "exp_avg_sq"));
        this.options = options;
    }

    public Adam(Module module, Options options) {
        this(module.namedParameters(), options);
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("beta1", options.beta1());
        out.put("beta2", options.beta2());
        out.put("eps", options.eps());
        out.put("weight_decay", options.weightDecay());
        return out;
    }

    @Override
    protected void update(ParameterState state, Tensor grad, double lr) {
        Tensor g = grad;
        if (options.weightDecay() != 0 && options.decays().test(state.name())) {
            g = grad.add(state.value, new Scalar(options.weightDecay())); // g + λp
        }
        AdamW.adamMove(state.value, g, slot(state, 0), slot(state, 1), state.steps, lr, options.beta1(), options.beta2(),
                options.eps());
    }
}
