package org.glossa.nn.train;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.file.Path;

/**
 * How a {@link Trainer} runs. Build one with {@link #builder(Path)}; every setting has a default.
 *
 * @param runDir where checkpoints, {@code metrics.jsonl} and the loss plot go
 * @param maxSteps optimizer steps to run; 0 to derive them from {@code epochs}
 * @param epochs passes over the data when {@code maxSteps} is 0 (may be fractional)
 * @param accumulation micro-batches per optimizer step (gradient accumulation); each loss is scaled by 1/accumulation
 * @param maxGradNorm clip the global L2 norm of the gradients to this; 0 for no clipping
 * @param precision FP32, or BF16 (autocast forward, fp32 weights, loss and backward)
 * @param logEvery write a metrics line every this many steps
 * @param evalEvery evaluate every this many steps (and at the end); 0 for only at the end
 * @param saveEvery write a checkpoint every this many steps (and at the end); 0 for only at the end
 * @param keepLast keep the newest this many checkpoints (and the best one); 0 to keep all
 * @param monitor the evaluation metric that picks the best checkpoint and drives early stopping; null for none
 * @param lowerIsBetter whether smaller {@code monitor} values are better (losses) or larger (accuracy)
 * @param patience stop after this many evaluations without improvement of {@code monitor}; 0 never stops early
 * @param minDelta an improvement must beat the best value by more than this
 * @param seed seeds libtorch's generator (initialisation done afterwards, dropout) and the data order
 * @param showProgress draw the live progress line on standard error
 * @param plot write {@code loss.png} in the run directory at the end
 */
public record TrainConfig(
        @JsonIgnore Path runDir,
        long maxSteps,
        double epochs,
        int accumulation,
        double maxGradNorm,
        Precision precision,
        long logEvery,
        long evalEvery,
        long saveEvery,
        int keepLast,
        String monitor,
        boolean lowerIsBetter,
        int patience,
        double minDelta,
        long seed,
        boolean showProgress,
        boolean plot) {

    /** The arithmetic of the forward pass. */
    public enum Precision {
        /** Everything in float32. */
        FP32,
        /** Forward under bf16 autocast (matmuls in bfloat16), fp32 master weights, fp32 loss, backward outside autocast. */
        BF16
    }

    public TrainConfig {
        if (runDir == null) {
            throw new IllegalArgumentException("a run directory is required");
        }
        if (maxSteps < 0 || (maxSteps == 0 && !(epochs > 0))) {
            throw new IllegalArgumentException("need maxSteps > 0 or epochs > 0, got " + maxSteps + " and " + epochs);
        }
        if (accumulation < 1) {
            throw new IllegalArgumentException("gradient accumulation must be >= 1, got " + accumulation);
        }
        if (!(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("max gradient norm must be >= 0, got " + maxGradNorm);
        }
        if (logEvery < 1 || evalEvery < 0 || saveEvery < 0 || keepLast < 0 || patience < 0 || minDelta < 0) {
            throw new IllegalArgumentException("logEvery must be >= 1 and evalEvery, saveEvery, keepLast, patience, minDelta >= 0");
        }
        if (patience > 0 && monitor == null) {
            throw new IllegalArgumentException("early stopping (patience " + patience + ") needs a monitored metric");
        }
        if (precision == null) {
            precision = Precision.FP32;
        }
    }

    /** Optimizer steps for a data set of {@code batchesPerEpoch} batches: {@code maxSteps}, or ⌈epochs · batches / accumulation⌉. */
    public long totalSteps(long batchesPerEpoch) {
        if (maxSteps > 0) {
            return maxSteps;
        }
        return Math.max(1, (long) Math.ceil(epochs * batchesPerEpoch / accumulation));
    }

    public static Builder builder(Path runDir) {
        return new Builder(runDir);
    }

    /** Defaults: 1 epoch, no accumulation, clipping at 1.0 (as HF), fp32, log every 10 steps, checkpoint at the end, keep 3. */
    public static final class Builder {
        private final Path runDir;
        private long maxSteps;
        private double epochs = 1;
        private int accumulation = 1;
        private double maxGradNorm = 1.0;
        private Precision precision = Precision.FP32;
        private long logEvery = 10;
        private long evalEvery;
        private long saveEvery;
        private int keepLast = 3;
        private String monitor;
        private boolean lowerIsBetter = true;
        private int patience;
        private double minDelta;
        private long seed = 42;
        private boolean showProgress = true;
        private boolean plot = true;

        private Builder(Path runDir) {
            this.runDir = runDir;
        }

        public Builder maxSteps(long value) { maxSteps = value; return this; }
        public Builder epochs(double value) { epochs = value; return this; }
        public Builder accumulation(int value) { accumulation = value; return this; }
        public Builder maxGradNorm(double value) { maxGradNorm = value; return this; }
        public Builder precision(Precision value) { precision = value; return this; }
        public Builder logEvery(long value) { logEvery = value; return this; }
        public Builder evalEvery(long value) { evalEvery = value; return this; }
        public Builder saveEvery(long value) { saveEvery = value; return this; }
        public Builder keepLast(int value) { keepLast = value; return this; }
        public Builder seed(long value) { seed = value; return this; }
        public Builder showProgress(boolean value) { showProgress = value; return this; }
        public Builder plot(boolean value) { plot = value; return this; }

        /** Keep the best checkpoint by {@code metric} (an evaluator's name), smaller being better or not. */
        public Builder monitor(String metric, boolean lowerIsBetter) {
            this.monitor = metric;
            this.lowerIsBetter = lowerIsBetter;
            return this;
        }

        /** Stop after {@code evaluations} evaluations in a row that do not beat the best {@code monitor} value by more than {@code minDelta}. */
        public Builder earlyStopping(int evaluations, double minDelta) {
            this.patience = evaluations;
            this.minDelta = minDelta;
            return this;
        }

        public TrainConfig build() {
            return new TrainConfig(runDir, maxSteps, epochs, accumulation, maxGradNorm, precision, logEvery, evalEvery,
                    saveEvery, keepLast, monitor, lowerIsBetter, patience, minDelta, seed, showProgress, plot);
        }
    }
}
