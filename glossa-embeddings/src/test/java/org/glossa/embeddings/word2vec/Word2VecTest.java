package org.glossa.embeddings.word2vec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.glossa.core.GlossaException;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.corpus.EncodedCorpus;
import org.glossa.embeddings.corpus.SentenceSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class Word2VecTest {
    private static final double LN2 = Math.log(2);

    /**
     * Planted structure: {@code groups} groups of {@code size} words; each sentence uses the words of one
     * group only, so a word's contexts are its own group.
     */
    static List<List<String>> groupedCorpus(int groups, int size, int sentences, long seed) {
        Random random = new Random(seed);
        List<List<String>> corpus = new ArrayList<>();
        for (int s = 0; s < sentences; s++) {
            int group = random.nextInt(groups);
            int length = 8 + random.nextInt(12);
            List<String> sentence = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                sentence.add("g" + group + "w" + random.nextInt(size));
            }
            corpus.add(sentence);
        }
        return corpus;
    }

    private static Word2VecOptions small() {
        return Word2VecOptions.defaults().withDimension(24).withWindow(3).withMinCount(1).withSample(0)
                .withThreads(1).withShowProgress(false).withStorage(EncodedCorpus.Storage.MEMORY);
    }

    /** The row most cosine-similar to row {@code i}, itself excluded. */
    static int nearest(KeyedVectors vectors, int i) {
        float[] query = vectors.vector(i);
        int best = -1;
        double bestCosine = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vectors.size(); j++) {
            if (j == i) {
                continue;
            }
            double cosine = cosine(query, vectors.vector(j));
            if (cosine > bestCosine) {
                bestCosine = cosine;
                best = j;
            }
        }
        return best;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int k = 0; k < a.length; k++) {
            dot += a[k] * b[k];
            na += a[k] * a[k];
            nb += b[k] * b[k];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static String group(String word) {
        return word.substring(0, word.indexOf('w'));
    }

    @ParameterizedTest(name = "{0} negative={1} hs={2} threads={3}")
    @CsvSource({
        "SKIP_GRAM, 5, false, 1",
        "SKIP_GRAM, 0, true, 1",
        "CBOW, 5, false, 1",
        "CBOW, 0, true, 1",
        "CBOW, 3, true, 2",
        "SKIP_GRAM, 5, false, 2",
    })
    void plantedGroupsBecomeNeighbours(Architecture architecture, int negative, boolean hs, int threads) {
        List<List<String>> corpus = groupedCorpus(8, 12, 3000, 42);
        Word2VecResult result = Word2Vec.train(SentenceSource.of(corpus), small().withArchitecture(architecture)
                .withNegative(negative).withHierarchicalSoftmax(hs).withThreads(threads).withEpochs(5));
        KeyedVectors vectors = result.vectors();
        assertEquals(96, vectors.size());
        int right = 0;
        for (int i = 0; i < vectors.size(); i++) {
            if (group(vectors.words().get(i)).equals(group(vectors.words().get(nearest(vectors, i))))) {
                right++;
            }
        }
        assertEquals(96, right, "words whose nearest neighbour is in their group");
        // Each epoch's loss is its own mean, not a running sum: it falls from the first epoch to the last
        // (on this easy corpus it levels off after two epochs, so a strict fall each epoch is tested on
        // real text, in SmallCorpusTest).
        List<EpochReport> epochs = result.epochs();
        assertTrue(epochs.get(4).loss() < epochs.get(0).loss(), epochs.toString());
    }

    @Test
    void untrainedLossIsLn2PerLogisticUnit() {
        // With a negligible learning rate the output vectors stay at zero: every logistic unit sees
        // u·v = 0 and costs -log σ(0) = ln 2.
        // Hierarchical softmax over 64 equally frequent words: a complete tree, 6 units per prediction.
        List<List<String>> corpus = new ArrayList<>();
        for (int s = 0; s < 200; s++) {
            List<String> sentence = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                sentence.add("w" + ((i * 7 + s) % 64));
            }
            corpus.add(sentence);
        }
        Word2VecOptions frozen = small().withAlpha(1e-12).withEpochs(2);
        for (Architecture architecture : Architecture.values()) {
            Word2VecResult hs = Word2Vec.train(SentenceSource.of(corpus),
                    frozen.withArchitecture(architecture).withNegative(0).withHierarchicalSoftmax(true));
            for (EpochReport epoch : hs.epochs()) {
                assertEquals(6 * LN2, epoch.loss(), 1e-4, epoch.toString());
            }
            // Negative sampling: 1 positive unit plus 5 negatives, less the negatives that hit the target
            // word itself and are skipped (probability 1/64 each, all words being equally frequent).
            Word2VecResult ns = Word2Vec.train(SentenceSource.of(corpus), frozen.withArchitecture(architecture));
            for (EpochReport epoch : ns.epochs()) {
                assertEquals((1 + 5 * (63.0 / 64)) * LN2, epoch.loss(), 0.005, epoch.toString());
            }
        }
    }

    @Test
    void oneThreadIsBitForBitReproducible() {
        List<List<String>> corpus = groupedCorpus(5, 10, 800, 3);
        Word2VecOptions options = small().withArchitecture(Architecture.SKIP_GRAM).withHierarchicalSoftmax(true)
                .withSample(1e-2).withEpochs(3).withSeed(99);
        float[] first = flat(Word2Vec.train(SentenceSource.of(corpus), options).vectors());
        float[] again = flat(Word2Vec.train(SentenceSource.of(corpus), options).vectors());
        float[] fromFile = flat(Word2Vec.train(SentenceSource.of(corpus),
                options.withStorage(EncodedCorpus.Storage.TEMP_FILE)).vectors());
        float[] otherSeed = flat(Word2Vec.train(SentenceSource.of(corpus), options.withSeed(100)).vectors());
        assertArrayEquals(first, again);
        assertArrayEquals(first, fromFile);
        assertFalse(Arrays.equals(first, otherSeed));
        // CBOW too.
        Word2VecOptions cbow = options.withArchitecture(Architecture.CBOW);
        assertArrayEquals(flat(Word2Vec.train(SentenceSource.of(corpus), cbow).vectors()),
                flat(Word2Vec.train(SentenceSource.of(corpus), cbow).vectors()));
    }

    private static float[] flat(KeyedVectors vectors) {
        float[] all = new float[vectors.size() * vectors.dimension()];
        for (int i = 0; i < vectors.size(); i++) {
            System.arraycopy(vectors.vector(i), 0, all, i * vectors.dimension(), vectors.dimension());
        }
        return all;
    }

    @Test
    void listenerSeesEveryEpochAndTheLearningRateSchedule() {
        List<List<String>> corpus = groupedCorpus(4, 10, 2000, 8);
        List<EpochReport> seen = new ArrayList<>();
        AtomicLong lastDone = new AtomicLong();
        Word2VecOptions options = small().withEpochs(3).withAlpha(0.04).withMinAlpha(0.001).withThreads(2);
        Word2VecResult result = Word2Vec.train(SentenceSource.of(corpus), options, new Word2VecListener() {
            @Override
            public void epochFinished(EpochReport report) {
                seen.add(report);
            }

            @Override
            public void progress(long wordsDone, long totalWords, double alpha) {
                lastDone.accumulateAndGet(wordsDone, Math::max);
                double expected = 0.04 - (0.04 - 0.001) * wordsDone / totalWords;
                assertEquals(expected, alpha, 1e-6);
            }
        });
        assertEquals(result.epochs(), seen);
        long words = corpus.stream().mapToLong(List::size).sum();
        for (int e = 0; e < 3; e++) {
            assertEquals(e + 1, seen.get(e).epoch());
            assertEquals(3, seen.get(e).epochs());
            assertEquals(words, seen.get(e).words());
        }
        assertEquals(3 * words, lastDone.get());
        assertEquals(0.001, seen.get(2).alpha(), 1e-6);
        assertEquals(0.04 - 0.039 / 3, seen.get(0).alpha(), 1e-6);
    }

    @Test
    void optionsAreValidatedByName() {
        Word2VecOptions d = Word2VecOptions.defaults();
        assertEquals("dimension must be at least 1, got 0", message(() -> d.withDimension(0)));
        assertEquals("window must be at least 1, got 0", message(() -> d.withWindow(0)));
        assertEquals("epochs must be at least 1, got 0", message(() -> d.withEpochs(0)));
        assertEquals("threads must be at least 1, got 0", message(() -> d.withThreads(0)));
        assertEquals("negative must be 0 or more, got -1", message(() -> d.withNegative(-1)));
        assertEquals("negative is 0 and hierarchical softmax is off: nothing to train",
                message(() -> d.withNegative(0).validate()));
        d.withNegative(0).withHierarchicalSoftmax(true).validate(); // the order of the withers does not matter
        assertEquals("sample must be 0 (off) or a positive threshold, got -0.1", message(() -> d.withSample(-0.1)));
        assertEquals("alpha must be positive, got 0.0", message(() -> d.withAlpha(0.0)));
        assertEquals("min-alpha must be 0 or positive, got -1.0", message(() -> d.withMinAlpha(-1.0)));
        assertEquals("min-alpha (0.1) must not exceed alpha (0.05)", message(() -> d.withMinAlpha(0.1).validate()));
        assertEquals("negative is 0 and hierarchical softmax is off: nothing to train", message(() ->
                Word2Vec.train(SentenceSource.of(List.of(List.of("a", "b"))), small().withNegative(0))));
        assertEquals("min-count must be at least 1, got 0", message(() -> d.withMinCount(0)));
        assertEquals("max-vocab must be 0 (no limit) or positive, got -5", message(() -> d.withMaxVocab(-5)));
        // Architecture defaults as word2vec.c: 0.05 for CBOW, 0.025 for skip-gram; min-alpha 1e-4 of it.
        assertEquals(0.05, d.effectiveAlpha());
        assertEquals(0.025, d.withArchitecture(Architecture.SKIP_GRAM).effectiveAlpha());
        assertEquals(0.025 * 1e-4, d.withArchitecture(Architecture.SKIP_GRAM).effectiveMinAlpha(), 1e-15);
    }

    @Test
    void corpusProblemsAreErrors() {
        Word2VecOptions options = small();
        assertEquals("corpus in-memory corpus of 0 sentences has no words",
                message(() -> Word2Vec.train(SentenceSource.of(List.of()), options)));
        assertEquals("min-count 3 leaves no word of corpus in-memory corpus of 1 sentences"
                        + " (its most frequent word occurs 2 times)",
                message(() -> Word2Vec.train(SentenceSource.of(List.of(List.of("a", "b", "a"))), options.withMinCount(3))));
        assertEquals("the vocabulary of corpus in-memory corpus of 1 sentences has 1 word: word2vec needs at least 2"
                        + " (lower min-count?)",
                message(() -> Word2Vec.train(SentenceSource.of(List.of(List.of("a", "b", "a"))), options.withMinCount(2))));
    }

    private static String message(Runnable action) {
        return assertThrows(GlossaException.class, action::run).getMessage();
    }
}
