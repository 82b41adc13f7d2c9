package org.glossa.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.glossa.models.bert.Bert;
import org.glossa.models.bert.BertConfig;
import org.glossa.nn.Autocast;
import org.glossa.nn.Engine;
import org.glossa.nn.Linear;
import org.glossa.nn.Module;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.glossa.nn.train.AdamW;
import org.glossa.nn.train.Schedule;
import org.glossa.nn.train.TrainConfig;
import org.glossa.nn.train.TrainConfig.Precision;
import org.glossa.nn.train.TrainData;
import org.glossa.nn.train.TrainResult;
import org.glossa.nn.train.Trainer;

/**
 * What bf16 mixed precision buys on a training step of a MiniLM-shaped encoder (6 layers × 384, 12 heads,
 * vocabulary 30522), batch 32 × 128, with a masked-LM-like loss: 15 % of the positions, picked at random,
 * go through a Linear head over the vocabulary and cross-entropy against random targets.
 *
 * <pre>bench/train-step.sh [timed-steps=4] [threads=nproc] [convergence-steps=200]</pre>
 *
 * For fp32 and then bf16 (forward under autocast, fp32 weights, fp32 loss, backward outside autocast, as
 * the Trainer does), from the same initial weights and on the same batches, it runs one warm-up step and
 * then the timed steps, and prints the median time of each phase: forward (with the loss), backward,
 * optimizer (global-norm clipping at 1.0, AdamW, dropping the gradients). The loss of every step is
 * printed too, for the effect of bf16 on the loss. Besides wall-clock time it reports the calling thread's
 * CPU time, which with 1 thread is all of the work and does not count time lost to other jobs on a shared
 * machine (run with threads = 1 for those figures).
 */
public final class TrainStepTiming {
    static final int BATCH = 32;
    static final int LENGTH = 128;
    static final double MASKED = 0.15;

    /** BERT plus a prediction head over the vocabulary on the masked positions. */
    static final class MaskedLm extends Module {
        final Bert.Model bert;
        final Linear head;

        MaskedLm(BertConfig config) {
            bert = child("bert", new Bert.Model(config, false));
            head = child("head", new Linear(config.hiddenSize(), config.vocabSize(), config.initializerRange()));
        }

        /** Mean cross-entropy of the head's predictions at {@code positions} (flat indices into B·T). */
        Tensor loss(Tensor ids, Tensor positions, Tensor targets) {
            Tensor hidden = bert.forward(ids, null, null).lastHiddenState(); // (B, T, H)
            Tensor picked = hidden.reshape(-1, hidden.size(2)).index_select(0, positions); // (M, H)
            Tensor logits = head.forward(picked); // (M, V)
            return torch.cross_entropy(logits, targets);
        }
    }

    record Batch(long[] ids, long[] positions, long[] targets) {}

    public static void main(String[] args) {
        int timedSteps = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        if (args.length > 1) {
            System.setProperty("glossa.threads", args[1]);
        }
        Engine.init();
        System.out.println("# " + Engine.describe().replace("\n", "\n# "));
        BertConfig config = BertConfig.miniLmL6();
        List<Batch> batches = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < timedSteps + 1; i++) {
            batches.add(randomBatch(random, config.vocabSize()));
        }
        System.out.printf(Locale.ROOT, "# MiniLM-shaped (%d layers x %d, vocab %d), batch %d x %d, %d masked positions, %d threads%n",
                config.numHiddenLayers(), config.hiddenSize(), config.vocabSize(), BATCH, LENGTH,
                batches.get(0).positions.length, Engine.threads());

        double[][] fp32 = run(config, batches, false);
        double[][] bf16 = run(config, batches, true);

