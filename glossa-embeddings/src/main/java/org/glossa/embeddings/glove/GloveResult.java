package org.glossa.embeddings.glove;

import java.util.List;
import java.util.Map;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.Vocabulary;

/**
 * What a GloVe run produced.
 *
 * @param vectors      the word vectors of the chosen {@link OutputMode}, rows in vocabulary order, with counts
 * @param vocabulary   the vocabulary trained on
 * @param parameters   all trained parameters (w, w̃, biases, AdaGrad state), e.g. for other output modes
 * @param iterations   one report per iteration trained in this run (fewer than asked when resumed)
 * @param records      co-occurrence records (distinct word pairs) trained on
 * @param stageSeconds wall-clock seconds per stage that ran: vocabulary, cooccurrence, shuffle, training
 * @param seconds      wall-clock time of the whole run
 */
public record GloveResult(KeyedVectors vectors, Vocabulary vocabulary, GloveParameters parameters,
                          List<IterationReport> iterations, long records, Map<String, Double> stageSeconds,
                          double seconds) {
    public GloveResult {
        iterations = List.copyOf(iterations);
        stageSeconds = Map.copyOf(stageSeconds);
    }

    /** The cost of the last iteration trained, or NaN when none was. */
    public double finalCost() {
        return iterations.isEmpty() ? Double.NaN : iterations.get(iterations.size() - 1).cost();
    }
}
