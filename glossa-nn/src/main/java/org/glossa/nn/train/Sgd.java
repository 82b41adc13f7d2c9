package org.glossa.nn.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.glossa.nn.Module;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay, as PyTorch's
 * {@code torch.optim.SGD} without dampening: b ← μb + g; p ← p − lr·b (or p ← p − lr·(g + μb) with Nesterov).
 * The buffer starts at zero, which gives PyTorch's first step b = g exactly.
 */
public final class Sgd extends Optimizer {
    public record Options(double momentum, boolean nesterov, double weightDecay, Predicate<String> decays) {
        public Options {
            if (momentum < 0 || momentum >= 1) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            if (nesterov && momentum == 0) {
                throw new IllegalArgumentException("Nesterov momentum needs a momentum > 0");
            }
            if (weightDecay < 0) {
                throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
            }
        }

        /** Plain SGD: no momentum, no weight decay. */
        public static Options plain() {
            return new Options(0, false, 0, WeightDecay.DEFAULT);
        }

        public static Options momentum(double momentum) {
            return new Options(momentum, false, 0, WeightDecay.DEFAULT);
        }

        public Options withNesterov(boolean on) {
            return new Options(momentum, on, weightDecay, decays);
        }

        public Options withWeightDecay(double value) {
            return new Options(momentum, nesterov, value, decays);
        }
    }

    private final Options options;

    public Sgd(Map<String, Tensor> parameters, Options options) {
        super("sgd", parameters, options.momentum() > 0 ? List.of("momentum_buffer") : List.of());
        this.options = options;
    }

    public Sgd(Module module, Options options) {
        this(module.namedParameters(), options);
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("momentum", options.momentum());
        out.put("nesterov", options.nesterov());
        out.put("weight_decay", options.weightDecay());
        return out;
    }

    @Override
    protected void update(ParameterState state, Tensor grad, double lr) {
        Tensor g = grad;
        if (options.weightDecay() != 0 && options.decays().test(state.name())) {
            g = grad.add(state.value, new Scalar(options.weightDecay()));
        }
        if (options.momentum() > 0) {
            Tensor buffer = slot(state, 0);
            buffer.mul_(new Scalar(options.momentum())).add_(g);
            g = options.nesterov() ? g.add(buffer, new Scalar(options.momentum())) : buffer;
        }
        state.value.add_(g, new Scalar(-lr));
    }
}
