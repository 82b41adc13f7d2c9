package org.glossa.tasks.squad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.BreakIterator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link SquadTrainingData} on the real files. Reference counts come from python3's json module reading the
 * same files: 87,599 questions in SQuAD 1.1 train, 4,377 of them in the 10 articles of the SQuAD 2.0 excerpt,
 * which has 4,719 questions (348 unanswerable, 4,371 answerable; Beyoncé 753 vs 758 in 1.1); the first 1.1
 * article (University_of_Notre_Dame) has 269 questions; 9 answerable questions of the excerpt have no other
 * paragraph in their article without their answer (lower-cased {@code in}), and none has 1 or 2 such paragraphs.
 */
@Tag("unit")
class SquadTrainingDataTest {

    @Test
    void theSquad2ArticlesReplaceTheirSquad11VersionsInPlaceWithoutDoubling() {
        List<SquadExample> v11 = SquadTestData.read(SquadTestData.TRAIN_V11);
        List<SquadExample> v20 = SquadTestData.read(SquadTestData.TRAIN_V2_FIRST10);
        SquadTrainingData.Merged merged = SquadTrainingData.merge(v11, v20);
        assertEquals(87_599 - 4_377 + 4_719, merged.examples().size());
        assertEquals(10, merged.replacedArticles());
        assertEquals(0, merged.addedArticles());
        assertEquals(4_377, merged.removedQuestions());
        assertEquals(4_719, merged.insertedQuestions());
        assertEquals(348, merged.examples().stream().filter(SquadExample::isImpossible).count());
        assertEquals(merged.examples().size(), merged.examples().stream().map(SquadExample::id).distinct().count());
        // Beyoncé, the second article of 1.1 and the first of the excerpt, now comes as SQuAD 2.0 has it, where it was.
        assertSame(v20.get(0), merged.examples().get(269));
        assertEquals("56be85543aeaaa14008c9063", merged.examples().get(269).id());
        assertEquals(753, merged.examples().stream().filter(e -> e.title().equals("Beyoncé")).count());
        assertSame(v11.get(268), merged.examples().get(268));
    }

    @Test
    void titlesMatchWhateverTheirPercentEncoding() {
        assertEquals("Brasília", SquadTrainingData.titleKey("Bras%C3%ADlia"));
        assertEquals("100%_Pure", SquadTrainingData.titleKey("100%_Pure"));
        SquadExample old = new SquadExample("a", "Bras%C3%ADlia", "Brasília is a city.", "What is Brasília?",
                List.of(new SquadExample.Answer("a city", 11)), false);
        SquadExample replacement = new SquadExample("b", "Brasília", "Brasília is a city.", "What is Brasília?",
                List.of(new SquadExample.Answer("a city", 11)), false);
        assertEquals(List.of(replacement), SquadTrainingData.merge(List.of(old), List.of(replacement)).examples());
        GlossaException twice = assertThrows(GlossaException.class,
                () -> SquadTrainingData.merge(List.of(old), List.of(withId(replacement, "a", "Elsewhere"))));
        assertTrue(twice.getMessage().startsWith("question id a is in both training files"), twice.getMessage());
    }

    private static SquadExample withId(SquadExample example, String id, String title) {
        return new SquadExample(id, title, example.context(), example.question(), example.answers(), example.isImpossible());
    }

    /** Each synthetic question: same article, another paragraph, none of its answers in it (case aside), flagged. */
    private static void checkNegatives(List<SquadExample> examples, List<SquadExample> negatives) {
        Map<String, Set<String>> paragraphsOf = new HashMap<>();
        Map<String, SquadExample> byId = new HashMap<>();
        for (SquadExample example : examples) {
            paragraphsOf.computeIfAbsent(example.title(), k -> new HashSet<>()).add(example.context());
            byId.put(example.id(), example);
        }
        Set<String> ids = new HashSet<>();
        for (SquadExample negative : negatives) {
            assertTrue(ids.add(negative.id()), "id twice: " + negative.id());
            assertTrue(SquadTrainingData.isSynthetic(negative));
            SquadExample source = byId.get(negative.id().substring(0, negative.id().indexOf(SquadTrainingData.SYNTHETIC_SUFFIX)));
            assertEquals(source.question(), negative.question());
            assertEquals(source.title(), negative.title());
            assertTrue(paragraphsOf.get(source.title()).contains(negative.context()), "paragraph from another article: " + negative.id());
            assertNotEquals(source.context(), negative.context());
            for (SquadExample.Answer answer : source.answers()) {
                assertFalse(negative.context().toLowerCase(Locale.ROOT).contains(answer.text().toLowerCase(Locale.ROOT)),
                        negative.id() + " holds its answer '" + answer.text() + "'");
            }
            assertTrue(negative.isImpossible() && negative.answers().isEmpty());
        }
    }

