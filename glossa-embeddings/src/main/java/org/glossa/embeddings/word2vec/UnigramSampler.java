package org.glossa.embeddings.word2vec;

/**
 * Draws negative samples from the unigram distribution raised to the power 0.75, as word2vec.c and gensim
 * do. Instead of word2vec.c's table of 10^8 ids (400 MB) or gensim's cumulative table searched by bisection,
 * this uses Walker's alias method (Vose's construction): exact probabilities, O(1) per draw, and two arrays
 * of the vocabulary's size.
 */
final class UnigramSampler {
    static final double POWER = 0.75;
    private static final int COIN_BITS = 24;

    private final int size;
    private final int[] threshold; // keep the bucket's own word when a 24-bit coin is below this
    private final int[] alias;     // otherwise take this word

    UnigramSampler(long[] counts) {
        size = counts.length;
        threshold = new int[size];
        alias = new int[size];
        double[] scaled = new double[size]; // probability × size: 1 is an average bucket
        double total = 0;
        for (long count : counts) {
            total += Math.pow(count, POWER);
        }
        for (int i = 0; i < size; i++) {
            scaled[i] = Math.pow(counts[i], POWER) / total * size;
        }
        int[] small = new int[size];
        int[] large = new int[size];
        int smallCount = 0;
        int largeCount = 0;
        for (int i = size - 1; i >= 0; i--) {
            if (scaled[i] < 1) {
                small[smallCount++] = i;
            } else {
                large[largeCount++] = i;
            }
        }
        // Each under-full bucket is topped up by an over-full word, which then lends what it has left.
        while (smallCount > 0 && largeCount > 0) {
            int lesser = small[--smallCount];
            int greater = large[--largeCount];
            threshold[lesser] = (int) Math.round(scaled[lesser] * (1 << COIN_BITS));
            alias[lesser] = greater;
            scaled[greater] -= 1 - scaled[lesser];
            if (scaled[greater] < 1) {
                small[smallCount++] = greater;
            } else {
                large[largeCount++] = greater;
            }
        }
        // What remains is full up to rounding.
        while (largeCount > 0) {
            int full = large[--largeCount];
            threshold[full] = 1 << COIN_BITS;
            alias[full] = full;
        }
        while (smallCount > 0) {
            int full = small[--smallCount];
            threshold[full] = 1 << COIN_BITS;
            alias[full] = full;
        }
    }

    /**
     * A word for two 64-bit random numbers (from the caller's generator, so that its state stays in a
     * local variable): the high 32 bits of the first pick the bucket, the top 24 bits of the second toss
     * the coin.
     */
    int sample(long random1, long random2) {
        int bucket = (int) (((random1 >>> 32) * size) >>> 32);
        return (int) (random2 >>> (64 - COIN_BITS)) < threshold[bucket] ? bucket : alias[bucket];
    }

    /** The exact probability of drawing {@code word} (for tests). */
    double probability(int word) {
        double p = 0;
        for (int bucket = 0; bucket < size; bucket++) {
            double own = (double) threshold[bucket] / (1 << COIN_BITS);
            if (bucket == word) {
                p += own;
            }
            if (alias[bucket] == word) {
                p += 1 - own;
            }
        }
        return p / size;
    }
}
