package org.glossa.text.train;

import java.util.Comparator;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;
import org.glossa.core.Progress;

/**
 * Learns a WordPiece vocabulary (Schuster and Nakajima, 2012; the vocabulary of BERT) from a text corpus:
 * like {@link BpeTrainer} it starts from the characters of the words ({@link WordSplitter}) and merges
 * adjacent pairs, but it picks the pair that most raises the likelihood of the corpus under a unigram model
 * of the symbols, i.e. the highest {@code count(ab) / (count(a) · count(b))}: a pair whose parts seldom
 * occur apart wins over a pair of frequent symbols that merely meet often. Only the resulting vocabulary is
 * kept; encoding is greedy longest match ({@link WordPieceTokenizer}).
 *
 * <p>Pairs seen fewer than {@code minFrequency} times are never merged. Ties go to the pair whose left,
 * then right token comes first in {@link String#compareTo} order. A merge of a and b changes the score of
 * every pair that holds a, b or the new token, so those are queued again with their current counts; an
 * entry whose counts are no longer current is dropped when it surfaces.
 */
public final class WordPieceTrainer {
    private record Candidate(long pair, long count, long leftCount, long rightCount) {
        double score() {
            return count / ((double) leftCount * rightCount);
        }
    }

    private WordPieceTrainer() {}

    /** Trains on the texts; the options mean what they mean for {@link BpeTrainer}. */
    public static WordPieceTokenizer train(Iterable<String> texts, BpeTrainer.Options options) {
        PairMerger merger = PairMerger.startVocabulary(texts, options);
        int start = merger.tokens().size();
        Comparator<Candidate> order = Comparator.comparingDouble((Candidate c) -> -c.score())
                .thenComparing(c -> merger.token(PairMerger.left(c.pair())))
                .thenComparing(c -> merger.token(PairMerger.right(c.pair())));
        PriorityQueue<Candidate> queue = new PriorityQueue<>(order);
        for (long pair : merger.pairs()) {
            offer(queue, merger, pair, options.minFrequency());
        }
        try (Progress progress = Progress.start("wordpiece", options.vocabSize() - start, "tokens")) {
            while (merger.tokens().size() < options.vocabSize() && !queue.isEmpty()) {
                Candidate best = queue.poll();
                if (!current(best, merger)) {
                    continue; // stale: the pair was queued again with its current counts
                }
                int sizeBefore = merger.tokens().size();
                int left = PairMerger.left(best.pair());
                int right = PairMerger.right(best.pair());
                Set<Long> requeue = new HashSet<>(merger.merge(best.pair()));
                int merged = merger.id(merger.token(left) + merger.token(right));
                for (int symbol : new int[] {left, right, merged}) {
                    requeue.addAll(merger.pairsWith(symbol));
                }
                for (long pair : requeue) {
                    offer(queue, merger, pair, options.minFrequency());
                }
                progress.advance(merger.tokens().size() - sizeBefore);
            }
        }
        return new WordPieceTokenizer(merger.tokens(), options.specialTokens());
    }

    private static void offer(PriorityQueue<Candidate> queue, PairMerger merger, long pair, int minFrequency) {
        long count = merger.pairCount(pair);
        if (count >= minFrequency) {
            queue.add(new Candidate(pair, count, merger.symbolCount(PairMerger.left(pair)),
                    merger.symbolCount(PairMerger.right(pair))));
        }
    }

    private static boolean current(Candidate candidate, PairMerger merger) {
        return candidate.count() == merger.pairCount(candidate.pair())
                && candidate.leftCount() == merger.symbolCount(PairMerger.left(candidate.pair()))
                && candidate.rightCount() == merger.symbolCount(PairMerger.right(candidate.pair()));
    }
}