    @Test
    void syntheticNegativesStayInTheArticleAndNeverHoldTheAnswer() {
        List<SquadExample> examples = SquadTestData.read(SquadTestData.TRAIN_V2_FIRST10);
        SquadTrainingData.Negatives one = SquadTrainingData.syntheticNegatives(examples, 1.0, 0, 0, 7);
        assertEquals(4_371, one.requested());
        assertEquals(4_371 - 9, one.made());
        checkNegatives(examples, one.examples());
        assertEquals(one, SquadTrainingData.syntheticNegatives(examples, 1.0, 0, 0, 7), "the seed alone decides");
        assertNotEquals(one.examples(), SquadTrainingData.syntheticNegatives(examples, 1.0, 0, 0, 8).examples());

        // 2.5 per question: 2 each, and a third for 2,186 questions drawn without replacement; distinct paragraphs each.
        SquadTrainingData.Negatives more = SquadTrainingData.syntheticNegatives(examples, 2.5, 0, 0, 7);
        assertEquals(10_928, more.requested());
        assertTrue(more.made() >= 10_928 - 27 && more.made() <= 10_928 - 18, "made " + more.made());
        checkNegatives(examples, more.examples());
        Map<String, Set<String>> paragraphsPerQuestion = new HashMap<>();
        for (SquadExample negative : more.examples()) {
            String source = negative.id().substring(0, negative.id().indexOf(SquadTrainingData.SYNTHETIC_SUFFIX));
            assertTrue(paragraphsPerQuestion.computeIfAbsent(source, k -> new HashSet<>()).add(negative.context()),
                    "the same paragraph twice for " + source);
        }
        // The 9 questions without a paragraph to give were assigned 2 or 3 and made none: x of them had a third.
        long thirdsOfTheNine = 10_928 - more.made() - 2L * 9;
        assertEquals(2_186, paragraphsPerQuestion.values().stream().filter(p -> p.size() == 3).count() + thirdsOfTheNine);
        assertTrue(paragraphsPerQuestion.values().stream().allMatch(p -> p.size() == 2 || p.size() == 3));

        // Half a negative per question: one each for half of them.
        SquadTrainingData.Negatives half = SquadTrainingData.syntheticNegatives(examples, 0.5, 0, 0, 7);
        assertEquals(2_186, half.requested()); // round(2185.5)
        checkNegatives(examples, half.examples());
        assertEquals(half.made(), half.examples().stream()
                .map(e -> e.id().substring(0, e.id().indexOf(SquadTrainingData.SYNTHETIC_SUFFIX))).distinct().count(),
                "at most one per question");
        assertTrue(half.made() >= 2_186 - 9);
        assertEquals(0, SquadTrainingData.syntheticNegatives(examples, 0, 0, 0, 7).made());
    }

