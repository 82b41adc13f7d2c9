package org.glossa.text.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The splitting rules spelt out; SubwordHfEquivalenceTest checks them against HF on real text. */
@Tag("unit")
class WordSplitterTest {
    @Test
    void spacesBecomeWordStartMarkersAndPunctuationStandsAlone() {
        assertEquals(List.of("▁Hola", ",", "▁", "¿", "qué", "▁tal", "?"), WordSplitter.words("Hola, ¿qué tal?"));
        assertEquals(List.of("▁a", "▁", "▁b", "▁"), WordSplitter.words("a  b "), "each space marks a word");
        assertEquals(List.of("▁e", "-", "mail"), WordSplitter.words("e-mail"));
        assertEquals(List.of("▁café"), WordSplitter.words("cafe\u0301"), "NFC first");
        assertEquals(List.of(), WordSplitter.words(""));
    }

    @Test
    void joiningUndoesSplitting() {
        for (String text : List.of("Hola, ¿qué tal?", "a  b ", "«Sí», dijo (otra vez)...", "Straße 5ª")) {
            assertEquals(text, WordSplitter.join(WordSplitter.words(text)));
        }
    }

    @Test
    void punctuationIsAsciiPunctuationOrAUnicodePunctuationCategory() {
        for (int c : "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~¿¡«»—…‘’“”„".codePoints().toArray()) {
            assertTrue(WordSplitter.isPunctuation(c), Character.toString(c));
        }
        for (int c : "aZ09 é€£°ª▁\t".codePoints().toArray()) {
            assertFalse(WordSplitter.isPunctuation(c), Character.toString(c)); // € £ ° are symbols, not punctuation
        }
    }
}
