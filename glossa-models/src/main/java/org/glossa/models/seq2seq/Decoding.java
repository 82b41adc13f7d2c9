package org.glossa.models.seq2seq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;

/**
 * Greedy and beam search over any {@link EncoderDecoder}, batched: every source sentence of a batch is decoded at
 * once, one decoder row per hypothesis, and rows whose sentence is finished are dropped as the search goes.
 *
 * <p><b>Scores.</b> A hypothesis's log-probability is the sum of its tokens' log-probabilities, the end-of-sentence
 * token included. Beam search ranks finished hypotheses by that sum divided by GNMT's length penalty (Wu et al.,
 * 2016, the one the Transformer paper used with α = 0.6): {@code lp(L) = ((5 + L) / 6)^α}, L the number of
 * generated tokens, end-of-sentence included. α = 0 ranks by the plain sum. (HF's {@code length_penalty} divides by
 * {@code L^α} instead; at α = 0 the two agree.)
 *
 * <p><b>Beam search</b> keeps {@code beamSize} live hypotheses per sentence. Each step looks at the best
 * 2 × beamSize extensions of them: one ending in end-of-sentence and ranked among the first beamSize becomes a
 * finished hypothesis; the best beamSize others stay live. A sentence is done once it has beamSize finished
 * hypotheses and the best live one, scored at its current length, no longer beats the worst of them (HF's
 * stopping rule; exact when α = 0, since log-probabilities only fall), or at the maximum length, where the live
 * hypotheses join the finished ones marked unfinished. With beamSize 1 and α = 0 this is exactly greedy search.
 */
public final class Decoding {
    private Decoding() {}

    /**
     * @param beamSize live hypotheses per sentence (1 for greedy)
     * @param lengthPenalty GNMT's α (0 = none; the Transformer paper used 0.6)
     * @param maxLength the most tokens to generate per sentence, end-of-sentence included; capped at the
     *     model's {@link EncoderDecoder#maxTargetLength()}
     */
    public record Options(int beamSize, double lengthPenalty, int maxLength) {
        public Options {
            if (beamSize < 1) {
                throw new IllegalArgumentException("beam size must be >= 1, got " + beamSize);
            }
            if (!(lengthPenalty >= 0) || Double.isInfinite(lengthPenalty)) {
                throw new IllegalArgumentException("length penalty must be a finite number >= 0, got " + lengthPenalty);
            }
            if (maxLength < 1) {
                throw new IllegalArgumentException("max length must be >= 1, got " + maxLength);
            }
        }
    }

    /**
     * A decoded target sentence.
     *
     * @param tokens the generated ids, without the decoder start and end-of-sentence tokens
     * @param logProbability the sum of the log-probabilities of the generated tokens (end-of-sentence included)
     * @param score what beam search ranks by: logProbability / lp(length); equal to logProbability for greedy search
     * @param finished whether the sentence ended with end-of-sentence (false: cut at the maximum length)
     */
    public record Hypothesis(long[] tokens, double logProbability, double score, boolean finished) {
        @Override
        public String toString() {
            return Arrays.toString(tokens) + (finished ? "" : "…") + " " + score;
        }
    }

    /** GNMT's length penalty ((5 + length) / 6)^α. */
    public static double lengthPenalty(int length, double alpha) {
        return Math.pow((5.0 + length) / 6.0, alpha);
    }

    /** Greedy search: the most likely token at every step. One hypothesis per row of {@code sourceIds} (B, S). */
    public static List<Hypothesis> greedy(EncoderDecoder model, Tensor sourceIds, int maxLength) {
        int limit = Math.min(maxLength, model.maxTargetLength());
        try (NativeScope scope = new NativeScope(); NoGradGuard noGrad = new NoGradGuard();
             IncrementalDecoder decoder = model.startDecoding(sourceIds)) {
            return greedy(decoder, Math.toIntExact(sourceIds.size(0)), model.specialTokens(), limit);
        }
    }

