package org.glossa.text.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.glossa.core.GlossaException;
import org.glossa.core.Progress;

/**
 * Learns a byte-pair encoding (Sennrich et al., 2016) over characters from a text corpus: count the words
 * ({@link WordSplitter}), start from their characters, and repeatedly merge the adjacent pair that occurs
 * most often (weighted by word count) into a new token, until the vocabulary has {@code vocabSize} tokens
 * or no pair occurs at least {@code minFrequency} times.
 *
 * <p>Ties between equally frequent pairs go to the pair whose left token, then right token, comes first
 * in {@link String#compareTo} order, so a run depends only on its input (never on hash order or threads).
 *
 * <p>Pairs wait in a priority queue with their count; when a merge changes a pair's count, the pair is
 * queued again with the new count, and an entry whose count is no longer current is dropped when it
 * surfaces. A merge only touches the words that hold the pair.
 */
public final class BpeTrainer {
    /**
     * @param vocabSize the size to reach, special tokens and characters included
     * @param minFrequency the fewest occurrences a pair needs to be merged (at least 1)
     * @param specialTokens ids 0, 1, …; must include [UNK]
     */
    public record Options(int vocabSize, int minFrequency, List<String> specialTokens) {
        public Options {
            if (vocabSize < 1) {
                throw new GlossaException("vocabulary size must be positive, got " + vocabSize);
            }
            if (minFrequency < 1) {
                throw new GlossaException("minimum pair frequency must be at least 1, got " + minFrequency);
            }
            specialTokens = SubwordTokenizer.checkSpecialTokens(specialTokens);
        }

        /** {@code vocabSize} tokens, pairs seen at least twice, [PAD] [UNK] [BOS] [EOS]. */
        public static Options of(int vocabSize) {
            return new Options(vocabSize, 2, SubwordTokenizer.DEFAULT_SPECIAL_TOKENS);
        }
    }

    private record Candidate(long pair, long count) {}

    private BpeTrainer() {}

    /** Trains on the texts (sentences or lines; each is split into words on its own). */
    public static BpeTokenizer train(Iterable<String> texts, Options options) {
        PairMerger merger = PairMerger.startVocabulary(texts, options);
        int start = merger.tokens().size();
        Comparator<Candidate> order = Comparator.comparingLong((Candidate c) -> -c.count())
                .thenComparing(c -> merger.token(PairMerger.left(c.pair())))
                .thenComparing(c -> merger.token(PairMerger.right(c.pair())));
        PriorityQueue<Candidate> queue = new PriorityQueue<>(order);
        for (long pair : merger.pairs()) {
            queue.add(new Candidate(pair, merger.pairCount(pair)));
        }
        List<BpeTokenizer.Merge> merges = new ArrayList<>();
        try (Progress progress = Progress.start("bpe", options.vocabSize() - start, "tokens")) {
            while (merger.tokens().size() < options.vocabSize() && !queue.isEmpty()) {
                Candidate best = queue.poll();
                if (best.count() != merger.pairCount(best.pair())) {
                    continue; // stale: the pair was queued again with its current count
                }
                if (best.count() < options.minFrequency()) {
                    break; // the most frequent pair is too rare, and so is every other
                }
                int sizeBefore = merger.tokens().size();
                merges.add(new BpeTokenizer.Merge(merger.token(PairMerger.left(best.pair())),
                        merger.token(PairMerger.right(best.pair()))));
                for (long changed : merger.merge(best.pair())) {
                    long count = merger.pairCount(changed);
                    if (count > 0) {
                        queue.add(new Candidate(changed, count));
                    }
                }
                progress.advance(merger.tokens().size() - sizeBefore);
            }
        }
        return new BpeTokenizer(merger.tokens(), options.specialTokens(), merges);
    }
}
