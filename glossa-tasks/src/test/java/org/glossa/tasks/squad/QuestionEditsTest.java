package org.glossa.tasks.squad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link QuestionEdits} on hand-made questions and paragraphs whose right edits are known. */
@Tag("unit")
class QuestionEditsTest {
    private static final String PARAGRAPH = "Beyoncé's first solo album, Dangerously in Love, was released in 2003 by"
            + " Columbia Records. It sold 317,000 copies in its first week and made her the most successful act of the year.";

    @Test
    void mentionsAreNamesWithoutSentenceStartsAndNumbers() {
        // "Beyoncé's" opens the paragraph and is capitalised nowhere else: it may be any sentence-initial word.
        assertEquals(List.of("Dangerously", "Love", "Columbia Records", "2003", "317,000"),
                List.copyOf(QuestionEdits.mentions(PARAGRAPH)));
        assertEquals(List.of("Beyoncé", "Swann"), List.copyOf(QuestionEdits.mentions("Beyoncé sang. Prior to that, Beyoncé met Dr. Swann.")));
        assertEquals(List.of("2013", "4", "1,250"), List.copyOf(QuestionEdits.mentions("In 2013-4, 1,250 of them.")), "commas inside only");
        assertEquals(List.of("Beyoncé", "Houston"), List.copyOf(QuestionEdits.mentions("In which year did Beyoncé leave Houston?")));
        assertEquals(List.of("Jay-Z", "O'Brien", "4.5"), List.copyOf(QuestionEdits.mentions("The Jay-Z and O'Brien deal: 4.5 of them.")));
    }

    @Test
    void anEntitySwapTakesANameOrNumberOfTheSameKindThatTheParagraphLacks() {
        String paragraph = PARAGRAPH.toLowerCase();
        // The year the paragraph has becomes another year of the article; never a number that is no year.
        List<String> article = List.of("2006", "Sony Music", "8,000", "2003", "Columbia Records");
        for (int seed = 0; seed < 20; seed++) {
            String edited = QuestionEdits.swapEntity("What did Beyoncé release in 2003?", paragraph, article, new Random(seed));
            assertEquals("What did Beyoncé release in 2006?", edited, "the article has no one-word name for Beyoncé");
        }
        // Two-word names swap with two-word names only.
        String label = QuestionEdits.swapEntity("Which label is Columbia Records?", paragraph, article, new Random(1));
        assertEquals("Which label is Sony Music?", label);
        // Nothing of the question in the paragraph, or nothing to swap in: no edit.
        assertNull(QuestionEdits.swapEntity("Who is Madonna?", paragraph, article, new Random(1)));
        assertNull(QuestionEdits.swapEntity("What happened in 2003?", paragraph, List.of("2003"), new Random(1)));
    }

    @Test
    void anAntonymIsUsedOnlyWhenTheParagraphNeverSaysIt() {
        String paragraph = PARAGRAPH.toLowerCase();
        assertEquals("What was Beyoncé's last solo album?", QuestionEdits.antonym("What was Beyoncé's first solo album?", paragraph));
        assertEquals("Latest album?", QuestionEdits.antonym("Earliest album?", paragraph), "capitalised as it was");
        // "least" → "most", but the paragraph says "most": the opposite would still be answerable from it.
        assertNull(QuestionEdits.antonym("Who was the least successful act?", paragraph));
        assertNull(QuestionEdits.antonym("Who released it?", paragraph));
    }

    @Test
    void negationTurnsTheFirstAuxiliary() {
        assertEquals("When didn't Beyoncé release her first album?", QuestionEdits.negate("When did Beyoncé release her first album?"));
        assertEquals("Who wasn't the most successful act?", QuestionEdits.negate("Who was the most successful act?"));
        assertEquals("Isn't it sold?", QuestionEdits.negate("Is it sold?"));
        assertNull(QuestionEdits.negate("What did she never do?"), "already negative");
        assertNull(QuestionEdits.negate("Who doesn't sing?"));
        assertNull(QuestionEdits.negate("Who released Dangerously in Love?"), "no auxiliary");
    }

    @Test
    void anEditDrawsAmongTheKindsThatApply() {
        String question = "When did Beyoncé release her first album?";
        int[] kinds = new int[QuestionEdits.Kind.values().length];
        for (int seed = 0; seed < 60; seed++) {
            QuestionEdits.Edit edit = QuestionEdits.edit(question, PARAGRAPH, List.of("Solange", "Houston"), new Random(seed));
            kinds[edit.kind().ordinal()]++;
            Set<String> expected = switch (edit.kind()) {
                case ENTITY_SWAP -> Set.of("When did Solange release her first album?", "When did Houston release her first album?");
                case ANTONYM -> Set.of("When did Beyoncé release her last album?");
                case NEGATION -> Set.of("When didn't Beyoncé release her first album?");
            };
            assertTrue(expected.contains(edit.question()), edit.toString());
        }
        for (int count : kinds) {
            assertTrue(count > 10, java.util.Arrays.toString(kinds));
        }
        assertNull(QuestionEdits.edit("Who sang it?", PARAGRAPH, List.of(), new Random(1)), "nothing applies");
    }
}
