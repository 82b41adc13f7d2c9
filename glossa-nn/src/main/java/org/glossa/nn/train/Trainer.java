package org.glossa.nn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.SafeTensorsFile;
import org.glossa.core.safetensors.TensorData;
import org.glossa.nn.Autocast;
import org.glossa.nn.Engine;
import org.glossa.nn.Module;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.glossa.nn.Weights;
import org.glossa.nn.train.TrainConfig.Precision;
import org.glossa.nn.train.TrainResult.StopReason;

/**
 * The training loop every neural model in Glossa goes through.
 *
 * <pre>{@code
 * TrainConfig config = TrainConfig.builder(runDir).epochs(3).accumulation(2).evalEvery(200).saveEvery(200)
 *         .monitor("val_loss", true).earlyStopping(5, 0).precision(Precision.BF16).build();
 * Optimizer adamW = new AdamW(model, AdamW.Options.defaults());
 * Schedule schedule = new Schedule.WarmupLinear(3e-4, 100, config.totalSteps(data.batchesPerEpoch()));
 * TrainResult result = new Trainer<>(model, model::loss, data, adamW, schedule, config)
 *         .evaluator(() -> Map.of("val_loss", validationLoss(model)))
 *         .configWriter(dir -> model.config.write(dir, "MyModel"))
 *         .train();                      // or .resume(runDir)
 * }</pre>
 *
 * <p>One optimizer step: for each of {@code accumulation} micro-batches, the loss (forward under bf16
 * autocast in mixed precision, the loss itself in fp32) divided by the accumulation count is
 * back-propagated (outside autocast); then the global gradient norm is clipped, the optimizer updates
 * the weights with the schedule's rate, and the gradients are dropped. Everything the step allocates
 * lives in one {@link NativeScope}.
 *
 * <p><b>Exact resume.</b> The data is a pure function of (epoch, index) (see {@link TrainData}), the
 * position is the count of micro-batches consumed, and a checkpoint holds the weights, the optimizer's
 * moments and step counts, libtorch's CPU generator state (dropout), the step and the early-stopping
 * bookkeeping. With the same thread count (libtorch's reductions depend on it), a run interrupted after
 * step n and resumed reaches the same weights, bit for bit, as one that never stopped.
 *
 * <p><b>Ctrl-C</b> (SIGINT) during {@link #train}/{@link #resume} asks the loop to stop after the
 * current step: it writes a checkpoint and returns with {@link StopReason#INTERRUPTED}. A second Ctrl-C
 * exits at once. {@link #requestStop} does the same from code.
 *
 * @param <B> the batch type
 */
public final class Trainer<B> {
    /** Where a checkpoint's {@code config.json} comes from: the model family's own writer. */
    @FunctionalInterface
    public interface ConfigWriter {
        /** Writes the model's configuration files into {@code directory} (a checkpoint being assembled). */
        void writeTo(Path directory) throws IOException;
    }

    private final Module model;
    private final TrainStep<B> trainStep;
    private final TrainData<B> data;
    private final Optimizer optimizer;
    private final Schedule schedule;
    private final TrainConfig config;
    private Evaluator evaluator;
    private ConfigWriter configWriter;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    // The run's state: what a checkpoint keeps besides tensors.
    private long step;
    private long microBatches;
    private Double bestMetric;
    private String bestCheckpoint;
    private int evalsWithoutImprovement;
    private double wallSecondsBefore;        // wall time of the sessions before a resume
    private long sessionStartNanos;
    private Map<String, Double> lastEval = Map.of();
    private long lastEvalStep = -1;
    private long lastSavedStep = -1;
    private Path lastCheckpoint;
    private double lastLoss = Double.NaN;

    public Trainer(Module model, TrainStep<B> trainStep, TrainData<B> data, Optimizer optimizer, Schedule schedule,
                   TrainConfig config) {
        this.model = model;
        this.trainStep = trainStep;
        this.data = data;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.config = config;
        Set<String> modelNames = model.namedParameters().keySet();
        for (String name : optimizer.parameters().keySet()) {
            if (!modelNames.contains(name)) {
                throw new IllegalArgumentException("the optimizer trains '" + name + "', which the model does not have");
            }
        }
    }

    /** Evaluates every {@code evalEvery} steps and at the end. */
    public Trainer<B> evaluator(Evaluator value) {
        this.evaluator = value;
        return this;
    }

