package org.glossa.tasks.squad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.glossa.core.GlossaException;
import org.glossa.text.Encoding;
import org.glossa.text.HfTokenizer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Features as run_qa builds them, checked on real SQuAD questions with the MiniLM (BERT uncased) tokenizer. */
@Tag("unit")
class QaFeaturesTest {
    private static final HfTokenizer TOKENIZER = SquadTestData.tokenizer();

    /**
     * Every window of the 4,719 questions of the first ten SQuAD 2.0 training articles: [CLS] question [SEP]
     * context [SEP] within 384 tokens, offsets on context tokens only, and labels that are the tightest token
     * span around the answer exactly when the window holds the answer, (0, 0) otherwise.
     */
    @Test
    void labelsCoverTheAnswerOnRealQuestions() {
        List<SquadExample> examples = SquadTestData.read(SquadTestData.TRAIN_V2_FIRST10);
        List<QaFeature> features = QaFeatures.build(TOKENIZER, examples, QaFeatureOptions.defaults(), true);
        int[] labelledWindows = new int[examples.size()];
        int equalAfterNormalising = 0;
        int labelled = 0;
        int previousExample = -1;
        for (QaFeature feature : features) {
            assertTrue(feature.exampleIndex() >= previousExample, "features come in example order");
            previousExample = feature.exampleIndex();
            SquadExample example = examples.get(feature.exampleIndex());
            checkLayout(feature);
            if (example.isImpossible()) {
                assertEquals(0, feature.startPosition(), example.id());
                assertEquals(0, feature.endPosition(), example.id());
                continue;
            }
            SquadExample.Answer answer = example.answers().get(0);
            if (!windowHolds(feature, answer)) {
                assertEquals(0, feature.startPosition(), example.id());
                assertEquals(0, feature.endPosition(), example.id());
                continue;
            }
            labelled++;
            labelledWindows[feature.exampleIndex()]++;
            int start = feature.startPosition();
            int end = feature.endPosition();
            assertTrue(feature.isContext(start) && feature.isContext(end) && start <= end, example.id());
            // The span covers the answer, and no shorter span of tokens would.
            assertTrue(feature.offsetStart()[start] <= answer.start() && feature.offsetEnd()[end] >= answer.end(), example.id());
            assertTrue(!feature.isContext(start + 1) || feature.offsetStart()[start + 1] > answer.start(), example.id());
            assertTrue(!feature.isContext(end - 1) || feature.offsetEnd()[end - 1] < answer.end(), example.id());
            String span = example.context().substring(feature.offsetStart()[start], feature.offsetEnd()[end]);
            String normalisedSpan = SquadEvaluation.normalizeAnswer(span);
            String normalisedAnswer = SquadEvaluation.normalizeAnswer(answer.text());
            assertTrue(normalisedSpan.contains(normalisedAnswer), example.id() + ": " + span + " / " + answer.text());
            equalAfterNormalising += normalisedSpan.equals(normalisedAnswer) ? 1 : 0;
        }
        for (int i = 0; i < examples.size(); i++) {
            assertTrue(examples.get(i).isImpossible() || labelledWindows[i] >= 1, "no window labels " + examples.get(i).id());
        }
        // Answers that end inside a word (e.g. "1990" of "1990s") keep the rest of the word's token: rare.
        assertTrue(equalAfterNormalising >= 0.97 * labelled, equalAfterNormalising + " of " + labelled);
        assertTrue(features.size() > examples.size(), "some contexts need more than one window");
    }