    @Test
    void answerRemovedNegativesKeepTheParagraphButTheSentencesOfTheAnswer() {
        String context = "Alpha is a city in Beta. Its mayor is Bob Smith, elected in 2001. The river Gamma crosses it.";
        SquadExample mayor = new SquadExample("q1", "Alpha", context, "Who is the mayor of Alpha?",
                List.of(new SquadExample.Answer("Bob Smith", context.indexOf("Bob"))), false);
        assertEquals("Alpha is a city in Beta. The river Gamma crosses it.", SquadTrainingData.withoutAnswerSentences(mayor));
        SquadExample river = new SquadExample("q2", "Alpha", context, "Which river?",
                List.of(new SquadExample.Answer("Gamma", context.indexOf("Gamma"))), false);
        assertEquals("Alpha is a city in Beta. Its mayor is Bob Smith, elected in 2001.",
                SquadTrainingData.withoutAnswerSentences(river), "the last sentence goes, nothing dangles");
        // The answer's text also elsewhere in the paragraph: no negative of this kind (it would be mislabelled).
        SquadExample city = new SquadExample("q3", "Alpha", context + " Alpha thrives.", "Which city?",
                List.of(new SquadExample.Answer("Alpha", 0)), false);
        assertEquals(null, SquadTrainingData.withoutAnswerSentences(city));
        // An answer spanning two sentences takes both away; one sentence in all leaves nothing.
        SquadExample both = new SquadExample("q4", "Alpha", context, "?",
                List.of(new SquadExample.Answer("Beta. Its", context.indexOf("Beta."))), false);
        assertEquals("The river Gamma crosses it.", SquadTrainingData.withoutAnswerSentences(both));
        SquadExample single = new SquadExample("q5", "Alpha", "Only Bob.", "?", List.of(new SquadExample.Answer("Bob", 5)), false);
        assertEquals(null, SquadTrainingData.withoutAnswerSentences(single));

        List<SquadExample> examples = SquadTestData.read(SquadTestData.TRAIN_V2_FIRST10);
        Map<String, SquadExample> byId = new HashMap<>();
        examples.forEach(e -> byId.put(e.id(), e));
        SquadTrainingData.Negatives all = SquadTrainingData.syntheticNegatives(examples, 1.0, 1.0, 0, 7);
        SquadTrainingData.Negatives half = SquadTrainingData.syntheticNegatives(examples, 1.0, 0.5, 0, 7);
        assertEquals(4_371, all.requested());
        assertTrue(all.answerRemoved() > 0.6 * all.made(), all.answerRemoved() + " of " + all.made());
        assertTrue(Math.abs(half.answerRemoved() - all.answerRemoved() / 2.0) < 0.05 * all.answerRemoved(),
                half.answerRemoved() + " vs half of " + all.answerRemoved());
        assertTrue(all.made() >= 4_371 - 9, "falls back to another paragraph: " + all.made());
        Set<String> paragraphs = new HashSet<>();
        examples.forEach(e -> paragraphs.add(e.context()));
        int removed = 0;
        for (SquadExample negative : all.examples()) {
            SquadExample source = byId.get(negative.id().substring(0, negative.id().indexOf(SquadTrainingData.SYNTHETIC_SUFFIX)));
            assertTrue(negative.isImpossible() && negative.answers().isEmpty());
            for (SquadExample.Answer answer : source.answers()) {
                assertFalse(negative.context().toLowerCase(Locale.ROOT).contains(answer.text().toLowerCase(Locale.ROOT)),
                        negative.id() + " holds its answer '" + answer.text() + "'");
            }
            if (!paragraphs.contains(negative.context())) { // cut from its own paragraph: all of its sentences are there
                removed++;
                assertTrue(negative.context().length() < source.context().length());
                // The source's sentences, some of them left out: greedily match them against the negative's text.
                BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ENGLISH);
                sentences.setText(source.context());
                String rest = negative.context();
                int skipped = 0;
                for (int start = sentences.first(), end = sentences.next(); end != BreakIterator.DONE; start = end, end = sentences.next()) {
                    String sentence = source.context().substring(start, end).strip();
                    if (rest.startsWith(sentence)) {
                        rest = rest.substring(sentence.length()).stripLeading();
                    } else {
                        skipped++;
                    }
                }
                assertEquals("", rest, negative.id() + " is not its paragraph less some sentences");
                assertTrue(skipped > 0);
            }
        }
        assertEquals(all.answerRemoved(), removed);
        assertThrows(GlossaException.class, () -> SquadTrainingData.syntheticNegatives(examples, 1.0, 1.5, 0, 7));
    }

    @Test
    void editedQuestionNegativesKeepTheParagraphAndChangeTheQuestion() {
        List<SquadExample> examples = SquadTestData.read(SquadTestData.TRAIN_V2_FIRST10);
        Map<String, SquadExample> byId = new HashMap<>();
        examples.forEach(e -> byId.put(e.id(), e));
        SquadTrainingData.Negatives edited = SquadTrainingData.syntheticNegatives(examples, 1.0, 0, 1.0, 7);
        // Most questions take some edit (a grounded name or number, a listed word, an auxiliary); the rest fall back.
        assertTrue(edited.editedQuestion() > 0.8 * edited.made(), edited.editedQuestion() + " of " + edited.made());
        assertEquals(0, edited.answerRemoved());
        int onOwnParagraph = 0;
        for (SquadExample negative : edited.examples()) {
            SquadExample source = byId.get(negative.id().substring(0, negative.id().indexOf(SquadTrainingData.SYNTHETIC_SUFFIX)));
            assertTrue(negative.isImpossible() && negative.answers().isEmpty());
            if (negative.context().equals(source.context())) {
                onOwnParagraph++;
                assertNotEquals(source.question(), negative.question());
            } else {
                assertEquals(source.question(), negative.question(), "a fallback pairs the question as it is");
            }
        }
        assertEquals(edited.editedQuestion(), onOwnParagraph);
        assertEquals(edited, SquadTrainingData.syntheticNegatives(examples, 1.0, 0, 1.0, 7), "the seed alone decides");
        // Shares of 0 draw exactly what they drew before the edited kind existed.
        SquadTrainingData.Negatives mixed = SquadTrainingData.syntheticNegatives(examples, 1.0, 0.3, 0.4, 7);
        assertTrue(mixed.answerRemoved() > 0 && mixed.editedQuestion() > 0);
        assertTrue(Math.abs(mixed.editedQuestion() - 0.4 * edited.editedQuestion()) < 0.1 * edited.editedQuestion(),
                mixed.editedQuestion() + " vs 0.4 of " + edited.editedQuestion());
        GlossaException tooMuch = assertThrows(GlossaException.class,
                () -> SquadTrainingData.syntheticNegatives(examples, 1.0, 0.6, 0.5, 7));
        assertTrue(tooMuch.getMessage().contains("add up to at most 1"), tooMuch.getMessage());
    }

    @Test
    void aSubsetIsASeededDrawOfTheGivenSize() {
        List<SquadExample> examples = SquadTestData.read(SquadTestData.TRAIN_V2_FIRST10);
        List<SquadExample> subset = SquadTrainingData.subset(examples, 100, 42);
        assertEquals(100, subset.size());
        assertEquals(subset, SquadTrainingData.subset(examples, 100, 42));
        assertNotEquals(subset, SquadTrainingData.subset(examples, 100, 43));
        assertNotEquals(examples.subList(0, 100), subset, "shuffled first");
        assertTrue(examples.containsAll(subset));
        assertEquals(100, subset.stream().map(SquadExample::id).distinct().count());
        assertSame(examples, SquadTrainingData.subset(examples, 0, 42));
    }
}