    /** Writes {@code config.json} (and anything else the model needs) into each checkpoint. */
    public Trainer<B> configWriter(ConfigWriter value) {
        this.configWriter = value;
        return this;
    }

    /** Asks the loop to stop after the current step, writing a checkpoint (what Ctrl-C does). Thread-safe. */
    public void requestStop() {
        stopRequested.set(true);
    }

    /** Optimizer steps done so far. */
    public long step() {
        return step;
    }

    /** Trains from the start: seeds libtorch with the configured seed first. The run directory must hold no checkpoint. */
    public TrainResult train() {
        Engine.init();
        Path runDir = config.runDir();
        if (!Checkpoints.list(runDir).isEmpty()) {
            throw new GlossaException(runDir + " already holds checkpoints: resume that run, or train into another directory");
        }
        torch.manual_seed(config.seed());
        createDirectories(runDir);
        try (MetricsLog metrics = MetricsLog.create(runDir.resolve(MetricsLog.FILE_NAME))) {
            return loop(metrics);
        }
    }

    /**
     * Continues the run saved in {@code checkpointOrRunDir} (a checkpoint, or a run directory: its newest
     * checkpoint), writing on into this trainer's run directory. The checkpoint must fit: same parameter
     * names and shapes, same optimizer; otherwise a {@link GlossaException} says what differs.
     */
    public TrainResult resume(Path checkpointOrRunDir) {
        Engine.init();
        Path checkpoint = Checkpoints.resolve(checkpointOrRunDir);
        restore(checkpoint);
        createDirectories(config.runDir());
        try (MetricsLog metrics = MetricsLog.resume(config.runDir().resolve(MetricsLog.FILE_NAME), step)) {
            return loop(metrics);
        }
    }

    // ------------------------------------------------------------------ the loop

    private TrainResult loop(MetricsLog metrics) {
        long batchesPerEpoch = data.batchesPerEpoch();
        if (batchesPerEpoch < 1) {
            throw new GlossaException("the training data has no batches");
        }
        long totalSteps = config.totalSteps(batchesPerEpoch);
        sessionStartNanos = System.nanoTime();
        stopRequested.set(false);
        StopReason reason = StopReason.COMPLETED;
        Window window = new Window();
        Runnable restoreSignals = Interrupts.install(this::onInterrupt);
        model.train(true);
        try (TrainProgress progress = TrainProgress.start(config.showProgress(), totalSteps, step);
             TensorVector clipped = new TensorVector(optimizer.parameters().values().toArray(new Tensor[0]))) {
            while (step < totalSteps) {
                if (stopRequested.get()) {
                    reason = StopReason.INTERRUPTED;
                    break;
                }
                double lr = schedule.lr(step);
                StepStats stats = oneStep(lr, clipped, batchesPerEpoch);
                step++;
                lastLoss = stats.loss;
                window.add(stats);
                progress.update(step, stats.loss, lr, window.tokensPerSecond());
                if (step % config.logEvery() == 0 || step == totalSteps) {
                    metrics.write(trainLine(window, lr, batchesPerEpoch));
                    window = new Window();
                }
                boolean improved = false;
                if (evaluator != null && ((config.evalEvery() > 0 && step % config.evalEvery() == 0) || step == totalSteps)) {
                    improved = evaluate(metrics, progress, batchesPerEpoch);
                }
                boolean stopEarly = config.patience() > 0 && evalsWithoutImprovement >= config.patience();
                boolean save = (config.saveEvery() > 0 && step % config.saveEvery() == 0) || step == totalSteps
                        || improved || stopEarly || stopRequested.get();
                if (save) {
                    saveCheckpoint(batchesPerEpoch, totalSteps);
                }
                if (stopEarly) {
                    progress.println("early stopping: " + config.monitor() + " has not improved for "
                            + evalsWithoutImprovement + " evaluations");
                    reason = StopReason.EARLY_STOPPED;
                    break;
                }
            }
            if (stopRequested.get() && reason == StopReason.COMPLETED && step < totalSteps) {
                reason = StopReason.INTERRUPTED;
            }
            if (window.steps > 0) {
                // Stopped between two log lines: the steps since the last one still belong in the curve.
                metrics.write(trainLine(window, schedule.lr(step - 1), batchesPerEpoch));
            }
            if (lastSavedStep != step) {
                saveCheckpoint(batchesPerEpoch, totalSteps);
            }
            if (reason == StopReason.INTERRUPTED) {
                progress.println("interrupted after step " + step + ": checkpoint " + lastCheckpoint + " written");
            }
        } finally {
            restoreSignals.run();
            model.train(false);
        }
        if (config.plot()) {
            RunPlot.plotRunIfPossible(config.runDir());
        }
        return new TrainResult(step, (double) microBatches / batchesPerEpoch, reason, lastCheckpoint,
                bestCheckpoint == null ? null : config.runDir().resolve(bestCheckpoint), bestMetric, lastEval, lastLoss,
                wallSeconds());
    }

