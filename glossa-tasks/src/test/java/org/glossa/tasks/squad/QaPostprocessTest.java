package org.glossa.tasks.squad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** utils_qa-style post-processing on hand-made logits, then on oracle logits through real features. */
@Tag("unit")
class QaPostprocessTest {
    /** "Paris is the capital of France." as 8 context tokens after [CLS] q q [SEP]; index 11 is the last [SEP]. */
    static final String CONTEXT = "Paris is the capital of France.";
    static final int[] STARTS = {-1, -1, -1, -1, 0, 6, 9, 13, 21, 24, 30, -1};
    static final int[] ENDS = {-1, -1, -1, -1, 5, 8, 12, 20, 23, 30, 31, -1};
    static final SquadExample EXAMPLE = new SquadExample("q", "", CONTEXT, "Where is Paris?", List.of(), false);

    @TempDir Path temp;

    @Test
    void picksTheBestSpanAndScoresTheNBest() {
        float[] start = logits(12, 0, 1f, 9, 3f, 4, 2f);   // best start: France (9), then Paris (4), the (6)
        float[] end = logits(12, 0, 1f, 9, 3f, 10, 2.5f);  // best end: France (9), then "." (10)
        QaPostprocess.Result result = run(new float[][] {start}, new float[][] {end}, QaPostprocess.Options.defaults());
        assertEquals("France", result.predictions().get("q"));
        List<QaPostprocess.Candidate> nbest = result.nbest().get("q");
        assertEquals("France", nbest.get(0).text());
        assertEquals(6.0, nbest.get(0).score());
        assertEquals(24, nbest.get(0).charStart());
        assertEquals(30, nbest.get(0).charEnd());
        assertEquals("France.", nbest.get(1).text());
        assertEquals(5.5, nbest.get(1).score());
        // Every pair of the top-20 starts and ends that is a valid span, plus the null answer (score 2), best first.
        for (int i = 1; i < nbest.size(); i++) {
            assertTrue(nbest.get(i - 1).score() >= nbest.get(i).score());
        }
        assertEquals(20, nbest.size());
        assertTrue(nbest.stream().anyMatch(c -> c.isNull() && c.text().isEmpty() && c.score() == 2.0));
        // Softmax over the n-best list.
        double sum = nbest.stream().mapToDouble(QaPostprocess.Candidate::probability).sum();
        assertEquals(1.0, sum, 1e-12);
        assertEquals(Math.exp(0) / nbest.stream().mapToDouble(c -> Math.exp(c.score() - 6.0)).sum(),
                nbest.get(0).probability(), 1e-12);
        // null odds: null score (1 + 1) minus the best answer's (3 + 3).
        assertEquals(-4.0, result.nullOdds().get("q"));
    }

    @Test
    void spansMustLieInTheContextInOrderAndWithinTheMaximumLength() {
        // The highest logits are on question tokens (1, 2), then an end before its start, then a long span.
        float[] start = logits(12, 1, 9f, 2, 9f, 8, 7f, 4, 1f);
        float[] end = logits(12, 1, 9f, 2, 9f, 5, 7f, 9, 5f);
        QaPostprocess.Options options = new QaPostprocess.Options(20, 30, false, 0);
        QaPostprocess.Result result = run(new float[][] {start}, new float[][] {end}, options);
        // (8, 5) is backwards; the best valid pair is (8, 9) "of France" (12), then (4, 5) "Paris is" (8).
        assertEquals("of France", result.predictions().get("q"));
        assertEquals(12.0, result.nbest().get("q").get(0).score());
        assertTrue(result.nbest().get("q").stream().noneMatch(c -> c.charStart() < 0 || c.charEnd() < c.charStart()));

        // At most 2 tokens: "of France" still fits, "Paris is ... France" (6 tokens) does not, "Paris is" (4, 5) does.
        QaPostprocess.Result short2 = run(new float[][] {start}, new float[][] {end}, new QaPostprocess.Options(20, 2, false, 0));
        List<String> texts = short2.nbest().get("q").stream().map(QaPostprocess.Candidate::text).toList();
        assertTrue(texts.contains("of France") && texts.contains("Paris is"), texts.toString());
        assertTrue(short2.nbest().get("q").stream().allMatch(c -> c.text().split(" ").length <= 2), texts.toString());

        // Only one start and one end considered (n-best 1): question tokens only, so the "empty" placeholder answers.
        QaPostprocess.Result none = run(new float[][] {start}, new float[][] {end}, new QaPostprocess.Options(1, 30, false, 0));
        assertEquals("empty", none.predictions().get("q"));
        assertEquals(1.0, none.nbest().get("q").get(0).probability());
    }

