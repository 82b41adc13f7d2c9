package org.glossa.nn.train;

import java.nio.file.Path;

/** The training and validation loss curves of a run, as a PNG (waits for org.glossa.core.plot). */
public final class RunPlot {
    private RunPlot() {}

    /** Draws {@code loss.png} in {@code runDir} from its {@code metrics.jsonl}; returns the image's path. */
    public static Path plotRun(Path runDir) {
        throw new UnsupportedOperationException("plotting is not available yet");
    }

    /** {@link #plotRun}, skipped quietly when there is nothing to plot. */
    static void plotRunIfPossible(Path runDir) {
        // filled in once the plotting package lands
    }
}
