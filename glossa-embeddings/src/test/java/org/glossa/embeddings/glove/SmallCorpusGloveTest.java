package org.glossa.embeddings.glove;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.corpus.TextCorpus;
import org.glossa.embeddings.corpus.TextOptions;
import org.glossa.embeddings.eval.Analogies;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole GloVe pipeline on the committed small corpus (512k words of English Wikipedia, see
 * {@code src/test/resources/word2vec/README.md}) with the settings of Stanford GloVe's demo and 2 threads.
 * Thresholds were calibrated on Stanford GloVe's own vectors for this corpus and settings (glove.c seeds
 * 1–3) and on ours (seeds 1–6); figures in {@code src/test/resources/org/glossa/embeddings/glove/README.md}.
 * Untrained or broken vectors fail every check.
 */
@Tag("unit")
class SmallCorpusGloveTest {
    private static final Set<String> MONTHS = Set.of("january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december");
    private static final Set<String> NUMBERS = Set.of("one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten");

    private static GloveResult result;

    @BeforeAll
    static void train() throws URISyntaxException {
        Path corpus = Path.of(SmallCorpusGloveTest.class.getResource("/word2vec/enwiki-small.txt.gz").toURI());
        result = Glove.train(TextCorpus.lines(corpus, TextOptions.defaults()),
                GloveOptions.demo().withThreads(2).withMemoryGb(0.25).withShowProgress(false), GloveListener.NONE);
    }

    @Test
    void vocabularyAndRecordsAreStanfordGlovesCounts() {
        // vocab_count -min-count 5 keeps 9912 words; cooccur -window-size 15 writes 2884587 records.
        assertEquals(9912, result.vocabulary().size());
        assertEquals(2_884_587, result.records());
    }

    @Test
    void costFollowsStanfordGlove() {
        List<IterationReport> iterations = result.iterations();
        assertEquals(15, iterations.size());
        for (int i = 1; i < iterations.size(); i++) {
            assertTrue(iterations.get(i).cost() < iterations.get(i - 1).cost(), iterations.toString());
        }
        // glove.c: 0.07233–0.07269 after one iteration, 0.02686–0.02694 after fifteen.
        assertEquals(0.0725, iterations.get(0).cost(), 0.0015, "first iteration");
        assertEquals(0.0269, iterations.get(14).cost(), 0.0007, "last iteration");
    }

    @Test
    void neighboursAreCalibrated() {
        KeyedVectors vectors = result.vectors();
        assertAllIn(MONTHS, neighbours(vectors, "january", 8), "january");
        assertAllIn(NUMBERS, neighbours(vectors, "two", 3), "two");
        assertEquals(List.of("mother"), neighbours(vectors, "father", 1));
    }

    @Test
    void analogiesAreCalibrated() {
        Path questions = Path.of(System.getProperty("glossa.shared"), "data/word-analogy/questions-words.txt");
        Analogies.Result analogies = Analogies.evaluate(result.vectors(), questions);
        assertEquals(3714, analogies.total().evaluated(), "questions within the vocabulary");
        Analogies.Score family = analogies.sections().stream().filter(s -> s.name().equals("family")).findFirst()
                .orElseThrow();
        // glove.c: 102–103 right, family 18–22; ours: 97–115, family 20–24
        assertTrue(analogies.total().correct() >= 75, "analogies right: " + analogies.total().correct());
        assertTrue(family.correct() >= 14, "family analogies right: " + family.correct());
    }

    private static List<String> neighbours(KeyedVectors vectors, String word, int n) {
        return vectors.mostSimilar(word, n).stream().map(KeyedVectors.Neighbor::word).toList();
    }

    private static void assertAllIn(Set<String> expected, List<String> got, String query) {
        for (String word : got) {
            assertTrue(expected.contains(word), "neighbours of '" + query + "': " + got);
        }
    }
}