    @Test
    void saysNoAnswerOnlyWhenTheNullScoreWinsByMoreThanTheThreshold() {
        float[] start = logits(12, 0, 3f, 9, 2f);
        float[] end = logits(12, 0, 2f, 9, 2f);
        // null 5, best span "France" 4: null odds 1.
        QaPostprocess.Options options = QaPostprocess.Options.defaults();
        assertEquals("", run(new float[][] {start}, new float[][] {end}, options).predictions().get("q"));
        assertEquals(1.0, run(new float[][] {start}, new float[][] {end}, options).nullOdds().get("q"));
        assertEquals("", run(new float[][] {start}, new float[][] {end}, options.withNullThreshold(0.99)).predictions().get("q"));
        assertEquals("France", run(new float[][] {start}, new float[][] {end}, options.withNullThreshold(1.0)).predictions().get("q"));
        assertEquals("France", run(new float[][] {start}, new float[][] {end}, options.withNullThreshold(1.5)).predictions().get("q"));
        // SQuAD 1.1 never says no answer, however high the null score.
        assertEquals("France", run(new float[][] {start}, new float[][] {end},
                new QaPostprocess.Options(20, 30, false, 0)).predictions().get("q"));
        // Null odds below a negative threshold: answered only when the span beats the null by more.
        float[] weakNull = logits(12, 0, -1f, 9, 2f);
        assertEquals("France", run(new float[][] {weakNull}, new float[][] {end}, options).predictions().get("q"));
        assertEquals("", run(new float[][] {weakNull}, new float[][] {end}, options.withNullThreshold(-4)).predictions().get("q"));
    }

    /** Two windows of one example: the best span may be in either, the null score is the smaller [CLS] score. */
    @Test
    void combinesTheWindowsOfAnExample() {
        // Window 0 holds "Paris is the capital" (tokens 4-7), window 1 "capital of France." at positions 4-7.
        QaFeature first = feature(0, new int[] {-1, -1, -1, -1, 0, 6, 9, 13, -1}, new int[] {-1, -1, -1, -1, 5, 8, 12, 20, -1});
        QaFeature second = feature(0, new int[] {-1, -1, -1, -1, 13, 21, 24, 30, -1}, new int[] {-1, -1, -1, -1, 20, 23, 30, 31, -1});
        float[][] start = {logits(9, 0, 4f, 4, 3f), logits(9, 0, 1f, 6, 5f)};
        float[][] end = {logits(9, 0, 4f, 4, 3f), logits(9, 0, 2f, 6, 5f)};
        QaPostprocess.Result result = QaPostprocess.run(List.of(EXAMPLE), List.of(first, second), start, end,
                QaPostprocess.Options.defaults());
        // Best span "France" (10) from window 1; null = min(8, 3) = 3 from window 1 as well.
        assertEquals("France", result.predictions().get("q"));
        assertEquals(3.0 - 10.0, result.nullOdds().get("q"));
        assertTrue(result.nbest().get("q").stream().anyMatch(c -> c.text().equals("Paris")), "window 0's span is a candidate");
        assertEquals(1, result.nbest().get("q").stream().filter(QaPostprocess.Candidate::isNull).count());
        QaPostprocess.Candidate nullAnswer = result.nbest().get("q").stream().filter(QaPostprocess.Candidate::isNull).findFirst()
                .orElseThrow();
        assertEquals(3.0, nullAnswer.score());
        assertEquals(1.0, nullAnswer.startLogit());

        // Logit rows longer than the feature (batch padding) are read only up to its length.
        float[][] padded = {Arrays.copyOf(start[0], 20), Arrays.copyOf(start[1], 20)};
        float[][] paddedEnd = {Arrays.copyOf(end[0], 20), Arrays.copyOf(end[1], 20)};
        padded[1][15] = 100;
        paddedEnd[1][15] = 100;
        assertEquals(result.predictions(), QaPostprocess.run(List.of(EXAMPLE), List.of(first, second), padded, paddedEnd,
                QaPostprocess.Options.defaults()).predictions());
    }

