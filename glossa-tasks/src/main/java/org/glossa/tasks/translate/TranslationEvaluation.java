package org.glossa.tasks.translate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.glossa.tasks.translate.TranslationModel.Batch;
import org.glossa.tasks.translate.TranslationModel.EncodedPair;

/**
 * How well a translation model does on sentence pairs: the teacher-forced loss of the references, and corpus BLEU
 * of its own translations, both as sacreBLEU computes it by default and as Multi30k papers report it (tokenised,
 * lower-cased). Run with the model in evaluation mode (no dropout).
 */
public final class TranslationEvaluation {
    private TranslationEvaluation() {}

    /** Pairs per batch for the teacher-forced loss. */
    public static final int LOSS_BATCH_SIZE = 128;

    /**
     * The references' cross-entropy under teacher forcing, without label smoothing.
     *
     * @param nats mean negative log-likelihood per target token ([EOS] included), in nats
     * @param targetTokens the tokens averaged over
     */
    public record Loss(double nats, long targetTokens) {
        public double perplexity() {
            return Math.exp(nats);
        }
    }

    /**
     * BLEU of translations against one reference each.
     *
     * @param hypotheses the translations, in the order of the pairs
     * @param seconds wall time of the translation (tokenising, searching, detokenising)
     */
    public record Scores(int sentences, Bleu.Score sacreBleu, Bleu.Score tokenizedBleu, List<String> hypotheses,
                         double seconds) {
        public double sentencesPerSecond() {
            return seconds > 0 ? sentences / seconds : 0;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "BLEU %.2f (sacreBLEU), %.2f (tokenised, lower-cased) on %d sentences, %.1f sentences/s",
                    sacreBleu.score(), tokenizedBleu.score(), sentences, sentencesPerSecond());
        }
    }

    /** The mean per-token loss over {@code pairs}, in batches of similar length. */
    public static Loss loss(TranslationModel model, List<EncodedPair> pairs, int batchSize) {
        List<EncodedPair> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.comparingInt(EncodedPair::length));
        double total = 0;
        long tokens = 0;
        for (int from = 0; from < sorted.size(); from += batchSize) {
            List<EncodedPair> chunk = sorted.subList(from, Math.min(sorted.size(), from + batchSize));
            try (NativeScope scope = new NativeScope()) {
                Batch batch = model.collate(chunk);
                double mean = Tensors.noGrad(() -> model.loss(batch, 0.0)).item_double(); // per target token of the batch
                total += mean * batch.targetTokens();
                tokens += batch.targetTokens();
            }
        }
        return new Loss(tokens == 0 ? Double.NaN : total / tokens, tokens);
    }

    /** Translates the sources of {@code pairs} and scores them against their targets. */
    public static Scores bleu(TranslationModel model, List<SentencePair> pairs, int beamSize, double alpha, int batchSize,
                              String where) {
        List<String> sources = pairs.stream().map(SentencePair::source).toList();
        List<String> references = pairs.stream().map(SentencePair::target).toList();
        long start = System.nanoTime();
        List<String> hypotheses = model.translate(sources, beamSize, alpha, batchSize, where);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Scores(pairs.size(), Bleu.sacreBleu().score(hypotheses, references),
                Bleu.tokenizedLowercase().score(hypotheses, references), hypotheses, seconds);
    }
}
