package org.glossa.nn.train;

import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.glossa.nn.Module;

/**
 * Adam as PyTorch's {@code torch.optim.Adam}: weight decay, if any, is the classic L2 penalty added to the
 * gradient before the moments (so Adam's scaling dilutes it; prefer {@link AdamW}). The same name rule
 * as AdamW decides which parameters it applies to.
 */
public final class Adam extends Optimizer {
    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay (the options record is AdamW's). */
    public static AdamW.Options defaults() {
        return AdamW.Options.defaults().withWeightDecay(0);
    }

    private final AdamW.Options options;

    public Adam(Map<String, Tensor> parameters, AdamW.Options options) {
        super("adam", parameters, List.of("exp_avg", "exp_avg_sq"));
        this.options = options;
    }

    public Adam(Module module, AdamW.Options options) {
        this(module.namedParameters(), options);
    }

    @Override
    public Map<String, Object> hyperparameters() {
        return options.toMap();
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