    private record StepStats(double loss, double gradNorm, long tokens, long nanos) {}

    /** Accumulates, clips and updates: one optimizer step, in its own native scope. */
    private StepStats oneStep(double lr, TensorVector parameters, long batchesPerEpoch) {
        long start = System.nanoTime();
        int accumulation = config.accumulation();
        double lossSum = 0;
        long tokens = 0;
        try (NativeScope scope = new NativeScope()) {
            for (int micro = 0; micro < accumulation; micro++) {
                B batch = data.batch(microBatches / batchesPerEpoch, microBatches % batchesPerEpoch);
                Tensor loss = config.precision() == Precision.BF16 ? Autocast.bf16(() -> trainStep.loss(batch))
                        : trainStep.loss(batch);
                if (loss.numel() != 1) {
                    throw new IllegalStateException("the training step must return a scalar loss, got shape "
                            + Arrays.toString(Tensors.shape(loss)));
                }
                if (loss.scalar_type().intern() != ScalarType.Float) {
                    loss = loss.to(ScalarType.Float); // fp32 loss whatever autocast computed it in
                }
                // Outside autocast: autograd replays the casts it recorded in the forward pass.
                loss.div(new Scalar((double) accumulation)).backward();
                double value = loss.item_double();
                if (!Double.isFinite(value)) {
                    throw new GlossaException("training diverged at step " + (step + 1) + ": the loss is " + value
                            + " (try a lower learning rate or gradient clipping)");
                }
                lossSum += value;
                tokens += data.tokens(batch);
                microBatches++;
            }
            double gradNorm = config.maxGradNorm() > 0 ? torch.clip_grad_norm_(parameters, config.maxGradNorm()) : Double.NaN;
            optimizer.step(lr);
            optimizer.zeroGrad();
            return new StepStats(lossSum / accumulation, gradNorm, tokens, System.nanoTime() - start);
        }
    }

    /** Runs the evaluator; true when the monitored metric improved on the best so far. */
    private boolean evaluate(MetricsLog metrics, TrainProgress progress, long batchesPerEpoch) {
        Map<String, Double> results;
        model.train(false);
        try (NativeScope scope = new NativeScope()) {
            results = Tensors.noGrad(() -> config.precision() == Precision.BF16 ? Autocast.bf16(evaluator::evaluate)
                    : evaluator.evaluate());
        } finally {
            model.train(true);
        }
        lastEval = Map.copyOf(results);
        lastEvalStep = step;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", step);
        line.put("epoch", (double) microBatches / batchesPerEpoch);
        line.putAll(results);
        line.put("wall_s", wallSeconds());
        metrics.write(line);
        StringBuilder message = new StringBuilder("step " + step + ":");
        results.forEach((name, value) -> message.append(String.format(Locale.ROOT, " %s %.4f", name, value)));
        progress.println(message.toString());
        if (config.monitor() == null) {
            return false;
        }
        Double value = results.get(config.monitor());
        if (value == null) {
            throw new GlossaException("monitored metric '" + config.monitor() + "' is not among the evaluation's metrics "
                    + results.keySet());
        }
        boolean improved = bestMetric == null
                || (config.lowerIsBetter() ? value < bestMetric - config.minDelta() : value > bestMetric + config.minDelta());
        if (improved) {
            bestMetric = value;
            bestCheckpoint = Checkpoints.name(step);
            evalsWithoutImprovement = 0;
        } else {
            evalsWithoutImprovement++;
        }
        return improved;
    }