        table("wall-clock seconds, median of the timed steps", fp32, bf16, 0);
        table("CPU seconds of the calling thread (all of the work with 1 thread; robust to other jobs on the machine)",
                fp32, bf16, 5);
        System.out.printf(Locale.ROOT, "%nloss per step (same initial weights, same batches; step 0 is the warm-up):%n");
        for (int i = 0; i < fp32[4].length; i++) {
            System.out.printf(Locale.ROOT, "step %d  fp32 %.5f  bf16 %.5f  diff %+.5f%n", i, fp32[4][i], bf16[4][i],
                    bf16[4][i] - fp32[4][i]);
        }
        attentionTiming();
        convergence(args.length > 2 ? Integer.parseInt(args[2]) : 200);
    }

    /**
     * The effect of bf16 on the loss over a short training run through the {@link Trainer}: a small BERT
     * (2 layers × 128, vocabulary 512) learns a masked-token task that needs attention (each sequence counts
     * up from a random start, so a masked token follows from its neighbours), fp32 and bf16 from the same
     * initial weights on the same batches; validation loss on 16 held-out batches every 50 steps.
     */
    static void convergence(int steps) {
        BertConfig small = new BertConfig(512, 128, 2, 4, 512, "gelu", 0.1, 0.1, 64, 2, 0.02, 1e-12, 0, "absolute", false);
        Random random = new Random(5);
        List<Batch> train = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            train.add(countingBatch(random, small.vocabSize()));
        }
        List<Batch> validation = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            validation.add(countingBatch(random, small.vocabSize()));
        }
        System.out.printf(Locale.ROOT, "%nconvergence: BERT 2 x 128, counting task, batch %d x %d, %d steps, AdamW 1e-3 warmup/linear%n",
                SMALL_BATCH, SMALL_LENGTH, steps);
        java.util.Map<String, List<String>> curves = new java.util.LinkedHashMap<>();
        for (Precision precision : Precision.values()) {
            torch.manual_seed(99);
            MaskedLm model = new MaskedLm(small);
            Path runDir;
            try {
                runDir = Files.createTempDirectory("glossa-bench-run");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            TrainData<Batch> data = new TrainData<>() {
                public long batchesPerEpoch() { return train.size(); }
                public Batch batch(long epoch, long index) { return train.get((int) index); }
                public long tokens(Batch batch) { return batch.ids.length; }
            };
            List<String> curve = new ArrayList<>();
            long start = System.nanoTime();
            TrainResult result = new Trainer<>(model, batch -> model.loss(
                    Tensors.fromLongs(batch.ids, SMALL_BATCH, SMALL_LENGTH), Tensors.fromLongs(batch.positions, batch.positions.length),
                    Tensors.fromLongs(batch.targets, batch.targets.length)), data,
                    new AdamW(model, AdamW.Options.defaults()), new Schedule.WarmupLinear(1e-3, steps / 10, steps),
                    TrainConfig.builder(runDir).maxSteps(steps).precision(precision).evalEvery(50).logEvery(50)
                            .showProgress(false).plot(false).seed(3).build())
                    .evaluator(() -> {
                        double sum = 0;
                        for (Batch batch : validation) {
                            sum += model.loss(Tensors.fromLongs(batch.ids, SMALL_BATCH, SMALL_LENGTH),
                                    Tensors.fromLongs(batch.positions, batch.positions.length),
                                    Tensors.fromLongs(batch.targets, batch.targets.length)).to(ScalarType.Float).item_double();
                        }
                        curve.add(String.format(Locale.ROOT, "%.4f", sum / validation.size()));
                        return java.util.Map.of("val_loss", sum / validation.size());
                    }).train();
            double seconds = (System.nanoTime() - start) / 1e9;
            curves.put(precision.name().toLowerCase(Locale.ROOT), curve);
            System.out.printf(Locale.ROOT, "%s: final train loss %.4f, val_loss every 50 steps %s (%.1f s wall)%n",
                    precision.name().toLowerCase(Locale.ROOT), result.lastLoss(), curve, seconds);
            org.glossa.core.AtomicFiles.deleteRecursively(runDir);
        }
    }

    static final int SMALL_BATCH = 32;
    static final int SMALL_LENGTH = 64;

    /** Sequences counting up from a random start (mod the vocabulary, above the special ids), 15 % masked. */
    static Batch countingBatch(Random random, int vocab) {
        long[] ids = new long[SMALL_BATCH * SMALL_LENGTH];
        for (int row = 0; row < SMALL_BATCH; row++) {
            int start = random.nextInt(vocab - 10);
            for (int t = 0; t < SMALL_LENGTH; t++) {
                ids[row * SMALL_LENGTH + t] = 10 + (start + t) % (vocab - 10);
            }
        }
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (random.nextDouble() < MASKED) {
                positions.add((long) i);
            }
        }
        long[] picked = positions.stream().mapToLong(Long::longValue).toArray();
        long[] targets = new long[picked.length];
        for (int i = 0; i < picked.length; i++) {
            targets[i] = ids[(int) picked[i]];
            ids[(int) picked[i]] = 3; // the mask id
        }
        return new Batch(ids, picked, targets);
    }

    /**
     * One layer's attention, (32, 12, 128, 32) with a padding mask, forward and backward: libtorch's
     * {@code scaled_dot_product_attention} in fp32 and under bf16 autocast, without dropout (libtorch picks
     * its fused flash-attention kernel) and with BERT's training-time attention dropout 0.1 (it falls back to
     * the composite math path), beside attention written as matmul → masked softmax → matmul under bf16.
     */
    static void attentionTiming() {
        System.out.printf(Locale.ROOT, "%nattention (32, 12, 128, 32), calling thread's CPU seconds, median of 5 after a warm-up:%n");
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (String variant : List.of("sdpa fp32", "sdpa bf16", "sdpa+dropout fp32", "sdpa+dropout bf16", "matmul-softmax bf16")) {
            boolean bf16 = variant.endsWith("bf16");
            boolean fused = variant.startsWith("sdpa");
            double dropout = variant.contains("dropout") ? 0.1 : 0.0;
            double[] forward = new double[5];
            double[] backward = new double[5];
            for (int run = -1; run < 5; run++) {
                try (NativeScope scope = new NativeScope()) {
                    torch.manual_seed(run + 10);
                    Tensor q = torch.randn(32, 12, 128, 32).set_requires_grad(true);
                    Tensor k = torch.randn(32, 12, 128, 32).set_requires_grad(true);
                    Tensor v = torch.randn(32, 12, 128, 32).set_requires_grad(true);
                    Tensor keep = torch.ones(32, 1, 1, 128).to(ScalarType.Bool); // (B, 1, 1, T)
                    java.util.function.Supplier<Tensor> attention = fused
                            ? () -> torch.scaled_dot_product_attention(q, k, v, new org.bytedeco.pytorch.TensorOptional(keep),
                                    dropout, false, new org.bytedeco.pytorch.DoubleOptional(), false)
                            : () -> {
                                Tensor scores = org.glossa.nn.Ops.matmul(q, k.transpose(-2, -1))
                                        .mul(new org.bytedeco.pytorch.Scalar(1 / Math.sqrt(32)))
                                        .masked_fill(keep.logical_not(), new org.bytedeco.pytorch.Scalar(-1e9f));
                                return org.glossa.nn.Ops.matmul(org.glossa.nn.Ops.softmax(scores, -1), v);
                            };
                    long t0 = cpu.getCurrentThreadCpuTime();
                    Tensor out = bf16 ? Autocast.bf16(attention) : attention.get();
                    Tensor loss = out.to(ScalarType.Float).sum();
                    loss.item_double();
                    long t1 = cpu.getCurrentThreadCpuTime();
                    loss.backward();
                    long t2 = cpu.getCurrentThreadCpuTime();
                    if (run >= 0) {
                        forward[run] = (t1 - t0) / 1e9;
                        backward[run] = (t2 - t1) / 1e9;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%-20s forward %.3f s  backward %.3f s%n", variant, median(forward), median(backward));
        }
    }

    static void table(String title, double[][] fp32, double[][] bf16, int offset) {
        System.out.printf(Locale.ROOT, "%n%s%n%-10s %12s %12s %12s %12s%n", title, "precision", "forward", "backward",
                "optimizer", "step");
        for (var row : List.of(java.util.Map.entry("fp32", fp32), java.util.Map.entry("bf16", bf16))) {
            double[][] t = row.getValue();
            System.out.printf(Locale.ROOT, "%-10s %12.3f %12.3f %12.3f %12.3f%n", row.getKey(), median(t[offset]),
                    median(t[offset + 1]), median(t[offset + 2]), median(t[offset + 3]));
        }
        System.out.printf(Locale.ROOT, "%-10s %11.2fx %11.2fx %11.2fx %11.2fx%n", "speed-up",
                median(fp32[offset]) / median(bf16[offset]), median(fp32[offset + 1]) / median(bf16[offset + 1]),
                median(fp32[offset + 2]) / median(bf16[offset + 2]), median(fp32[offset + 3]) / median(bf16[offset + 3]));
    }

    /**
     * Per timed step: wall seconds of forward, backward, optimizer, total (rows 0–3), the loss of every step
     * (row 4), and the calling thread's CPU seconds of the same phases (rows 5–8).
     */
    static double[][] run(BertConfig config, List<Batch> batches, boolean bf16) {
        torch.manual_seed(1234);
        MaskedLm model = new MaskedLm(config);
        model.train(true);
        AdamW adamW = new AdamW(model, AdamW.Options.defaults());
        int timed = batches.size() - 1;
        double[][] out = {new double[timed], new double[timed], new double[timed], new double[timed], new double[batches.size()],
                new double[timed], new double[timed], new double[timed], new double[timed]};
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        try (TensorVector parameters = new TensorVector(model.parameters().toArray(new Tensor[0]))) {
            for (int step = 0; step < batches.size(); step++) {
                Batch batch = batches.get(step);
                try (NativeScope scope = new NativeScope()) {
                    Tensor ids = Tensors.fromLongs(batch.ids, BATCH, LENGTH);
                    Tensor positions = Tensors.fromLongs(batch.positions, batch.positions.length);
                    Tensor targets = Tensors.fromLongs(batch.targets, batch.targets.length);
                    long c0 = cpu.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    Tensor loss = bf16 ? Autocast.bf16(() -> model.loss(ids, positions, targets)) : model.loss(ids, positions, targets);
                    loss = loss.to(ScalarType.Float);
                    double value = loss.item_double();
                    long t1 = System.nanoTime();
                    long c1 = cpu.getCurrentThreadCpuTime();
                    loss.backward();
                    long t2 = System.nanoTime();
                    long c2 = cpu.getCurrentThreadCpuTime();
                    torch.clip_grad_norm_(parameters, 1.0);
                    adamW.step(1e-4);
                    adamW.zeroGrad();
                    long t3 = System.nanoTime();
                    long c3 = cpu.getCurrentThreadCpuTime();
                    out[4][step] = value;
                    System.out.printf(Locale.ROOT, "%s step %d: loss %.5f  forward %.2f s  backward %.2f s  optimizer %.2f s%n",
                            bf16 ? "bf16" : "fp32", step, value, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
                    if (step > 0) {
                        out[0][step - 1] = (t1 - t0) / 1e9;
                        out[1][step - 1] = (t2 - t1) / 1e9;
                        out[2][step - 1] = (t3 - t2) / 1e9;
                        out[3][step - 1] = (t3 - t0) / 1e9;
                        out[5][step - 1] = (c1 - c0) / 1e9;
                        out[6][step - 1] = (c2 - c1) / 1e9;
                        out[7][step - 1] = (c3 - c2) / 1e9;
                        out[8][step - 1] = (c3 - c0) / 1e9;
                    }
                }
            }
        }
        return out;
    }

    static Batch randomBatch(Random random, int vocab) {
        long[] ids = new long[BATCH * LENGTH];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1000 + random.nextInt(vocab - 1000); // ordinary word pieces, not special tokens
        }
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (random.nextDouble() < MASKED) {
                positions.add((long) i);
            }
        }
        long[] picked = positions.stream().mapToLong(Long::longValue).toArray();
        long[] targets = new long[picked.length];
        for (int i = 0; i < picked.length; i++) {
            targets[i] = ids[(int) picked[i]]; // predict the original token...
            ids[(int) picked[i]] = 103;        // ...behind a [MASK]
        }
        return new Batch(ids, picked, targets);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