    /** Small windows (48 tokens, stride 12) put many answers across window borders: those windows get (0, 0). */
    @Test
    void windowsThatCutTheAnswerAreLabelledAtCls() {
        List<SquadExample> examples = SquadTestData.read(SquadTestData.DEV).subList(0, 300).stream()
                .filter(SquadExample::hasAnswer).toList();
        QaFeatureOptions small = new QaFeatureOptions(48, 12, 16);
        List<QaFeature> features = QaFeatures.build(TOKENIZER, examples, small, true);
        int cut = 0;
        int held = 0;
        for (QaFeature feature : features) {
            checkLayout(feature);
            assertTrue(feature.length() <= 48);
            SquadExample.Answer answer = examples.get(feature.exampleIndex()).answers().get(0);
            boolean holds = windowHolds(feature, answer);
            boolean overlaps = firstContextStart(feature) < answer.end() && lastContextEnd(feature) > answer.start();
            if (holds) {
                held++;
                assertTrue(feature.startPosition() > 0);
            } else {
                cut += overlaps ? 1 : 0;
                assertEquals(0, feature.startPosition());
                assertEquals(0, feature.endPosition());
            }
        }
        assertTrue(cut >= 10 && held >= examples.size(), cut + " windows cut an answer, " + held + " hold one");
    }

    /** A context of hundreds of tokens: windows of 384 tokens whose contexts overlap by exactly the stride. */
    @Test
    void aLongContextGivesOverlappingWindows() {
        SquadExample longest = SquadTestData.read(SquadTestData.DEV).stream()
                .max(Comparator.comparingInt(e -> e.context().length())).orElseThrow();
        String question = longest.question();
        Encoding whole = TOKENIZER.encodePair(question, longest.context());
        int questionTokens = (int) Arrays.stream(whole.sequenceIds()).filter(s -> s == 0).count();
        int contextTokens = (int) Arrays.stream(whole.sequenceIds()).filter(s -> s == 1).count();
        int budget = 384 - questionTokens - 3;
        int expectedWindows = 1 + (contextTokens - budget + (budget - 128) - 1) / (budget - 128);
        assertTrue(expectedWindows >= 2, "the longest dev context has " + contextTokens + " tokens");

        List<QaFeature> features = QaFeatures.build(TOKENIZER, List.of(longest), QaFeatureOptions.defaults(), false);
        assertEquals(expectedWindows, features.size());
        int[] allStarts = contextColumn(whole.charStart(), whole.sequenceIds());
        int covered = 0;
        for (int w = 0; w < features.size(); w++) {
            QaFeature feature = features.get(w);
            checkLayout(feature);
            assertEquals(-1, feature.startPosition());
            assertEquals(w < features.size() - 1 ? 384 : feature.length(), feature.length());
            int[] starts = contextStarts(feature);
            int from = w * (budget - 128);
            assertArrayEquals(Arrays.copyOfRange(allStarts, from, from + starts.length), starts, "window " + w);
            if (w > 0) {
                int[] previous = contextStarts(features.get(w - 1));
                assertArrayEquals(Arrays.copyOfRange(previous, previous.length - 128, previous.length),
                        Arrays.copyOfRange(starts, 0, 128), "overlap of windows " + (w - 1) + " and " + w);
            }
            covered = from + starts.length;
        }
        assertEquals(contextTokens, covered, "the last window ends with the context");
    }

    @Test
    void longQuestionsAreCutAndLeadingWhitespaceIsStripped() {
        String context = "The quick brown fox jumps over the lazy dog near the river bank.";
        String longQuestion = "why " + "does the quick brown fox keep jumping over dogs ".repeat(10) + "?";
        SquadExample example = new SquadExample("long", "", context, longQuestion,
                List.of(new SquadExample.Answer("lazy dog", 35)), false);
        QaFeature feature = QaFeatures.build(TOKENIZER, List.of(example), QaFeatureOptions.defaults(), true).get(0);
        long[] questionIds = TOKENIZER.encode(longQuestion, false).ids();
        assertTrue(questionIds.length > 64);
        // [CLS], the first 64 question tokens, [SEP], then the context.
        assertEquals(TOKENIZER.clsId(), feature.inputIds()[0]);
        assertArrayEquals(Arrays.copyOf(questionIds, 64), Arrays.copyOfRange(feature.inputIds(), 1, 65));
        assertEquals(TOKENIZER.sepId(), feature.inputIds()[65]);
        assertEquals(0, feature.tokenTypeIds()[65]);
        assertEquals(1, feature.tokenTypeIds()[66]);
        assertEquals("lazy dog", context.substring(feature.offsetStart()[feature.startPosition()],
                feature.offsetEnd()[feature.endPosition()]));

        // run_qa strips the question's leading whitespace (Python's str.lstrip: no-break spaces too).
        SquadExample padded = new SquadExample("padded", "", context, " \u00a0\tWhat jumps?", example.answers(), false);
        SquadExample plain = new SquadExample("plain", "", context, "What jumps?", example.answers(), false);
        List<QaFeature> both = QaFeatures.build(TOKENIZER, List.of(padded, plain), QaFeatureOptions.defaults(), true);
        assertArrayEquals(both.get(1).inputIds(), both.get(0).inputIds());
        assertEquals(0, both.get(0).exampleIndex());
        assertEquals(1, both.get(1).exampleIndex());
    }