    private Map<String, Object> trainLine(Window window, double lr, long batchesPerEpoch) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", step);
        line.put("epoch", (double) microBatches / batchesPerEpoch);
        line.put("loss", window.meanLoss());
        line.put("lr", lr);
        line.put("grad_norm", window.lastGradNorm);
        line.put("tokens_per_s", window.tokens > 0 ? window.tokensPerSecond() : null);
        line.put("steps_per_s", window.steps / (window.nanos / 1e9));
        line.put("wall_s", wallSeconds());
        return line;
    }

    /** What happened since the last metrics line. */
    private static final class Window {
        long steps;
        double lossSum;
        long tokens;
        long nanos;
        double lastGradNorm = Double.NaN;

        void add(StepStats stats) {
            steps++;
            lossSum += stats.loss;
            tokens += stats.tokens;
            nanos += stats.nanos;
            lastGradNorm = stats.gradNorm;
        }

        double meanLoss() {
            return steps == 0 ? Double.NaN : lossSum / steps;
        }

        double tokensPerSecond() {
            return nanos == 0 ? 0 : tokens / (nanos / 1e9);
        }
    }

    private double wallSeconds() {
        return wallSecondsBefore + (System.nanoTime() - sessionStartNanos) / 1e9;
    }

    private void onInterrupt() {
        if (stopRequested.getAndSet(true)) {
            System.err.println("\nglossa: interrupted twice, exiting without a checkpoint");
            System.exit(130);
        }
        System.err.println("\nglossa: stopping after this step to write a checkpoint (a second Ctrl-C or kill quits at once)");
    }

    // ------------------------------------------------------------------ checkpoints

    private void saveCheckpoint(long batchesPerEpoch, long totalSteps) {
        Path dir = config.runDir().resolve(Checkpoints.name(step));
        Map<String, Tensor> carried = trainStep.carriedState();
        AtomicFiles.writeDirectory(dir, temporary -> {
            if (configWriter != null) {
                configWriter.writeTo(temporary);
            }
            Weights.save(model, temporary.resolve(Checkpoints.MODEL_FILE), Map.of("format", "pt"));
            Path state = Files.createDirectories(temporary.resolve(Checkpoints.TRAINING_STATE));
            optimizer.saveState(state.resolve(Checkpoints.OPTIMIZER_FILE));
            try (NativeScope scope = new NativeScope()) {
                Tensor generator = torch.getDefaultCPUGenerator().get_state(); // uint8 bytes of the Mersenne Twister
                SafeTensors.write(state.resolve(Checkpoints.RNG_FILE), Map.of("torch_cpu", Tensors.toTensorData(generator)),
                        Map.of());
            }
            if (!carried.isEmpty()) {
                Map<String, TensorData> tensors = new LinkedHashMap<>();
                carried.forEach((name, tensor) -> tensors.put(name, Tensors.toTensorData(tensor)));
                SafeTensors.write(state.resolve(Checkpoints.CARRIED_STATE_FILE), tensors, Map.of());
            }
            byte[] json = (Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(trainerState(batchesPerEpoch, totalSteps))
                    + "\n").getBytes(StandardCharsets.UTF_8);
            Files.write(state.resolve(Checkpoints.TRAINER_STATE_FILE), json);
        });
        lastSavedStep = step;
        lastCheckpoint = dir;
        Checkpoints.prune(config.runDir(), config.keepLast(), bestCheckpoint);
    }

    private Map<String, Object> trainerState(long batchesPerEpoch, long totalSteps) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("step", step);
        state.put("total_steps", totalSteps);
        state.put("epoch", (double) microBatches / batchesPerEpoch);
        // The data position: batch (micro_batches mod batches_per_epoch) of epoch (micro_batches div batches_per_epoch).
        state.put("micro_batches", microBatches);
        state.put("batches_per_epoch", batchesPerEpoch);
        state.put("accumulation", config.accumulation());
        state.put("seed", config.seed());
        state.put("precision", config.precision().name().toLowerCase(Locale.ROOT));
        Map<String, Object> optimizerInfo = new LinkedHashMap<>();
        optimizerInfo.put("type", optimizer.kind());
        optimizerInfo.putAll(optimizer.hyperparameters());
        state.put("optimizer", optimizerInfo);
        state.put("schedule", Json.MAPPER.valueToTree(schedule));
        if (config.monitor() != null) {
            Map<String, Object> best = new LinkedHashMap<>();
            best.put("metric", config.monitor());
            best.put("lower_is_better", config.lowerIsBetter());
            best.put("value", bestMetric);
            best.put("checkpoint", bestCheckpoint);
            best.put("evaluations_without_improvement", evalsWithoutImprovement);
            state.put("best", best);
        }
        if (lastEvalStep >= 0) {
            Map<String, Object> eval = new LinkedHashMap<>();
            eval.put("step", lastEvalStep);
            eval.putAll(lastEval);
            state.put("last_eval", eval);
        }
        state.put("last_loss", Double.isFinite(lastLoss) ? lastLoss : null);
        state.put("wall_seconds", wallSeconds());
        return state;
    }

    /** Loads everything a checkpoint holds into this trainer, its model and its optimizer. */
    private void restore(Path checkpoint) {
        Path stateDir = checkpoint.resolve(Checkpoints.TRAINING_STATE);
        Path stateFile = stateDir.resolve(Checkpoints.TRAINER_STATE_FILE);
        if (!Files.isRegularFile(stateFile)) {
            throw new GlossaException(stateFile + ": no such file (not a complete checkpoint)");
        }
        JsonNode state;
        try {
            state = Json.MAPPER.readTree(stateFile.toFile());
        } catch (IOException e) {
            throw new GlossaException(stateFile + ": cannot read the trainer state: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        String savedOptimizer = state.path("optimizer").path("type").asText("");
        if (!savedOptimizer.equals(optimizer.kind())) {
            throw new GlossaException(checkpoint + ": trained with optimizer '" + savedOptimizer + "', but this run uses '"
                    + optimizer.kind() + "'");
        }
        for (String key : new String[] {"step", "micro_batches", "wall_seconds"}) {
            if (!state.path(key).isNumber()) {
                throw new GlossaException(stateFile + ": '" + key + "' is missing or not a number");
            }
        }
        // Tensors first: each of these checks names and shapes and names the difference.
        Weights.load(model, checkpoint.resolve(Checkpoints.MODEL_FILE), "", Set.of());
        optimizer.loadState(stateDir.resolve(Checkpoints.OPTIMIZER_FILE));
        Path rng = stateDir.resolve(Checkpoints.RNG_FILE);
        if (!Files.isRegularFile(rng)) {
            throw new GlossaException(rng + ": no such file (not a complete checkpoint)");
        }
        try (SafeTensorsFile file = SafeTensors.open(rng); NativeScope scope = new NativeScope()) {
            if (!file.contains("torch_cpu")) {
                throw new GlossaException(rng + ": no 'torch_cpu' generator state");
            }
            Generator generator = torch.getDefaultCPUGenerator();
            generator.set_state(Tensors.fromTensorData(file.get("torch_cpu")));
        }
        Path carriedFile = stateDir.resolve(Checkpoints.CARRIED_STATE_FILE);
        if (Files.isRegularFile(carriedFile)) {
            try (SafeTensorsFile file = SafeTensors.open(carriedFile)) {
                Map<String, Tensor> carried = new LinkedHashMap<>();
                for (String name : file.names()) {
                    Tensor tensor = Tensors.fromTensorData(file.get(name));
                    carried.put(name, tensor); // outside any scope of ours: the model keeps them
                }
                trainStep.restoreCarriedState(carried);
            }
        }
        step = state.get("step").asLong();
        microBatches = state.get("micro_batches").asLong();
        wallSecondsBefore = state.get("wall_seconds").asDouble();
        JsonNode best = state.path("best");
        bestMetric = best.path("value").isNumber() ? best.get("value").asDouble() : null;
        bestCheckpoint = best.path("checkpoint").isTextual() ? best.get("checkpoint").asText() : null;
        evalsWithoutImprovement = best.path("evaluations_without_improvement").asInt(0);
        JsonNode eval = state.path("last_eval");
        if (eval instanceof ObjectNode object) {
            lastEvalStep = object.path("step").asLong(-1);
            Map<String, Double> values = new LinkedHashMap<>();
            object.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("step") && e.getValue().isNumber()) {
                    values.put(e.getKey(), e.getValue().asDouble());
                }
            });
            lastEval = Map.copyOf(values);
        }
        lastLoss = state.path("last_loss").isNumber() ? state.get("last_loss").asDouble() : Double.NaN;
        lastSavedStep = step;
        lastCheckpoint = checkpoint;
        long savedBatches = state.path("batches_per_epoch").asLong(-1);
        if (savedBatches != data.batchesPerEpoch()) {
            System.err.println("glossa: warning: the checkpoint's data had " + savedBatches + " batches per epoch, this run's has "
                    + data.batchesPerEpoch() + ": the data order will differ from the interrupted run");
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new GlossaException("cannot create " + dir + ": " + AtomicFiles.describe(e), e);
        }
    }
}
