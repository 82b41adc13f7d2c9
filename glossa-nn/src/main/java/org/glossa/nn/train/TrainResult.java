package org.glossa.nn.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a run ended.
 *
 * @param steps optimizer steps done in total (including those before a resume)
 * @param epoch passes over the data so far (fractional)
 * @param reason why the loop stopped
 * @param lastCheckpoint the checkpoint written last
 * @param bestCheckpoint the checkpoint with the best monitored metric, or null without a monitor
 * @param bestMetric the best value of the monitored metric, or null
 * @param lastEval the metrics of the last evaluation (empty without an evaluator)
 * @param lastLoss the mean training loss of the last step
 * @param wallSeconds the run's wall time, including the sessions before a resume
 */
public record TrainResult(long steps, double epoch, StopReason reason, Path lastCheckpoint, Path bestCheckpoint,
                          Double bestMetric, Map<String, Double> lastEval, double lastLoss, double wallSeconds) {

    public enum StopReason {
        /** All steps done. */
        COMPLETED,
        /** The monitored metric stopped improving. */
        EARLY_STOPPED,
        /** Ctrl-C or {@link Trainer#requestStop}: a checkpoint was saved; resume to continue. */
        INTERRUPTED
    }
}
