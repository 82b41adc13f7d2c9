package org.glossa.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;
import org.glossa.core.onnx.MiniLm;
import org.glossa.models.bert.Bert;
import org.glossa.nn.Autocast;
import org.glossa.nn.Engine;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;

/**
 * Encoder inference throughput of all-MiniLM-L6-v2, Glossa (libtorch, fp32 and bf16 autocast) beside ONNX
 * Runtime running the original ONNX file, with the same thread count, in one run.
 *
 * <pre>bench/encoder-throughput.sh [seconds-per-cell] [threads]</pre>
 *
 * Each cell runs warm-up passes, then as many timed passes as fit in the time budget (at least 3), and
 * reports sequences per second from the median pass. Inputs are random token ids (no padding), so every
 * engine does the same arithmetic.
 */
public final class EncoderThroughput {
    record Shape(int batch, int length) {}

    public static void main(String[] args) throws Exception {
        double secondsPerCell = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        System.setProperty("glossa.threads", Integer.toString(threads));
        Engine.init();
        System.out.println("# " + Engine.describe().replace("\n", "\n# "));
        Path modelDir = MiniLm.ensureImported();
        Bert.Model model = Bert.Model.load(modelDir);
        model.train(false);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        OrtSession session;
        try (InputStream onnx = MiniLm.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            session = env.createSession(onnx.readAllBytes(), options);
        }

        List<Shape> shapes = List.of(new Shape(32, 128), new Shape(8, 384));
        System.out.printf("%-12s %10s %16s %16s %16s%n", "shape", "threads", "ORT fp32 seq/s", "Glossa fp32", "Glossa bf16");
        for (Shape shape : shapes) {
            long[] ids = randomIds(shape, new Random(42));
            long[] ones = new long[ids.length];
            java.util.Arrays.fill(ones, 1);
            long[] zeros = new long[ids.length];
            double ortRate = rate(shape, secondsPerCell, () -> runOrt(env, session, shape, ids, ones, zeros));
            double fp32Rate = rate(shape, secondsPerCell, () -> runGlossa(model, shape, ids, ones, false));
            double bf16Rate = rate(shape, secondsPerCell, () -> runGlossa(model, shape, ids, ones, true));
            System.out.printf("%-12s %10d %16.1f %16.1f %16.1f%n", shape.batch + "x" + shape.length, threads,
                    ortRate, fp32Rate, bf16Rate);
        }
        session.close();
        reportBf16Drift(model);
    }

    /** How far bf16 compute moves the outputs: max |Δ| of hidden states, and the worst cosine of pooled vectors. */
    static void reportBf16Drift(Bert.Model model) {
        Shape shape = new Shape(32, 128);
        long[] ids = randomIds(shape, new Random(7));
        long[] ones = new long[ids.length];
        java.util.Arrays.fill(ones, 1);
        try (NativeScope scope = new NativeScope()) {
            Tensors.inference(() -> {
                Tensor input = Tensors.fromLongs(ids, shape.batch, shape.length);
                Tensor fp32 = model.forward(input, null, null).lastHiddenState(); // (B, T, H)
                Tensor bf16 = Autocast.bf16(() -> model.forward(input, null, null).lastHiddenState())
                        .to(org.bytedeco.pytorch.global.torch.ScalarType.Float);
                float maxDiff = Tensors.toFloats(fp32.sub(bf16).abs().max())[0];
                Tensor a = fp32.mean(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional()); // (B, H)
                Tensor b = bf16.mean(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
                float[] cos = Tensors.toFloats(org.bytedeco.pytorch.global.torch.cosine_similarity(a, b, 1, 1e-8));
                float worst = 1;
                for (float c : cos) {
                    worst = Math.min(worst, c);
                }
                System.out.printf("bf16 vs fp32 on 32x128: max |delta hidden| = %.4f, worst cosine of mean-pooled vectors = %.6f%n",
                        maxDiff, worst);
            });
        }
    }

    static long[] randomIds(Shape shape, Random random) {
        long[] ids = new long[shape.batch * shape.length];
        for (int b = 0; b < shape.batch; b++) {
            for (int t = 0; t < shape.length; t++) {
                // [CLS] … [SEP] around ordinary word pieces (ids past the special and unused tokens).
                ids[b * shape.length + t] = t == 0 ? 101 : t == shape.length - 1 ? 102 : 1996 + random.nextInt(28000);
            }
        }
        return ids;
    }

    static Object runOrt(OrtEnvironment env, OrtSession session, Shape shape, long[] ids, long[] mask, long[] types) {
        long[] dims = {shape.batch, shape.length};
        try (OnnxTensor i = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(ids), dims);
                OnnxTensor m = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(mask), dims);
                OnnxTensor t = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(types), dims);
                OrtSession.Result result = session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t))) {
            return result.get(0).getInfo();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Object runGlossa(Bert.Model model, Shape shape, long[] ids, long[] mask, boolean bf16) {
        try (NativeScope scope = new NativeScope()) {
            return Tensors.inference(() -> {
                Tensor input = Tensors.fromLongs(ids, shape.batch, shape.length);
                Tensor attention = Tensors.fromLongs(mask, shape.batch, shape.length);
                Supplier<Tensor> forward = () -> model.forward(input, null, attention).lastHiddenState();
                Tensor hidden = bf16 ? Autocast.bf16(forward) : forward.get();
                return hidden.sizes().vec().get().length; // forces nothing lazy: libtorch CPU ops are eager
            });
        }
    }

    /** Sequences per second from the median of the timed passes. */
    static double rate(Shape shape, double seconds, Supplier<Object> pass) {
        for (int i = 0; i < 2; i++) {
            pass.get(); // warm-up: allocator, oneDNN primitive caches, JIT
        }
        List<Double> times = new ArrayList<>();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (times.size() < 3 || System.nanoTime() < deadline) {
            long start = System.nanoTime();
            pass.get();
            times.add((System.nanoTime() - start) / 1e9);
        }
        times.sort(Double::compare);
        return shape.batch / times.get(times.size() / 2);
    }
}