    @Test
    void impossibleQuestionsAreLabelledAtClsAndUnlabelledAnswerableOnesAreRefused() {
        String context = "Paris is the capital of France.";
        SquadExample impossible = new SquadExample("x", "", context, "What is the capital of Spain?", List.of(), true);
        QaFeature feature = QaFeatures.build(TOKENIZER, List.of(impossible), QaFeatureOptions.defaults(), true).get(0);
        assertEquals(0, feature.startPosition());
        assertEquals(0, feature.endPosition());
        assertTrue(feature.hasLabels());

        SquadExample unlabelled = new SquadExample("y", "", context, "What is the capital?", List.of(), false);
        assertEquals(-1, QaFeatures.build(TOKENIZER, List.of(unlabelled), QaFeatureOptions.defaults(), false).get(0)
                .startPosition());
        GlossaException error = assertThrows(GlossaException.class,
                () -> QaFeatures.build(TOKENIZER, List.of(unlabelled), QaFeatureOptions.defaults(), true));
        assertEquals("question y is answerable but has no answer to learn from", error.getMessage());
    }

    /** [CLS] question [SEP] context [SEP] with type ids 0…0 1…1 and offsets exactly on the context tokens. */
    private static void checkLayout(QaFeature feature) {
        int n = feature.length();
        assertEquals(TOKENIZER.clsId(), feature.inputIds()[0]);
        assertEquals(TOKENIZER.sepId(), feature.inputIds()[n - 1]);
        int firstContext = -1;
        for (int i = 0; i < n; i++) {
            if (feature.isContext(i)) {
                firstContext = firstContext < 0 ? i : firstContext;
                assertEquals(1, feature.tokenTypeIds()[i]);
                assertTrue(feature.offsetEnd()[i] > feature.offsetStart()[i]);
                assertTrue(i == firstContext || feature.offsetStart()[i] >= feature.offsetStart()[i - 1], "offsets ascend");
            } else {
                assertEquals(-1, feature.offsetEnd()[i]);
                assertTrue(i == 0 || i == n - 1 || i == firstContext - 1 || firstContext < 0,
                        "only [CLS], the question and the two [SEP] are not context");
            }
        }
        assertEquals(TOKENIZER.sepId(), feature.inputIds()[firstContext - 1]);
        assertEquals(0, feature.tokenTypeIds()[firstContext - 1]);
        assertTrue(feature.isContext(n - 2));
    }

    private static boolean windowHolds(QaFeature feature, SquadExample.Answer answer) {
        return firstContextStart(feature) <= answer.start() && lastContextEnd(feature) >= answer.end();
    }

    private static int firstContextStart(QaFeature feature) {
        return contextStarts(feature)[0];
    }

    private static int lastContextEnd(QaFeature feature) {
        return feature.offsetEnd()[feature.length() - 2];
    }

    private static int[] contextStarts(QaFeature feature) {
        return Arrays.stream(feature.offsetStart()).filter(s -> s >= 0).toArray();
    }

    private static int[] contextColumn(int[] values, int[] sequenceIds) {
        int[] column = new int[(int) Arrays.stream(sequenceIds).filter(s -> s == 1).count()];
        int k = 0;
        for (int i = 0; i < values.length; i++) {
            if (sequenceIds[i] == 1) {
                column[k++] = values[i];
            }
        }
        return column;
    }
}
