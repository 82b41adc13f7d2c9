package org.glossa.models.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.bytedeco.pytorch.Tensor;
import org.glossa.nn.Module;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.glossa.nn.train.AdamW;

/**
 * A toy translation task for the "tiny model overfits" tests: the target is the source reversed, so the decoder
 * has to attend to the right source position at every step. Ids: 0 padding, 1 decoder start, 2 end of sentence,
 * 3 … 12 the symbols.
 */
public final class ReversalTask {
    public static final SpecialTokens SPECIAL = new SpecialTokens(0, 1, 2);
    public static final int VOCABULARY = 13;

    public final List<long[]> sources = new ArrayList<>();
    public final List<long[]> targets = new ArrayList<>();

    /** {@code count} distinct random sources of 3 to 6 symbols. */
    public ReversalTask(int count, long seed) {
        Random random = new Random(seed);
        while (sources.size() < count) {
            long[] source = new long[3 + random.nextInt(4)];
            for (int i = 0; i < source.length; i++) {
                source[i] = 3 + random.nextInt(10);
            }
            if (sources.stream().anyMatch(s -> Arrays.equals(s, source))) {
                continue;
            }
            long[] target = new long[source.length];
            for (int i = 0; i < source.length; i++) {
                target[i] = source[source.length - 1 - i];
            }
            sources.add(source);
            targets.add(target);
        }
    }

    /** The rows padded to the longest, with {@code before} and {@code after} around each: (N, L). */
    public static Tensor padded(List<long[]> rows, long before, long after) {
        int extra = (before >= 0 ? 1 : 0) + (after >= 0 ? 1 : 0);
        int width = rows.stream().mapToInt(r -> r.length).max().orElse(0) + extra;
        long[] out = new long[rows.size() * width]; // 0 = padding
        for (int row = 0; row < rows.size(); row++) {
            int at = row * width;
            if (before >= 0) {
                out[at++] = before;
            }
            for (long id : rows.get(row)) {
                out[at++] = id;
            }
            if (after >= 0) {
                out[at] = after;
            }
        }
        return Tensors.fromLongs(out, rows.size(), width);
    }

    public Tensor sourceIds() {
        return padded(sources, -1, -1);
    }

    /** Decoder inputs: start, target (B, T+1). */
    public Tensor targetInputIds() {
        return padded(targets, SPECIAL.decoderStart(), -1);
    }

    /** What each decoder position predicts: target, end of sentence (B, T+1). */
    public Tensor targetOutputIds() {
        return padded(targets, -1, SPECIAL.eos());
    }

    /** What a model computes its loss with: (source, target input, target output) → scalar loss. */
    public interface Loss {
        Tensor apply(Tensor sourceIds, Tensor targetInputIds, Tensor targetOutputIds);
    }

    /** Full-batch AdamW until the loss is below {@code goal} (or {@code maxSteps}); returns the last loss. */
    public double train(Module model, Loss loss, double lr, int maxSteps, double goal) {
        AdamW optimizer = new AdamW(model, AdamW.Options.defaults().withWeightDecay(0));
        model.train(true);
        double last = Double.NaN;
        for (int step = 0; step < maxSteps; step++) {
            try (NativeScope scope = new NativeScope()) {
                Tensor value = loss.apply(sourceIds(), targetInputIds(), targetOutputIds());
                value.backward();
                optimizer.step(lr);
                optimizer.zeroGrad();
                last = value.item_double();
            }
            if (last < goal) {
                break;
            }
        }
        model.train(false);
        return last;
    }

    /** Every source decodes to its reversal, finished with end of sentence. */
    public void assertAllReversed(Function<Tensor, List<Decoding.Hypothesis>> decode, String what) {
        try (NativeScope scope = new NativeScope()) {
            List<Decoding.Hypothesis> results = decode.apply(sourceIds());
            assertEquals(sources.size(), results.size());
            for (int i = 0; i < sources.size(); i++) {
                assertArrayEquals(targets.get(i), results.get(i).tokens(), what + ": " + Arrays.toString(sources.get(i)));
                assertTrue(results.get(i).finished(), what + ": ended with end of sentence");
            }
        }
    }
}
