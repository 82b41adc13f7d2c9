package org.glossa.embeddings.word2vec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.Vocabulary;
import org.glossa.embeddings.corpus.EncodedCorpus;
import org.glossa.embeddings.corpus.SentenceSource;
import org.glossa.embeddings.corpus.TextCorpus;
import org.glossa.embeddings.corpus.TextOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Trains on the committed small corpus (512k words of English Wikipedia, see
 * {@code src/test/resources/word2vec/README.md}) and checks what any working word2vec learns from it.
 * Thresholds were calibrated on several seeds of this trainer and on gensim 4.2's vectors for the same
 * corpus and settings (figures in the README); broken training scores near zero on all of them.
 */
@Tag("unit")
class SmallCorpusTest {
    private static final Set<String> MONTHS = Set.of("january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december");
    private static final Set<String> NUMBERS = Set.of("one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "twenty", "thirty", "several");
    private static final Set<String> KIN = Set.of("mother", "brother", "son", "daughter", "husband", "wife", "sister",
            "uncle", "grandfather", "father", "parents", "cousin", "nephew", "grandmother", "aunt");

    private static Path corpusFile;
    private static Word2VecResult cbow;

    static Path corpusFile() {
        try {
            return Path.of(SmallCorpusTest.class.getResource("/word2vec/enwiki-small.txt.gz").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void train() {
        corpusFile = corpusFile();
        // The benchmark's settings (word2vec.c's and gensim's defaults), 2 threads.
        cbow = Word2Vec.train(TextCorpus.lines(corpusFile, TextOptions.defaults()), Word2VecOptions.defaults()
                .withThreads(2).withShowProgress(false).withStorage(EncodedCorpus.Storage.MEMORY));
    }

    @Test
    void vocabularyIsGensims() throws NoSuchAlgorithmException {
        // gensim 4.2: Word2Vec(min_count=5).build_vocab(LineSentence(file)) keeps 9912 words, 464735 of the
        // 512012 corpus words; below is the SHA-256 of its "word count" lines sorted by descending count,
        // then word (code point order). Sorted, because gensim orders words of equal count by numpy's
        // unstable argsort: our order (ties by first occurrence) is checked in VocabularyTest.
        Vocabulary vocabulary = cbow.vocabulary();
        assertEquals(9912, vocabulary.size());
        assertEquals(464_735, vocabulary.totalWords());
        assertEquals(512_012, vocabulary.corpusTokens());
        assertEquals(List.of("the", "of", "in", "and", "a", "to", "was", "on", "is", "for", "s", "as"),
                vocabulary.words().subList(0, 12));
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            ids.add(i);
            if (i > 0) {
                assertTrue(vocabulary.count(i) <= vocabulary.count(i - 1), "counts not descending at " + i);
            }
        }
        ids.sort(Comparator.<Integer>comparingLong(i -> -vocabulary.count(i))
                .thenComparing(i -> vocabulary.word(i), SmallCorpusTest::compareCodePoints));
        String lines = ids.stream().map(i -> vocabulary.word(i) + " " + vocabulary.count(i)).collect(Collectors.joining("\n"));
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(lines.getBytes(StandardCharsets.UTF_8));
        assertEquals("11504edfa42b87cb40691297ad1c8650fe1729ae98aff91f66e64ab4012cbd1b", HexFormat.of().formatHex(digest));
    }

    /** Python's string order. */
    private static int compareCodePoints(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    @Test
    void lossFallsEpochAfterEpoch() {
        List<EpochReport> epochs = cbow.epochs();
        assertEquals(5, epochs.size());
        for (int e = 1; e < epochs.size(); e++) {
            assertTrue(epochs.get(e).loss() < epochs.get(e - 1).loss(), "loss did not fall: " + epochs);
        }
        // First epoch: well below the untrained 6 ln 2 = 4.16, and a real fall by the last.
        assertTrue(epochs.get(0).loss() < 3.5 && epochs.get(4).loss() < 0.85 * epochs.get(0).loss(), epochs.toString());
    }

    @Test
    void neighboursAreCalibrated() {
        KeyedVectors vectors = cbow.vectors();
        assertAllIn(MONTHS, neighbours(vectors, "january", 8), "january");
        assertAllIn(NUMBERS, neighbours(vectors, "two", 4), "two");
        assertAllIn(KIN, neighbours(vectors, "father", 4), "father");
        assertEquals("she", neighbours(vectors, "he", 1).get(0));
    }

    @Test
    void analogiesAreCalibrated() throws IOException {
        Path questions = Path.of(System.getProperty("glossa.shared"), "data/word-analogy/questions-words.txt");
        int[] family = new int[2];  // correct, asked
        int[] all = new int[2];
        KeyedVectors vectors = cbow.vectors();
        float[][] unit = unitRows(vectors);
        String section = "";
        for (String line : Files.readAllLines(questions)) {
            if (line.startsWith(":")) {
                section = line.substring(1).trim();
                continue;
            }
            String[] w = line.toLowerCase(Locale.ROOT).split(" ");
            int a = vectors.indexOf(w[0]), b = vectors.indexOf(w[1]), c = vectors.indexOf(w[2]), d = vectors.indexOf(w[3]);
            if (a < 0 || b < 0 || c < 0 || d < 0) {
                continue;
            }
            boolean right = analogy(unit, a, b, c) == d;
            all[0] += right ? 1 : 0;
            all[1]++;
            if (section.equals("family")) {
                family[0] += right ? 1 : 0;
                family[1]++;
            }
        }
        assertEquals(3714, all[1], "questions within the vocabulary");
        assertTrue(family[0] >= 20, "family analogies right: " + family[0] + " of " + family[1]);
        assertTrue(all[0] >= 55, "analogies right: " + all[0] + " of " + all[1]);
    }

    private static void assertAllIn(Set<String> expected, List<String> got, String query) {
        for (String word : got) {
            assertTrue(expected.contains(word), "neighbours of '" + query + "': " + got);
        }
    }

    /** The {@code n} words most cosine-similar to {@code word}. */
    static List<String> neighbours(KeyedVectors vectors, String word, int n) {
        float[][] unit = unitRows(vectors);
        int query = vectors.indexOf(word);
        assertTrue(query >= 0, word + " not in the vocabulary");
        List<Integer> order = new ArrayList<>();
        double[] similarity = new double[vectors.size()];
        for (int i = 0; i < vectors.size(); i++) {
            similarity[i] = dot(unit[query], unit[i]);
            if (i != query) {
                order.add(i);
            }
        }
        order.sort((x, y) -> Double.compare(similarity[y], similarity[x]));
        return order.subList(0, n).stream().map(vectors.words()::get).toList();
    }

    /** 3CosAdd: the word closest to b - a + c, the three question words excluded (as gensim and word2vec.c). */
    private static int analogy(float[][] unit, int a, int b, int c) {
        float[] target = new float[unit[0].length];
        for (int k = 0; k < target.length; k++) {
            target[k] = unit[b][k] - unit[a][k] + unit[c][k];
        }
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < unit.length; i++) {
            if (i != a && i != b && i != c) {
                double score = dot(target, unit[i]);
                if (score > bestScore) {
                    bestScore = score;
                    best = i;
                }
            }
        }
        return best;
    }

    private static float[][] unitRows(KeyedVectors vectors) {
        float[][] rows = new float[vectors.size()][];
        for (int i = 0; i < rows.length; i++) {
            float[] v = vectors.vector(i);
            double norm = Math.sqrt(dot(v, v));
            for (int k = 0; k < v.length; k++) {
                v[k] /= norm;
            }
            rows[i] = v;
        }
        return rows;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += a[k] * b[k];
        }
        return sum;
    }

    static SentenceSource corpus() {
        return TextCorpus.lines(corpusFile(), TextOptions.defaults());
    }
}
