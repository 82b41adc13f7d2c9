package org.glossa.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.glossa.core.GlossaException;
import org.glossa.nn.Autocast;
import org.glossa.nn.Engine;
import org.glossa.nn.LayerNorm;
import org.glossa.nn.Linear;
import org.glossa.nn.Module;
import org.glossa.nn.Ops;
import org.glossa.nn.Tensors;
import org.glossa.nn.train.TrainConfig.Precision;
import org.glossa.nn.train.TrainResult.StopReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The training loop on tiny models: exact resume, interruption, accumulation, clipping, retention, logs. */
@Tag("model")
class TrainerTest {
    @BeforeAll
    static void oneThread() {
        Engine.init();
        torch.set_num_threads(1); // deterministic mode: libtorch's reductions depend on the thread count
    }

    @AfterAll
    static void restoreThreads() {
        torch.set_num_threads(Engine.threads());
    }

    // ------------------------------------------------------------------ fixtures

    record Example(float[] x, float[] y) {}

    record Batch(Tensor x, Tensor y) {}

    /** 4 → 8 → LayerNorm → tanh → dropout → 2: has decayed weights, exempt biases and LayerNorm, and randomness. */
    static final class Mlp extends Module {
        final Linear fc1;
        final LayerNorm norm;
        final Linear fc2;

        Mlp(int hidden) {
            fc1 = child("fc1", new Linear(4, hidden, 0.5));
            norm = child("LayerNorm", new LayerNorm(hidden, 1e-5));
            fc2 = child("fc2", new Linear(hidden, 2, 0.5));
        }

        Tensor loss(Batch batch) {
            Tensor h = Ops.dropout(torch.tanh(norm.forward(fc1.forward(batch.x()))), 0.2, isTraining());
            return torch.mse_loss(fc2.forward(h), batch.y());
        }
    }

