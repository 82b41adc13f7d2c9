package org.glossa.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.glossa.nn.Engine;
import org.glossa.nn.Module;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The update rules against the textbook formulas written out in plain Java (double precision) on
 * 2-element parameters with gradients we choose: loss = Σ p·c makes the gradient exactly c.
 */
@Tag("model")
class OptimizerTest {
    /** A weight (decayed) and a bias (not decayed), 2 elements each, plus an unused parameter. */
    static final class Pair extends Module {
        final Tensor weight = parameter("weight", 2);
        final Tensor bias = parameter("bias", 2);
        final Tensor unused = parameter("unused", 2);

        Pair(float[] w, float[] b) {
            Tensors.noGrad(() -> {
                weight.copy_(Tensors.fromFloats(w, 2));
                bias.copy_(Tensors.fromFloats(b, 2));
                unused.fill_(new org.bytedeco.pytorch.Scalar(7.0));
            });
        }
    }

    private static final float[] W0 = {1.0f, -0.5f};
    private static final float[] B0 = {0.25f, 2.0f};
    private static final double[][] GRAD_W = {{0.5, -2}, {-1, 3}};
    private static final double[][] GRAD_B = {{1, 0.25}, {0.5, -0.5}};
    private static final double[] LR = {0.1, 0.05};

    /** Gives the pair the gradients of step {@code t} (0 or 1): backward of Σ weight·gw + Σ bias·gb. */
    private static void setGradients(Pair pair, int t) {
        try (NativeScope scope = new NativeScope()) {
            Tensor loss = pair.weight.mul(floats(GRAD_W[t])).sum().add(pair.bias.mul(floats(GRAD_B[t])).sum());
            loss.backward();
        }
    }