    /**
     * Oracle logits on real features of 400 dev questions (high at the labelled tokens, or at [CLS] for the
     * unanswerable) must give back the gold answers: the features' offsets, the post-processing and the metric agree.
     */
    @Test
    void oracleLogitsThroughRealFeaturesScoreNearlyPerfectly() {
        List<SquadExample> examples = SquadTestData.read(SquadTestData.DEV).subList(0, 400);
        List<QaFeature> features = QaFeatures.build(SquadTestData.tokenizer(), examples, QaFeatureOptions.defaults(), true);
        float[][] start = new float[features.size()][];
        float[][] end = new float[features.size()][];
        for (int f = 0; f < features.size(); f++) {
            QaFeature feature = features.get(f);
            start[f] = new float[feature.length()];
            end[f] = new float[feature.length()];
            if (examples.get(feature.exampleIndex()).isImpossible()) {
                start[f][0] = 10;
                end[f][0] = 10;
            } else if (feature.startPosition() > 0) {
                start[f][feature.startPosition()] = 10;
                end[f][feature.endPosition()] = 10;
            }
        }
        QaPostprocess.Result result = QaPostprocess.run(examples, features, start, end, QaPostprocess.Options.defaults());
        assertEquals(examples.stream().map(SquadExample::id).toList(), List.copyOf(result.predictions().keySet()));
        SquadEvaluation.Scores scores = SquadEvaluation.evaluate(examples, result.predictions(), result.nullOdds(), 0.0);
        assertEquals(100.0, scores.noAns().exact());
        assertTrue(scores.hasAns().exact() >= 97.0, scores.toJson());
        assertTrue(scores.hasAns().f1() >= 99.0, scores.toJson());
    }

    @Test
    void writesTheThreeFilesThatTheEvaluationReads() throws Exception {
        float[] start = logits(12, 0, 1f, 9, 3f);
        float[] end = logits(12, 0, 1f, 9, 3f);
        QaPostprocess.Result result = run(new float[][] {start}, new float[][] {end}, QaPostprocess.Options.defaults());
        Path dir = temp.resolve("out");
        result.write(dir);
        assertEquals(Map.of("q", "France"), SquadEvaluation.readPredictions(dir.resolve("predictions.json")));
        assertEquals(Map.of("q", -4.0), SquadEvaluation.readNaProbs(dir.resolve("null_odds.json")));
        String nbest = Files.readString(dir.resolve("nbest_predictions.json"));
        assertTrue(nbest.contains("\"text\" : \"France\"") && nbest.contains("\"probability\"")
                && nbest.contains("\"start_logit\" : 3.0"), nbest);
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary files left");
        }
    }

    @Test
    void refusesLogitsThatDoNotFitTheFeatures() {
        float[] row = new float[12];
        assertEquals("got logits for 2 (start) and 1 (end) features, but there are 1 features",
                assertThrows(GlossaException.class, () -> run(new float[][] {row, row}, new float[][] {row},
                        QaPostprocess.Options.defaults())).getMessage());
        assertEquals("feature 0 has 12 tokens but 5 start and 12 end logits",
                assertThrows(GlossaException.class, () -> run(new float[][] {new float[5]}, new float[][] {row},
                        QaPostprocess.Options.defaults())).getMessage());
        SquadExample other = new SquadExample("other", "", CONTEXT, "?", List.of(), false);
        assertEquals("question other has no features to answer from",
                assertThrows(GlossaException.class, () -> QaPostprocess.run(List.of(EXAMPLE, other),
                        List.of(feature(0, STARTS, ENDS)), new float[][] {row}, new float[][] {row},
                        QaPostprocess.Options.defaults())).getMessage());
    }

    @Test
    void topIndexesAreTheLargestFirstWithTiesByPosition() {
        assertArrayEquals(new int[] {2, 0, 3}, QaPostprocess.topIndexes(new float[] {5, 1, 7, 5, 9}, 4, 3));
        assertArrayEquals(new int[] {1, 0}, QaPostprocess.topIndexes(new float[] {1, 2}, 2, 20));
    }

    private static QaPostprocess.Result run(float[][] start, float[][] end, QaPostprocess.Options options) {
        return QaPostprocess.run(List.of(EXAMPLE), List.of(feature(0, STARTS, ENDS)), start, end, options);
    }

    private static QaFeature feature(int example, int[] starts, int[] ends) {
        return new QaFeature(example, new long[starts.length], new long[starts.length], starts, ends, -1, -1);
    }

    /** A row of n zeros with the given (index, value) pairs set. */
    private static float[] logits(int n, Object... indexValue) {
        float[] row = new float[n];
        for (int i = 0; i < indexValue.length; i += 2) {
            row[(Integer) indexValue[i]] = (Float) indexValue[i + 1];
        }
        return row;
    }
}
