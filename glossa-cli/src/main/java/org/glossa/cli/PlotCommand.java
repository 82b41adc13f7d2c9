package org.glossa.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glossa.nn.train.RunPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code glossa plot RUN_DIR}: the loss curves of a training run, from its metrics.jsonl. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draws RUN_DIR/loss.png (training and validation losses by step) from RUN_DIR/metrics.jsonl;"
                + " works while the run is still going.")
final class PlotCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", description = "A training run directory (holding metrics.jsonl).")
    Path runDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(RunPlot.plotRun(runDir));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
