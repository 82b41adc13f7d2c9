package org.glossa.embeddings.word2vec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.glossa.embeddings.corpus.SentenceSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Negative sampling's unigram distribution and frequent-word subsampling. */
@Tag("unit")
class SamplingTest {

    @Test
    void unigramSamplerIsCountToThePower075() {
        long[] counts = {100_000, 30_000, 5_000, 5_000, 700, 60, 9, 1, 1};
        UnigramSampler sampler = new UnigramSampler(counts);
        double total = 0;
        for (long count : counts) {
            total += Math.pow(count, 0.75);
        }
        for (int w = 0; w < counts.length; w++) {
            double expected = Math.pow(counts[w], 0.75) / total;
            assertEquals(expected, sampler.probability(w), 1e-6, "word " + w);
        }
        // Draws with the trainer's generator follow it: each frequency within 5 standard deviations.
        int draws = 2_000_000;
        long[] seen = new long[counts.length];
        long random = 12345;
        for (int i = 0; i < draws; i++) {
            long r1 = random * 25214903917L + 11;
            long r2 = r1 * 25214903917L + 11;
            random = r2;
            seen[sampler.sample(r1, r2)]++;
        }
        for (int w = 0; w < counts.length; w++) {
            double p = Math.pow(counts[w], 0.75) / total;
            double sigma = Math.sqrt(draws * p * (1 - p));
            assertEquals(draws * p, seen[w], 5 * sigma + 1, "word " + w);
        }
    }

    @Test
    void keepProbabilityIsWord2vecsFormula() {
        // (sqrt(f / (s T)) + 1) (s T) / f, capped at 1: with s T = 1000,
        assertEquals((Math.sqrt(10) + 1) * 0.1, Word2Vec.keepProbability(10_000, 1_000_000, 1e-3), 1e-12);
        assertEquals((Math.sqrt(100) + 1) * 0.01, Word2Vec.keepProbability(100_000, 1_000_000, 1e-3), 1e-12);
        assertEquals(1.0, Word2Vec.keepProbability(1000, 1_000_000, 1e-3));   // 2 capped at 1
        assertEquals((Math.sqrt(5) + 1) / 5, Word2Vec.keepProbability(5000, 1_000_000, 1e-3), 1e-12);
        assertEquals(1.0, Word2Vec.keepProbability(900_000, 1_000_000, 0));
    }

    @Test
    void trainingKeepsTheExpectedShareOfEachWord() {
        // A corpus dominated by a few words: "a" half of it, "b" a quarter, 100 rare words the rest.
        List<List<String>> sentences = new ArrayList<>();
        long counter = 0;
        for (int s = 0; s < 2000; s++) {
            List<String> sentence = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                counter++;
                sentence.add(i % 2 == 0 ? "a" : i % 4 == 1 ? "b" : "r" + (counter % 100));
            }
            sentences.add(sentence);
        }
        double sample = 1e-2;
        long total = 2000 * 40;
        double expectedKept = 40_000 * Word2Vec.keepProbability(40_000, total, sample)
                + 20_000 * Word2Vec.keepProbability(20_000, total, sample)
                + 20_000 * Word2Vec.keepProbability(200, total, sample);
        Word2VecResult result = Word2Vec.train(SentenceSource.of(sentences), Word2VecOptions.defaults()
                .withDimension(8).withEpochs(3).withThreads(1).withMinCount(1).withSample(sample)
                .withShowProgress(false).withStorage(org.glossa.embeddings.corpus.EncodedCorpus.Storage.MEMORY));
        for (EpochReport epoch : result.epochs()) {
            assertEquals(total, epoch.words());
            // Binomial spread of 80000 keep-or-drop draws is under 150; allow 5 sigma.
            assertEquals(expectedKept, epoch.trainedWords(), 750, epoch.toString());
        }
        assertTrue(expectedKept < 0.5 * total, "the test needs strong subsampling: " + expectedKept);
    }

    @Test
    void lossOfOneUnitIsMinusLogSigmoid() {
        for (float x = -12f; x <= 12f; x += 0.0137f) {
            double exact = Math.log1p(Math.exp(-x));
            assertEquals(exact, Word2Vec.negLogSigmoid(x), 1e-5, "x = " + x);
        }
        assertEquals(Math.log(2), Word2Vec.negLogSigmoid(0f), 1e-6);
    }
}