    static List<Example> examples(int count, long seed) {
        Random random = new Random(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] x = new float[4];
            for (int j = 0; j < 4; j++) {
                x[j] = random.nextFloat() * 2 - 1;
            }
            out.add(new Example(x, new float[] {(float) Math.sin(3 * x[0]) + x[1] * x[2], x[3] - x[0]}));
        }
        return out;
    }

    static Batch collate(List<Example> examples) {
        int n = examples.size();
        float[] x = new float[n * 4];
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            System.arraycopy(examples.get(i).x(), 0, x, i * 4, 4);
            System.arraycopy(examples.get(i).y(), 0, y, i * 2, 2);
        }
        return new Batch(Tensors.fromFloats(x, n, 4), Tensors.fromFloats(y, n, 2));
    }

    static ShuffledBatches<Example, Batch> data(List<Example> examples, int batchSize, boolean shuffle) {
        return new ShuffledBatches<>(examples, batchSize, TrainerTest::collate, batch -> batch.x().size(0), 11, shuffle);
    }

    static TrainConfig.Builder quiet(Path runDir) {
        return TrainConfig.builder(runDir).showProgress(false).plot(false).seed(7);
    }

    static Map<String, float[]> weights(Module module) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        module.namedParameters().forEach((name, tensor) -> out.put(name, Tensors.toFloats(tensor)));
        return out;
    }

    static void assertSameWeights(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, values) -> {
            float[] other = actual.get(name);
            for (int i = 0; i < values.length; i++) {
                // Bit patterns, not a tolerance: the resumed run must be the same computation.
                assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(other[i]),
                        name + "[" + i + "]: " + values[i] + " vs " + other[i]);
            }
        });
    }

    static List<JsonNode> trainLines(Path runDir) {
        return MetricsLog.read(runDir.resolve(MetricsLog.FILE_NAME)).stream().filter(l -> l.has("loss")).toList();
    }

    // ------------------------------------------------------------------ exact resume and interruption

    @Test
    void interruptedAndResumedRunReachesTheSameWeightsBitForBit(@TempDir Path tmp) throws Exception {
        List<Example> examples = examples(40, 1);
        int totalSteps = 12;

        // A: uninterrupted. AdamW + warmup/linear decay + accumulation + clipping + dropout + shuffling.
        torch.manual_seed(123);
        Mlp straight = new Mlp(8);
        Path runA = tmp.resolve("a");
        TrainConfig configA = quiet(runA).maxSteps(totalSteps).accumulation(2).maxGradNorm(0.5).logEvery(1).saveEvery(4)
                .keepLast(0).build();
        TrainResult resultA = new Trainer<>(straight, straight::loss, data(examples, 6, true),
                new AdamW(straight, AdamW.Options.defaults().withWeightDecay(0.1)), new Schedule.WarmupLinear(1e-2, 3, totalSteps),
                configA).train();
        assertEquals(StopReason.COMPLETED, resultA.reason());
        assertEquals(totalSteps, resultA.steps());

        // B: the same run, asked to stop during step 5 (as Ctrl-C does), then resumed by new objects.
        torch.manual_seed(123);
        Mlp interrupted = new Mlp(8);
        Path runB = tmp.resolve("b");
        TrainConfig configB = quiet(runB).maxSteps(totalSteps).accumulation(2).maxGradNorm(0.5).logEvery(1).saveEvery(4)
                .keepLast(0).build();
        AtomicReference<Trainer<Batch>> self = new AtomicReference<>();
        Trainer<Batch> first = new Trainer<>(interrupted, batch -> {
            if (self.get().step() == 4) {
                self.get().requestStop();
            }
            return interrupted.loss(batch);
        }, data(examples, 6, true), new AdamW(interrupted, AdamW.Options.defaults().withWeightDecay(0.1)),
                new Schedule.WarmupLinear(1e-2, 3, totalSteps), configB)
                .configWriter(dir -> Files.writeString(dir.resolve("config.json"), "{\"hidden\": 8}\n"));
        self.set(first);
        TrainResult stopped = first.train();
        assertEquals(StopReason.INTERRUPTED, stopped.reason());
        assertEquals(5, stopped.steps());
        Path checkpoint = runB.resolve("checkpoint-5");
        assertEquals(checkpoint, stopped.lastCheckpoint());
        for (String file : new String[] {"config.json", "model.safetensors", "training_state/trainer_state.json",
                "training_state/optimizer.safetensors", "training_state/rng.safetensors"}) {
            assertTrue(Files.isRegularFile(checkpoint.resolve(file)), file);
        }
        assertFalse(Files.exists(runB.resolve("checkpoint-8")));

        torch.manual_seed(999); // a different generator state and different initial weights: all must come from the checkpoint
        Mlp resumed = new Mlp(8);
        TrainResult resultB = new Trainer<>(resumed, resumed::loss, data(examples, 6, true),
                new AdamW(resumed, AdamW.Options.defaults().withWeightDecay(0.1)), new Schedule.WarmupLinear(1e-2, 3, totalSteps),
                configB).resume(runB);
        assertEquals(StopReason.COMPLETED, resultB.reason());
        assertEquals(totalSteps, resultB.steps());
        assertSameWeights(weights(straight), weights(resumed));

        // The log reads as one run: the same steps with the same losses and rates.
        List<JsonNode> linesA = trainLines(runA);
        List<JsonNode> linesB = trainLines(runB);
        assertEquals(totalSteps, linesA.size());
        assertEquals(linesA.size(), linesB.size());
        for (int i = 0; i < linesA.size(); i++) {
            assertEquals(linesA.get(i).get("step").asLong(), linesB.get(i).get("step").asLong());
            assertEquals(linesA.get(i).get("loss").asDouble(), linesB.get(i).get("loss").asDouble(), 0.0, "loss of step " + (i + 1));
            assertEquals(linesA.get(i).get("lr").asDouble(), linesB.get(i).get("lr").asDouble(), 0.0);
        }
        // A checkpoint written after the resume carries the run on, in the same layout.
        assertTrue(Files.isDirectory(runB.resolve("checkpoint-8")));
        assertTrue(Files.isDirectory(runB.resolve("checkpoint-12")));

        // Without the restored generator state the dropout masks, and so the weights, would differ.
        float[] scrambled = Tensors.toFloats(resumeWithScrambledGenerator(checkpoint, tmp, examples));
        assertFalse(java.util.Arrays.equals(Tensors.toFloats(straight.fc2.weight), scrambled));
    }

    /** Resumes from {@code checkpoint} but scrambles the generator right after loading: the result must differ. */
    private static Tensor resumeWithScrambledGenerator(Path checkpoint, Path tmp, List<Example> examples) {
        torch.manual_seed(999);
        Mlp model = new Mlp(8);
        AtomicInteger calls = new AtomicInteger();
        new Trainer<>(model, batch -> {
            if (calls.getAndIncrement() == 0) {
                torch.manual_seed(31337); // what a resume that forgot the RNG state would amount to
            }
            return model.loss(batch);
        }, data(examples, 6, true), new AdamW(model, AdamW.Options.defaults().withWeightDecay(0.1)),
                new Schedule.WarmupLinear(1e-2, 3, 12),
                quiet(tmp.resolve("d")).maxSteps(12).accumulation(2).maxGradNorm(0.5).keepLast(0).build()).resume(checkpoint);
        return model.fc2.weight;
    }

    /** Ctrl-C (INT) and kill (TERM) alike. */
    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalStopsAfterTheStepAndWritesACheckpoint(String signal, @TempDir Path runDir) throws Exception {
        // A background job of a non-interactive shell starts with SIGINT ignored, and the JVM then never sees it.
        sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal(signal), ignored -> {});
        sun.misc.Signal.handle(new sun.misc.Signal(signal), previous);
        Assumptions.assumeFalse(previous == sun.misc.SignalHandler.SIG_IGN,
                "SIG" + signal + " is ignored by this process (started as a background job), so it cannot be delivered");
        torch.manual_seed(1);
        Mlp model = new Mlp(8);
        AtomicInteger calls = new AtomicInteger();
        TrainResult result = new Trainer<>(model, batch -> {
            if (calls.incrementAndGet() == 3) {
                // A real signal to this JVM: without the trainer's handler the test run would die here.
                sun.misc.Signal.raise(new sun.misc.Signal(signal));
                try {
                    Thread.sleep(300); // the handler runs on the JVM's signal thread
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return model.loss(batch);
        }, data(examples(30, 2), 5, true), new Sgd(model, Sgd.Options.momentum(0.9)), new Schedule.Constant(0.01),
                quiet(runDir).maxSteps(1000).build()).train();
        assertEquals(StopReason.INTERRUPTED, result.reason());
        assertTrue(result.steps() >= 3 && result.steps() < 1000, "stopped after " + result.steps());
        Path checkpoint = runDir.resolve("checkpoint-" + result.steps());
        assertEquals(checkpoint, result.lastCheckpoint());
        JsonNode state = Json.MAPPER.readTree(checkpoint.resolve("training_state/trainer_state.json").toFile());
        assertEquals(result.steps(), state.get("step").asLong());
        assertEquals(result.steps(), state.get("micro_batches").asLong());
        assertEquals("sgd", state.get("optimizer").get("type").asText());
        // The steps since the last metrics line (every 10 steps by default) are logged before stopping.
        List<JsonNode> lines = trainLines(runDir);
        assertEquals(result.steps(), lines.get(lines.size() - 1).get("step").asLong());
    }

    // ------------------------------------------------------------------ the step itself

    /** One parameter w, loss Σ w·c: the gradient is exactly c. */
    static final class Vector extends Module {
        final Tensor w = parameter("w", 2);
    }

    @Test
    void clippingScalesTheGradientToTheMaximumNorm(@TempDir Path runDir) {
        Vector model = new Vector();
        Tensors.noGrad(() -> model.w.copy_(Tensors.fromFloats(new float[] {1, 1}, 2)));
        TrainData<Integer> one = new TrainData<>() {
            public long batchesPerEpoch() { return 1; }
            public Integer batch(long epoch, long index) { return 0; }
        };
        TrainStep<Integer> step = batch -> model.w.mul(Tensors.fromFloats(new float[] {3, 4}, 2)).sum(); // ‖g‖ = 5
        new Trainer<>(model, step, one, new Sgd(model, Sgd.Options.plain()), new Schedule.Constant(1.0),
                quiet(runDir).maxSteps(1).maxGradNorm(1.0).logEvery(1).build()).train();
        // Clipped to norm 1: g = (0.6, 0.8); plain SGD with rate 1 subtracts it.
        assertArrayEquals(new float[] {0.4f, 0.2f}, Tensors.toFloats(model.w), 1e-6f);
        assertEquals(5.0, trainLines(runDir).get(0).get("grad_norm").asDouble(), 1e-5); // the norm before clipping

        Vector unclipped = new Vector();
        Tensors.noGrad(() -> unclipped.w.copy_(Tensors.fromFloats(new float[] {1, 1}, 2)));
        new Trainer<>(unclipped, batch -> unclipped.w.mul(Tensors.fromFloats(new float[] {3, 4}, 2)).sum(), one,
                new Sgd(unclipped, Sgd.Options.plain()), new Schedule.Constant(1.0),
                quiet(runDir.resolve("off")).maxSteps(1).maxGradNorm(0).build()).train();
        assertArrayEquals(new float[] {-2, -3}, Tensors.toFloats(unclipped.w), 1e-6f);
    }

    @Test
    void accumulatingTwoHalfBatchesEqualsOneFullBatch(@TempDir Path tmp) {
        List<Example> examples = examples(8, 3);
        Map<String, float[]> accumulated = trainLinear(tmp.resolve("accumulated"), data(examples, 4, false), 2);
        Map<String, float[]> full = trainLinear(tmp.resolve("full"), data(examples, 8, false), 1);
        accumulated.forEach((name, values) -> assertArrayEquals(full.get(name), values, 1e-6f, name));
        // Had the losses not been divided by the accumulation count, the step would have been twice as long.
        float[] start = linearStart().get("weight");
        assertNotEquals(start[0], accumulated.get("weight")[0]);
    }

    private static Map<String, float[]> linearStart() {
        torch.manual_seed(5);
        return weights(new Linear(4, 2, 0.5));
    }

    private static Map<String, float[]> trainLinear(Path runDir, TrainData<Batch> data, int accumulation) {
        torch.manual_seed(5);
        Linear model = new Linear(4, 2, 0.5);
        new Trainer<>(model, batch -> torch.mse_loss(model.forward(batch.x()), batch.y()), data,
                new Sgd(model, Sgd.Options.plain()), new Schedule.Constant(0.1),
                quiet(runDir).maxSteps(3).accumulation(accumulation).maxGradNorm(0).build()).train();
        return weights(model);
    }

    @Test
    void bf16RunsTheForwardUnderAutocastAndKeepsFp32Weights(@TempDir Path runDir) {
        torch.manual_seed(2);
        Mlp model = new Mlp(16);
        AtomicInteger autocastCalls = new AtomicInteger();
        TrainResult result = new Trainer<>(model, batch -> {
            if (Autocast.isEnabled()) {
                autocastCalls.incrementAndGet();
            }
            return model.loss(batch);
        }, data(examples(64, 4), 16, true), new AdamW(model, AdamW.Options.defaults()), new Schedule.Constant(1e-2),
                quiet(runDir).maxSteps(40).precision(Precision.BF16).logEvery(4).build()).train();
        assertEquals(40, autocastCalls.get());
        assertFalse(Autocast.isEnabled());
        model.namedParameters().values().forEach(p -> assertEquals(ScalarType.Float, p.scalar_type().intern()));
        List<JsonNode> lines = trainLines(runDir);
        assertTrue(lines.get(lines.size() - 1).get("loss").asDouble() < 0.7 * lines.get(0).get("loss").asDouble(),
                "loss " + lines.get(0).get("loss") + " -> " + lines.get(lines.size() - 1).get("loss"));
    }

    // ------------------------------------------------------------------ evaluation, retention, logs

    /** Returns the listed values one evaluation after the other under the name val_loss. */
    static Evaluator scripted(double... values) {
        Iterator<Double> next = java.util.Arrays.stream(values).boxed().iterator();
        return () -> Map.of("val_loss", next.next());
    }

    @Test
    void keepsTheLastKCheckpointsAndTheBest(@TempDir Path runDir) throws Exception {
        torch.manual_seed(3);
        Mlp model = new Mlp(8);
        TrainResult result = new Trainer<>(model, model::loss, data(examples(20, 5), 5, true),
                new AdamW(model, AdamW.Options.defaults()), new Schedule.Constant(1e-3),
                quiet(runDir).maxSteps(6).evalEvery(1).saveEvery(1).keepLast(2).monitor("val_loss", true).build())
                .evaluator(scripted(5, 3, 4, 6, 7, 8)).train();
        List<String> left = Checkpoints.list(runDir).stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("checkpoint-2", "checkpoint-5", "checkpoint-6"), left);
        assertEquals(runDir.resolve("checkpoint-2"), result.bestCheckpoint());
        assertEquals(3.0, result.bestMetric());
        JsonNode best = Json.MAPPER.readTree(runDir.resolve("checkpoint-6/training_state/trainer_state.json").toFile()).get("best");
        assertEquals("checkpoint-2", best.get("checkpoint").asText());
        assertEquals(3.0, best.get("value").asDouble());
        assertEquals(4, best.get("evaluations_without_improvement").asInt());

        // Higher is better: the best is the largest value.
        Path other = runDir.resolveSibling(runDir.getFileName() + "-max");
        TrainResult max = new Trainer<>(model, model::loss, data(examples(20, 5), 5, true),
                new AdamW(model, AdamW.Options.defaults()), new Schedule.Constant(1e-3),
                quiet(other).maxSteps(4).evalEvery(1).keepLast(1).monitor("val_loss", false).build())
                .evaluator(scripted(1, 9, 2, 3)).train();
        assertEquals(other.resolve("checkpoint-2"), max.bestCheckpoint());
        assertEquals(List.of("checkpoint-2", "checkpoint-4"),
                Checkpoints.list(other).stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void stopsEarlyWhenTheMetricStopsImproving(@TempDir Path tmp) {
        torch.manual_seed(4);
        Mlp model = new Mlp(8);
        TrainResult result = new Trainer<>(model, model::loss, data(examples(20, 6), 5, true),
                new AdamW(model, AdamW.Options.defaults()), new Schedule.Constant(1e-3),
                quiet(tmp.resolve("a")).maxSteps(20).evalEvery(1).monitor("val_loss", true).earlyStopping(2, 0).build())
                .evaluator(scripted(5, 4, 4.5, 4.2, 1, 1, 1)).train();
        assertEquals(StopReason.EARLY_STOPPED, result.reason());
        assertEquals(4, result.steps());
        assertEquals(4.0, result.bestMetric());
        assertTrue(Files.isDirectory(tmp.resolve("a/checkpoint-4")), "a checkpoint where it stopped");

        // With a minimum improvement of 0.1, 4.95 and 4.9 after 5 do not count.
        TrainResult strict = new Trainer<>(model, model::loss, data(examples(20, 6), 5, true),
                new AdamW(model, AdamW.Options.defaults()), new Schedule.Constant(1e-3),
                quiet(tmp.resolve("b")).maxSteps(20).evalEvery(1).monitor("val_loss", true).earlyStopping(2, 0.1).build())
                .evaluator(scripted(5, 4.95, 4.9, 1, 1)).train();
        assertEquals(3, strict.steps());
        assertEquals(StopReason.EARLY_STOPPED, strict.reason());
    }

    @Test
    void metricsLinesHoldWhatTheRunDid(@TempDir Path runDir) {
        torch.manual_seed(6);
        Mlp model = new Mlp(8);
        Schedule schedule = new Schedule.WarmupCosine(1e-2, 2, 8);
        ShuffledBatches<Example, Batch> data = data(examples(24, 7), 6, true); // 4 batches an epoch
        TrainResult result = new Trainer<>(model, model::loss, data, new AdamW(model, AdamW.Options.defaults()), schedule,
                quiet(runDir).epochs(4).accumulation(2).logEvery(2).evalEvery(4).plot(true).build())
                .evaluator(() -> Map.of("val_loss", 0.5, "val_accuracy", 0.75)).train();
        assertEquals(8, result.steps()); // 4 epochs × 4 batches / 2 per step
        List<JsonNode> lines = MetricsLog.read(runDir.resolve(MetricsLog.FILE_NAME));
        List<JsonNode> train = lines.stream().filter(l -> l.has("loss")).toList();
        List<JsonNode> eval = lines.stream().filter(l -> l.has("val_loss")).toList();
        assertEquals(List.of(2L, 4L, 6L, 8L), train.stream().map(l -> l.get("step").asLong()).toList());
        assertEquals(List.of(4L, 8L), eval.stream().map(l -> l.get("step").asLong()).toList());
        double lastWall = 0;
        for (JsonNode line : train) {
            long step = line.get("step").asLong();
            assertEquals(schedule.lr(step - 1), line.get("lr").asDouble(), 0.0, "the rate of the step's update");
            assertEquals(step * 2 / 4.0, line.get("epoch").asDouble(), 1e-12);  // 2 micro-batches per step, 4 per epoch
            assertTrue(line.get("loss").asDouble() > 0);
            assertTrue(line.get("grad_norm").asDouble() > 0);
            assertTrue(line.get("tokens_per_s").asDouble() > 0);             // examples counted as tokens here
            assertTrue(line.get("wall_s").asDouble() >= lastWall);
            lastWall = line.get("wall_s").asDouble();
        }
        assertEquals(0.75, eval.get(1).get("val_accuracy").asDouble());
        assertEquals(Map.of("val_loss", 0.5, "val_accuracy", 0.75), result.lastEval());
        assertTrue(Files.isRegularFile(runDir.resolve(RunPlot.FILE_NAME)), "the loss curves are drawn at the end");
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void incompatibleCheckpointsAreRefusedClearly(@TempDir Path tmp) {
        torch.manual_seed(8);
        Mlp model = new Mlp(8);
        Path runDir = tmp.resolve("run");
        new Trainer<>(model, model::loss, data(examples(20, 8), 5, true), new AdamW(model, AdamW.Options.defaults()),
                new Schedule.Constant(1e-3), quiet(runDir).maxSteps(2).build()).train();

        Mlp narrower = new Mlp(6);
        GlossaException shape = assertThrows(GlossaException.class, () -> new Trainer<>(narrower, narrower::loss,
                data(examples(20, 8), 5, true), new AdamW(narrower, AdamW.Options.defaults()), new Schedule.Constant(1e-3),
                quiet(tmp.resolve("x")).maxSteps(4).build()).resume(runDir));
        assertTrue(shape.getMessage().contains("fc1.weight") && shape.getMessage().contains("[8, 4]"), shape.getMessage());

        Mlp same = new Mlp(8);
        GlossaException optimizer = assertThrows(GlossaException.class, () -> new Trainer<>(same, same::loss,
                data(examples(20, 8), 5, true), new Sgd(same, Sgd.Options.momentum(0.9)), new Schedule.Constant(1e-3),
                quiet(tmp.resolve("y")).maxSteps(4).build()).resume(runDir));
        assertTrue(optimizer.getMessage().contains("'adamw'") && optimizer.getMessage().contains("'sgd'"), optimizer.getMessage());

        GlossaException occupied = assertThrows(GlossaException.class, () -> new Trainer<>(same, same::loss,
                data(examples(20, 8), 5, true), new AdamW(same, AdamW.Options.defaults()), new Schedule.Constant(1e-3),
                quiet(runDir).maxSteps(4).build()).train());
        assertTrue(occupied.getMessage().contains("already holds checkpoints"), occupied.getMessage());

        GlossaException nothing = assertThrows(GlossaException.class, () -> new Trainer<>(same, same::loss,
                data(examples(20, 8), 5, true), new AdamW(same, AdamW.Options.defaults()), new Schedule.Constant(1e-3),
                quiet(tmp.resolve("z")).maxSteps(4).build()).resume(tmp.resolve("empty")));
        assertTrue(nothing.getMessage().contains("empty"), nothing.getMessage());
    }
}
