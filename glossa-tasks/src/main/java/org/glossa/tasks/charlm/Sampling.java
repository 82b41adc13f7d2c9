package org.glossa.tasks.charlm;

import java.util.Arrays;
import java.util.Random;

/**
 * How the next token is picked from the model's logits: temperature, then top-k, then top-p (nucleus)
 * filtering, then a draw from what is left, in the order HuggingFace's {@code generate} applies them.
 *
 * @param temperature divides the logits; 0 means greedy decoding (always the most likely token), the limit
 *     of sampling as the temperature goes to 0
 * @param topK keep only the k most likely tokens; 0 keeps all
 * @param topP keep the fewest most likely tokens whose probabilities add up to at least p; 1 keeps all
 * @param seed seeds the draws: the same seed, model and prime give the same text
 */
public record Sampling(double temperature, int topK, double topP, long seed) {
    public Sampling {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 keeps every token), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
    }

    /** Plain sampling at temperature 1. */
    public static Sampling of(long seed) {
        return new Sampling(1.0, 0, 1.0, seed);
    }

    /** Always the most likely token. */
    public static Sampling greedy() {
        return new Sampling(0, 0, 1.0, 0);
    }

    public Sampling withTemperature(double value) {
        return new Sampling(value, topK, topP, seed);
    }

    public Sampling withTopK(int value) {
        return new Sampling(temperature, value, topP, seed);
    }

    public Sampling withTopP(double value) {
        return new Sampling(temperature, topK, value, seed);
    }

    public Sampling withSeed(long value) {
        return new Sampling(temperature, topK, topP, value);
    }

    /** True when the choice is the arg-max, with no randomness. */
    public boolean isGreedy() {
        return temperature == 0 || topK == 1;
    }

    /** The index of the largest logit (the first one on ties). */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The distribution the next token is drawn from: softmax(logits / temperature), with the tokens outside
     * the top-k and outside the top-p nucleus set to 0 and the rest renormalised. At temperature 0 all the
     * mass is on the arg-max.
     */
    public double[] probabilities(float[] logits) {
        int n = logits.length;
        double[] p = new double[n];
        if (temperature == 0) {
            p[argmax(logits)] = 1;
            return p;
        }
        // Softmax in double, shifted by the maximum so that small temperatures do not overflow.
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        if ((topK > 0 && topK < n) || topP < 1) {
            // Tokens by falling probability; the stable sort keeps the lower id first on ties.
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
            int keep = topK > 0 ? Math.min(topK, n) : n;
            if (topP < 1) {
                // The nucleus, within the top-k renormalised: every token whose predecessors (in falling
                // order) hold less than p of the mass.
                double topKMass = 0;
                for (int rank = 0; rank < keep; rank++) {
                    topKMass += p[order[rank]];
                }
                double mass = 0;
                int nucleus = 0;
                while (nucleus < keep && mass < topP * topKMass) {
                    mass += p[order[nucleus]];
                    nucleus++;
                }
                keep = Math.max(1, nucleus);
            }
            double kept = 0;
            for (int rank = 0; rank < n; rank++) {
                if (rank < keep) {
                    kept += p[order[rank]];
                } else {
                    p[order[rank]] = 0;
                }
            }
            for (int i = 0; i < n; i++) {
                p[i] /= kept;
            }
        }
        return p;
    }

    /** Picks the next token: the arg-max when greedy, else a draw from {@link #probabilities} using {@code random}. */
    public int pick(float[] logits, Random random) {
        if (isGreedy()) {
            return argmax(logits);
        }
        double[] p = probabilities(logits);
        double u = random.nextDouble();
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                cumulative += p[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last; // rounding left u above the total: the last token with any mass
    }
}