    private static Tensor floats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return Tensors.fromFloats(f, f.length);
    }

    /** Textbook AdamW on one element over the two steps (decay λ only when {@code decays}). */
    private static double[] adamW(double p0, double[] grads, double beta1, double beta2, double eps, double lambda,
                                  boolean decays, boolean coupled) {
        double p = p0, m = 0, v = 0;
        for (int t = 1; t <= grads.length; t++) {
            double g = grads[t - 1];
            double lr = LR[t - 1];
            if (decays && !coupled) {
                p -= lr * lambda * p;          // decoupled: shrink the weight itself
            }
            if (decays && coupled) {
                g += lambda * p;               // Adam's L2: into the gradient
            }
            m = beta1 * m + (1 - beta1) * g;
            v = beta2 * v + (1 - beta2) * g * g;
            double mHat = m / (1 - Math.pow(beta1, t));
            double vHat = v / (1 - Math.pow(beta2, t));
            p -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
        return new double[] {p, m, v};
    }

    private static double[] column(double[][] grads, int element) {
        return new double[] {grads[0][element], grads[1][element]};
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 2e-6 * Math.max(1, Math.abs(expected)), what);
    }

    private static void runTwoSteps(Pair pair, Optimizer optimizer) {
        for (int t = 0; t < 2; t++) {
            setGradients(pair, t);
            optimizer.step(LR[t]);
            optimizer.zeroGrad();
        }
    }

    @Test
    void adamWDecaysWeightsButNotBiasesAndCorrectsBias() {
        Engine.init();
        Pair pair = new Pair(W0, B0);
        double lambda = 0.5; // large, so that a wrongly decayed bias shows
        AdamW adamW = new AdamW(pair, AdamW.Options.defaults().withWeightDecay(lambda).withBetas(0.8, 0.9).withEps(1e-6));
        runTwoSteps(pair, adamW);
        float[] w = Tensors.toFloats(pair.weight);
        float[] b = Tensors.toFloats(pair.bias);
        for (int i = 0; i < 2; i++) {
            double[] expectW = adamW(W0[i], column(GRAD_W, i), 0.8, 0.9, 1e-6, lambda, true, false);
            double[] expectB = adamW(B0[i], column(GRAD_B, i), 0.8, 0.9, 1e-6, lambda, false, false);
            assertClose(expectW[0], w[i], "weight[" + i + "]");
            assertClose(expectB[0], b[i], "bias[" + i + "]");
            assertClose(expectW[1], adamW.state("exp_avg", "weight")[i], "exp_avg[" + i + "]");
            assertClose(expectW[2], adamW.state("exp_avg_sq", "weight")[i], "exp_avg_sq[" + i + "]");
        }
        // Without its decay the bias would have ended elsewhere: the exemption is real.
        double decayedBias = adamW(B0[1], column(GRAD_B, 1), 0.8, 0.9, 1e-6, lambda, true, false)[0];
        assertTrue(Math.abs(decayedBias - b[1]) > 1e-3);
        // A parameter that never had a gradient is untouched and has taken no step.
        assertArrayEquals(new float[] {7, 7}, Tensors.toFloats(pair.unused));
        assertEquals(0, adamW.steps("unused"));
        assertEquals(2, adamW.steps("weight"));
    }

    @Test
    void adamAddsTheL2PenaltyToTheGradient() {
        Engine.init();
        Pair pair = new Pair(W0, B0);
        Adam adam = new Adam(pair, Adam.defaults().withWeightDecay(0.3));
        runTwoSteps(pair, adam);
        float[] w = Tensors.toFloats(pair.weight);
        float[] b = Tensors.toFloats(pair.bias);
        for (int i = 0; i < 2; i++) {
            assertClose(adamW(W0[i], column(GRAD_W, i), 0.9, 0.999, 1e-8, 0.3, true, true)[0], w[i], "weight[" + i + "]");
            assertClose(adamW(B0[i], column(GRAD_B, i), 0.9, 0.999, 1e-8, 0.3, false, true)[0], b[i], "bias[" + i + "]");
        }
    }

    @Test
    void sgdWithMomentumAndNesterov() {
        Engine.init();
        for (boolean nesterov : new boolean[] {false, true}) {
            Pair pair = new Pair(W0, B0);
            Sgd sgd = new Sgd(pair, Sgd.Options.momentum(0.9).withNesterov(nesterov).withWeightDecay(0.1));
            runTwoSteps(pair, sgd);
            float[] w = Tensors.toFloats(pair.weight);
            float[] b = Tensors.toFloats(pair.bias);
            for (int i = 0; i < 2; i++) {
                assertClose(sgd(W0[i], column(GRAD_W, i), 0.9, nesterov, 0.1), w[i], "weight[" + i + "] nesterov=" + nesterov);
                assertClose(sgd(B0[i], column(GRAD_B, i), 0.9, nesterov, 0), b[i], "bias[" + i + "] nesterov=" + nesterov);
            }
        }
    }

    /** PyTorch's SGD (dampening 0) written out: b = μb + g (b = g at first), p -= lr·b or lr·(g + μb). */
    private static double sgd(double p, double[] grads, double mu, boolean nesterov, double lambda) {
        double buffer = 0;
        for (int t = 0; t < grads.length; t++) {
            double g = grads[t] + lambda * p;
            buffer = t == 0 ? g : mu * buffer + g;
            p -= LR[t] * (nesterov ? g + mu * buffer : buffer);
        }
        return p;
    }

    @Test
    void savedStateResumesBitForBit(@TempDir Path dir) {
        Engine.init();
        Pair straight = new Pair(W0, B0);
        AdamW first = new AdamW(straight, AdamW.Options.defaults());
        setGradients(straight, 0);
        first.step(LR[0]);
        first.zeroGrad();
        Path file = dir.resolve("optimizer.safetensors");
        first.saveState(file);

        // A fresh optimizer over a copy of the weights, loaded from the file, takes the same second step.
        Pair resumed = new Pair(Tensors.toFloats(straight.weight), Tensors.toFloats(straight.bias));
        AdamW second = new AdamW(resumed, AdamW.Options.defaults());
        second.loadState(file);
        assertEquals(1, second.steps("weight"));
        for (Pair pair : new Pair[] {straight, resumed}) {
            setGradients(pair, 1);
        }
        first.step(LR[1]);
        second.step(LR[1]);
        assertArrayEquals(Tensors.toFloats(straight.weight), Tensors.toFloats(resumed.weight), 0f);
        assertArrayEquals(Tensors.toFloats(straight.bias), Tensors.toFloats(resumed.bias), 0f);
        assertArrayEquals(first.state("exp_avg_sq", "weight"), second.state("exp_avg_sq", "weight"), 0f);
    }

    @Test
    void incompatibleStateIsNamed(@TempDir Path dir) {
        Engine.init();
        Pair pair = new Pair(W0, B0);
        AdamW adamW = new AdamW(pair, AdamW.Options.defaults());
        Path file = dir.resolve("optimizer.safetensors");
        adamW.saveState(file);

        GlossaException otherKind = assertThrows(GlossaException.class,
                () -> new Sgd(new Pair(W0, B0), Sgd.Options.momentum(0.9)).loadState(file));
        assertTrue(otherKind.getMessage().contains("adamw") && otherKind.getMessage().contains("sgd"), otherKind.getMessage());

        Module wider = new Module() {
            final Tensor weight = parameter("weight", 3);
            final Tensor bias = parameter("bias", 2);
            final Tensor unused = parameter("unused", 2);
        };
        GlossaException shape = assertThrows(GlossaException.class, () -> new AdamW(wider, AdamW.Options.defaults()).loadState(file));
        assertTrue(shape.getMessage().contains("exp_avg/weight") && shape.getMessage().contains("[3]"), shape.getMessage());

        Module renamed = new Module() {
            final Tensor kernel = parameter("kernel", 2);
        };
        GlossaException missing = assertThrows(GlossaException.class, () -> new AdamW(renamed, AdamW.Options.defaults()).loadState(file));
        assertTrue(missing.getMessage().contains("kernel"), missing.getMessage());

        GlossaException absent = assertThrows(GlossaException.class, () -> adamW.loadState(dir.resolve("nothing.safetensors")));
        assertTrue(absent.getMessage().contains("nothing.safetensors"), absent.getMessage());
    }

    @Test
    void gradientsAreDroppedByZeroGrad() {
        Engine.init();
        Pair pair = new Pair(W0, B0);
        Sgd sgd = new Sgd(pair, Sgd.Options.plain());
        setGradients(pair, 0);
        assertTrue(pair.weight.grad().defined());
        sgd.zeroGrad();
        assertTrue(!pair.weight.grad().defined());
        // A second backward after zeroGrad starts from nothing instead of adding up.
        setGradients(pair, 1);
        assertArrayEquals(new float[] {-1, 3}, Tensors.toFloats(pair.weight.grad()), 0f);
        assertTrue(torch.equal(pair.weight.grad(), floats(GRAD_W[1])));
    }
}
