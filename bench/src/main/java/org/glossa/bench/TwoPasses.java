package org.glossa.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import org.glossa.core.AtomicFiles;
import org.glossa.nn.train.MetricsLog;
import org.glossa.nn.train.TrainConfig;
import org.glossa.nn.train.TrainConfig.Precision;
import org.glossa.nn.train.TrainData;

/**
 * How the step benchmarks beside PyTorch ({@link ClassifyThroughput}, {@link TransformerStepTiming}) time the
 * Trainer: the same fixed batches twice, one metrics line per pass; the first pass warms up (allocator, oneDNN
 * kernels), the second is the measurement.
 */
final class TwoPasses {
    private TwoPasses() {}

    /** {@code batches} in this order every epoch; {@code tokens} is what the throughput figure counts per batch. */
    static <B> TrainData<B> fixedBatches(List<B> batches, ToLongFunction<B> tokens) {
        return new TrainData<>() {
            public long batchesPerEpoch() { return batches.size(); }
            public B batch(long epoch, long index) { return batches.get((int) index); }
            public long tokens(B batch) { return tokens.applyAsLong(batch); }
        };
    }

    /** Two passes over {@code batches} batches with one log line each, nothing saved but the last checkpoint. */
    static TrainConfig.Builder config(Path runDir, int batches, Precision precision) {
        return TrainConfig.builder(runDir).maxSteps(2L * batches).logEvery(batches).precision(precision)
                .showProgress(false).plot(false).keepLast(1);
    }

    /**
     * The timed pass's metrics line, read from the finished run in {@code runDir}, which is then deleted. The warm-up
     * pass's throughput (in {@code unit}) and the loss of both passes are printed as a sanity check.
     */
    static JsonNode timedPass(Path runDir, Precision precision, String unit) {
        List<JsonNode> lines = MetricsLog.read(runDir.resolve(MetricsLog.FILE_NAME));
        AtomicFiles.deleteRecursively(runDir);
        System.out.printf(Locale.ROOT, "glossa %s: warm-up pass %.1f %s, loss %.4f → %.4f%n",
                precision.name().toLowerCase(Locale.ROOT), lines.get(0).get("tokens_per_s").asDouble(), unit,
                lines.get(0).get("loss").asDouble(), lines.get(1).get("loss").asDouble());
        return lines.get(1);
    }
}