    /** Beam search; for each row of {@code sourceIds} (B, S), its finished hypotheses, best first (at most beamSize). */
    public static List<List<Hypothesis>> beam(EncoderDecoder model, Tensor sourceIds, Options options) {
        Options capped = new Options(options.beamSize(), options.lengthPenalty(),
                Math.min(options.maxLength(), model.maxTargetLength()));
        try (NativeScope scope = new NativeScope(); NoGradGuard noGrad = new NoGradGuard();
             IncrementalDecoder decoder = model.startDecoding(sourceIds)) {
            return beam(decoder, Math.toIntExact(sourceIds.size(0)), model.specialTokens(), capped);
        }
    }

    /** Greedy search driving {@code decoder}, which holds one row for each of {@code batch} sentences. */
    public static List<Hypothesis> greedy(IncrementalDecoder decoder, int batch, SpecialTokens special, int maxLength) {
        List<List<Long>> tokens = new ArrayList<>();
        double[] logProbability = new double[batch];
        boolean[] finished = new boolean[batch];
        int[] sourceOfRow = new int[batch]; // decoder row → sentence
        long[] last = new long[batch];
        for (int i = 0; i < batch; i++) {
            tokens.add(new ArrayList<>());
            sourceOfRow[i] = i;
            last[i] = special.decoderStart();
        }
        for (int step = 1; step <= maxLength && sourceOfRow.length > 0; step++) {
            try (NativeScope scope = new NativeScope()) {
                int[] rowSources = sourceOfRow;
                int rows = rowSources.length;
                Tensor logProbs = decoder.step(Tensors.fromLongs(last, rows)); // (N, V)
                T_TensorTensor_T best = logProbs.max(1);
                float[] values = Tensors.toFloats(best.get0());
                long[] ids = Tensors.toLongs(best.get1());
                List<Integer> kept = new ArrayList<>();
                for (int row = 0; row < rows; row++) {
                    int source = rowSources[row];
                    logProbability[source] += values[row];
                    if (ids[row] == special.eos()) {
                        finished[source] = true;
                    } else {
                        tokens.get(source).add(ids[row]);
                        kept.add(row);
                    }
                }
                if (kept.size() < rows && !kept.isEmpty()) {
                    decoder.select(Tensors.fromLongs(kept.stream().mapToLong(Integer::longValue).toArray(), kept.size()));
                }
                sourceOfRow = kept.stream().mapToInt(row -> rowSources[row]).toArray();
                last = kept.stream().mapToLong(row -> ids[row]).toArray();
            }
        }
        List<Hypothesis> out = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            out.add(new Hypothesis(tokens.get(i).stream().mapToLong(Long::longValue).toArray(), logProbability[i],
                    logProbability[i], finished[i]));
        }
        return out;
    }

    /** The live and finished hypotheses of one sentence during beam search. */
    private static final class Beam {
        long[][] tokens; // (k) live hypotheses' tokens
        double[] scores; // (k) their log-probabilities; −∞ for an empty slot
        final List<Hypothesis> finished = new ArrayList<>();

        void addFinished(Hypothesis hypothesis, int beamSize) {
            finished.add(hypothesis);
            finished.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
            if (finished.size() > beamSize) {
                finished.remove(finished.size() - 1);
            }
        }
    }

    /** Beam search driving {@code decoder}, which holds one row for each of {@code batch} sentences. */
    public static List<List<Hypothesis>> beam(IncrementalDecoder decoder, int batch, SpecialTokens special, Options options) {
        int k = options.beamSize();
        double alpha = options.lengthPenalty();
        // Row i·k + j of the decoder is live hypothesis j of sentence i.
        long[] expand = new long[batch * k];
        for (int i = 0; i < expand.length; i++) {
            expand[i] = i / k;
        }
        decoder.select(Tensors.fromLongs(expand, expand.length));
        Beam[] beams = new Beam[batch];
        for (int i = 0; i < batch; i++) {
            beams[i] = new Beam();
            beams[i].tokens = new long[k][0];
            beams[i].scores = new double[k];
            // All slots hold the same empty hypothesis: let only the first one grow, or the beam fills with copies.
            Arrays.fill(beams[i].scores, 1, k, Double.NEGATIVE_INFINITY);
        }
        int[] active = new int[batch]; // the sentences still searched, in decoder row order
        for (int i = 0; i < batch; i++) {
            active[i] = i;
        }
        long[] last = new long[batch * k];
        Arrays.fill(last, special.decoderStart());

        for (int step = 1; step <= options.maxLength() && active.length > 0; step++) {
            try (NativeScope scope = new NativeScope()) {
                int rows = active.length * k;
                float[] currentScores = new float[rows];
                for (int a = 0; a < active.length; a++) {
                    for (int j = 0; j < k; j++) {
                        currentScores[a * k + j] = (float) beams[active[a]].scores[j];
                    }
                }
                Tensor logProbs = decoder.step(Tensors.fromLongs(last, rows)); // (N, V)
                long vocabulary = logProbs.size(1);
                Tensor candidates = logProbs.add(Tensors.fromFloats(currentScores, rows, 1)) // (N, V)
                        .view(active.length, k * vocabulary); // (n, k·V)
                T_TensorTensor_T top = torch.topk(candidates, Math.min(2L * k, k * vocabulary), 1, true, true);
                int width = Math.toIntExact(top.get0().size(1));
                float[] values = Tensors.toFloats(top.get0()); // (n, 2k)
                long[] indices = Tensors.toLongs(top.get1());

                List<Integer> stillActive = new ArrayList<>();
                List<Long> nextRows = new ArrayList<>();
                List<Long> nextLast = new ArrayList<>();
                for (int a = 0; a < active.length; a++) {
                    Beam beam = beams[active[a]];
                    long[][] liveTokens = new long[k][];
                    double[] liveScores = new double[k];
                    long[] liveRows = new long[k];
                    int filled = 0;
                    for (int c = 0; c < width && filled < k; c++) {
                        double value = values[a * width + c];
                        if (value == Double.NEGATIVE_INFINITY) {
                            break; // sorted: only empty slots' extensions remain
                        }
                        int from = Math.toIntExact(indices[a * width + c] / vocabulary);
                        long token = indices[a * width + c] % vocabulary;
                        if (token == special.eos()) {
                            if (c < k) {
                                beam.addFinished(new Hypothesis(beam.tokens[from], value, value / lengthPenalty(step, alpha),
                                        true), k);
                            }
                            continue;
                        }
                        liveTokens[filled] = append(beam.tokens[from], token);
                        liveScores[filled] = value;
                        liveRows[filled] = (long) a * k + from;
                        filled++;
                    }
                    for (int j = filled; j < k; j++) { // too few candidates (a tiny vocabulary): empty slots
                        liveTokens[j] = new long[0];
                        liveScores[j] = Double.NEGATIVE_INFINITY;
                        liveRows[j] = (long) a * k;
                    }
                    beam.tokens = liveTokens;
                    beam.scores = liveScores;

                    boolean done;
                    if (filled == 0) {
                        done = true;
                    } else if (step == options.maxLength()) {
                        for (int j = 0; j < filled; j++) {
                            beam.addFinished(new Hypothesis(liveTokens[j], liveScores[j],
                                    liveScores[j] / lengthPenalty(step, alpha), false), k);
                        }
                        done = true;
                    } else {
                        done = beam.finished.size() >= k
                                && liveScores[0] / lengthPenalty(step, alpha) <= beam.finished.get(k - 1).score();
                    }
                    if (!done) {
                        stillActive.add(active[a]);
                        for (int j = 0; j < k; j++) {
                            nextRows.add(liveRows[j]);
                            long[] hypothesis = liveTokens[j];
                            nextLast.add(hypothesis.length == 0 ? special.eos() : hypothesis[hypothesis.length - 1]);
                        }
                    }
                }
                active = stillActive.stream().mapToInt(Integer::intValue).toArray();
                if (active.length > 0) {
                    decoder.select(Tensors.fromLongs(nextRows.stream().mapToLong(Long::longValue).toArray(), nextRows.size()));
                }
                last = nextLast.stream().mapToLong(Long::longValue).toArray();
            }
        }
        List<List<Hypothesis>> out = new ArrayList<>();
        for (Beam beam : beams) {
            out.add(List.copyOf(beam.finished));
        }
        return out;
    }

    private static long[] append(long[] tokens, long token) {
        long[] out = Arrays.copyOf(tokens, tokens.length + 1);
        out[tokens.length] = token;
        return out;
    }
}
