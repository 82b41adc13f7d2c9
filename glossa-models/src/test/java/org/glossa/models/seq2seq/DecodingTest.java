package org.glossa.models.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.glossa.nn.Engine;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The searches on a model whose every probability is known: a random table gives log P(next | sentence, step,
 * previous token) over 4 tokens. With a beam wide enough to keep every hypothesis, beam search must return exactly
 * the ranking that enumerating all sentences gives, under each length penalty.
 */
@Tag("model")
class DecodingTest {
    static final int VOCABULARY = 4;
    static final SpecialTokens SPECIAL = new SpecialTokens(0, 0, 1); // start = padding (Marian's convention), eos 1
    static final int MAX_LENGTH = 4;

    private NativeScope scope;

    @BeforeEach
    void open() {
        Engine.init();
        scope = new NativeScope();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    /** log P(token | sentence, step, previous): [sentence][step][previous][token], normalised. */
    static double[][][][] table(int sentences, long seed) {
        Random random = new Random(seed);
        double[][][][] table = new double[sentences][MAX_LENGTH][VOCABULARY][VOCABULARY];
        for (double[][][] sentence : table) {
            for (double[][] step : sentence) {
                for (double[] row : step) {
                    double total = 0;
                    for (int v = 0; v < VOCABULARY; v++) {
                        row[v] = Math.exp(2 * random.nextGaussian());
                        total += row[v];
                    }
                    for (int v = 0; v < VOCABULARY; v++) {
                        row[v] = Math.log(row[v] / total);
                    }
                }
            }
        }
        return table;
    }

    /** The table as an incremental decoder: each row remembers its sentence, step and previous token. */
    static final class TableDecoder implements IncrementalDecoder {
        final double[][][][] table;
        int[] sentence;
        int step;

        TableDecoder(double[][][][] table) {
            this.table = table;
            sentence = new int[table.length];
            for (int i = 0; i < sentence.length; i++) {
                sentence[i] = i;
            }
        }

        @Override
        public Tensor step(Tensor tokens) {
            long[] previous = Tensors.toLongs(tokens);
            assertEquals(sentence.length, previous.length, "one token per row");
            float[] out = new float[previous.length * VOCABULARY];
            for (int row = 0; row < previous.length; row++) {
                for (int v = 0; v < VOCABULARY; v++) {
                    out[row * VOCABULARY + v] = (float) table[sentence[row]][step][(int) previous[row]][v];
                }
            }
            step++;
            return Tensors.fromFloats(out, previous.length, VOCABULARY);
        }

        @Override
        public void select(Tensor rows) {
            sentence = Arrays.stream(Tensors.toLongs(rows)).mapToInt(r -> sentence[(int) r]).toArray();
        }

        @Override
        public void close() {}
    }

    record Scored(long[] tokens, double logProbability, double score, boolean finished) {}

    /** Every sentence of up to MAX_LENGTH tokens (ended by eos, or cut at MAX_LENGTH), best score first. */
    static List<Scored> enumerate(double[][][] sentence, double alpha) {
        List<Scored> out = new ArrayList<>();
        extend(sentence, alpha, new long[0], SPECIAL.decoderStart(), 0.0, out);
        out.sort(Comparator.comparingDouble(Scored::score).reversed());
        return out;
    }

    private static void extend(double[][][] sentence, double alpha, long[] prefix, long previous, double logProbability,
                               List<Scored> out) {
        int step = prefix.length;
        for (int v = 0; v < VOCABULARY; v++) {
            double total = logProbability + (float) sentence[step][(int) previous][v]; // the decoder's fp32 values
            if (v == SPECIAL.eos()) {
                out.add(new Scored(prefix, total, total / Decoding.lengthPenalty(step + 1, alpha), true));
                continue;
            }
            long[] longer = Arrays.copyOf(prefix, step + 1);
            longer[step] = v;
            if (step + 1 == MAX_LENGTH) {
                out.add(new Scored(longer, total, total / Decoding.lengthPenalty(step + 1, alpha), false));
            } else {
                extend(sentence, alpha, longer, v, total, out);
            }
        }
    }

    @Test
    void aBeamWideEnoughForEverythingFindsTheExactRanking() {
        double[][][][] table = table(3, 42);
        for (double alpha : new double[] {0.0, 0.6, 2.0}) {
            int everything = 81; // 3^4 live hypotheses at most
            List<List<Decoding.Hypothesis>> beams = Decoding.beam(new TableDecoder(table), 3, SPECIAL,
                    new Decoding.Options(everything, alpha, MAX_LENGTH));
            for (int s = 0; s < 3; s++) {
                List<Scored> truth = enumerate(table[s], alpha);
                List<Decoding.Hypothesis> found = beams.get(s);
                for (int rank = 0; rank < 10; rank++) {
                    String what = "alpha " + alpha + " sentence " + s + " rank " + rank;
                    assertArrayEquals(truth.get(rank).tokens(), found.get(rank).tokens(), what);
                    assertEquals(truth.get(rank).finished(), found.get(rank).finished(), what);
                    assertEquals(truth.get(rank).score(), found.get(rank).score(), 1e-4, what);
                    assertEquals(truth.get(rank).logProbability(), found.get(rank).logProbability(), 1e-4, what);
                }
            }
        }
    }

    @Test
    void theLengthPenaltyChangesWhatWins() {
        // Across these tables, a strong penalty must prefer a longer best sentence somewhere than no penalty does:
        // otherwise the penalty test above could pass with the penalty ignored.
        double[][][][] table = table(3, 42);
        boolean differs = false;
        for (int s = 0; s < 3; s++) {
            differs |= !Arrays.equals(enumerate(table[s], 0.0).get(0).tokens(), enumerate(table[s], 2.0).get(0).tokens());
        }
        assertTrue(differs);
        assertEquals(1.0, Decoding.lengthPenalty(1, 0.6), 1e-12);
        assertEquals(Math.pow(2, 0.6), Decoding.lengthPenalty(7, 0.6), 1e-12);
        assertEquals(1.0, Decoding.lengthPenalty(30, 0.0), 0.0);
    }

    @Test
    void greedyTakesTheBestTokenAtEveryStepAndBeamOfOneAgrees() {
        double[][][][] table = table(3, 7);
        List<Decoding.Hypothesis> greedy = Decoding.greedy(new TableDecoder(table), 3, SPECIAL, MAX_LENGTH);
        List<List<Decoding.Hypothesis>> beam = Decoding.beam(new TableDecoder(table), 3, SPECIAL,
                new Decoding.Options(1, 0.0, MAX_LENGTH));
        for (int s = 0; s < 3; s++) {
            // Follow the table by hand.
            List<Long> tokens = new ArrayList<>();
            long previous = SPECIAL.decoderStart();
            double total = 0;
            boolean finished = false;
            for (int step = 0; step < MAX_LENGTH && !finished; step++) {
                double[] row = table[s][step][(int) previous];
                int best = 0;
                for (int v = 1; v < VOCABULARY; v++) {
                    best = row[v] > row[best] ? v : best;
                }
                total += (float) row[best];
                finished = best == SPECIAL.eos();
                if (!finished) {
                    tokens.add((long) best);
                }
                previous = best;
            }
            long[] expected = tokens.stream().mapToLong(Long::longValue).toArray();
            assertArrayEquals(expected, greedy.get(s).tokens(), "sentence " + s);
            assertEquals(total, greedy.get(s).logProbability(), 1e-5);
            assertEquals(finished, greedy.get(s).finished());
            assertArrayEquals(expected, beam.get(s).get(0).tokens(), "beam of 1, sentence " + s);
            assertEquals(total, beam.get(s).get(0).logProbability(), 1e-5);
        }
    }

    @Test
    void sentencesDecodedTogetherEqualSentencesDecodedAlone() {
        double[][][][] table = table(4, 11);
        Decoding.Options options = new Decoding.Options(3, 0.6, MAX_LENGTH);
        List<List<Decoding.Hypothesis>> together = Decoding.beam(new TableDecoder(table), 4, SPECIAL, options);
        List<Decoding.Hypothesis> greedyTogether = Decoding.greedy(new TableDecoder(table), 4, SPECIAL, MAX_LENGTH);
        for (int s = 0; s < 4; s++) {
            double[][][][] alone = {table[s]};
            List<Decoding.Hypothesis> beam = Decoding.beam(new TableDecoder(alone), 1, SPECIAL, options).get(0);
            assertEquals(beam.size(), together.get(s).size());
            for (int i = 0; i < beam.size(); i++) {
                assertArrayEquals(beam.get(i).tokens(), together.get(s).get(i).tokens(), "sentence " + s + " hypothesis " + i);
                assertEquals(beam.get(i).score(), together.get(s).get(i).score(), 1e-6);
            }
            assertArrayEquals(Decoding.greedy(new TableDecoder(alone), 1, SPECIAL, MAX_LENGTH).get(0).tokens(),
                    greedyTogether.get(s).tokens());
        }
    }

    @Test
    void theMaximumLengthCutsUnfinishedSentences() {
        // A table that never says eos: every hypothesis is cut at the maximum length.
        double[][][][] table = table(1, 3);
        for (double[][] step : table[0]) {
            for (double[] row : step) {
                row[(int) SPECIAL.eos()] = Double.NEGATIVE_INFINITY;
            }
        }
        Decoding.Hypothesis greedy = Decoding.greedy(new TableDecoder(table), 1, SPECIAL, 3).get(0);
        assertEquals(3, greedy.tokens().length);
        assertFalse(greedy.finished());
        List<Decoding.Hypothesis> beam = Decoding.beam(new TableDecoder(table), 1, SPECIAL, new Decoding.Options(2, 0.6, 3)).get(0);
        assertEquals(2, beam.size());
        for (Decoding.Hypothesis hypothesis : beam) {
            assertEquals(3, hypothesis.tokens().length);
            assertFalse(hypothesis.finished());
        }
    }
}
