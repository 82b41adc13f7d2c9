package org.glossa.tasks.charlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glossa.core.GlossaException;
import org.glossa.tasks.charlm.Vocabulary.Level;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class VocabularyTest {
    @TempDir Path dir;

    @Test
    void characterVocabularyIsTheSortedSetOfCodePoints() {
        Vocabulary vocabulary = Vocabulary.build("baca\n😀a", Level.CHAR, 0);
        // Python's sorted(set("baca\n😀a")): by code point, the emoji (outside the BMP) as one character.
        assertEquals(List.of("\n", "a", "b", "c", "😀"), vocabulary.tokens());
        assertArrayEquals(new int[] {2, 1, 3, 1, 0, 4, 1}, vocabulary.encode("baca\n😀a", "text"));
        assertEquals("baca\n😀a", vocabulary.decode(vocabulary.encode("baca\n😀a", "text")));
    }

    @Test
    void wordTokensGiveBackTheTextAndKeepApostrophes() {
        String text = "KING RICHARD III:\nO, don't  weep, Juliet's 42 tears!";
        List<String> tokens = Vocabulary.split(text, Level.WORD);
        assertEquals(List.of("KING", " ", "RICHARD", " ", "III", ":", "\n", "O", ",", " ", "don't", " ", " ", "weep", ",", " ",
                "Juliet's", " ", "42", " ", "tears", "!"), tokens);
        assertEquals(text, String.join("", tokens));
    }

    @Test
    void wordVocabularyKeepsTheMostFrequentAndMapsTheRestToUnknown() {
        String text = "a b a c a b d";
        Vocabulary all = Vocabulary.build(text, Level.WORD, 0);
        // " " 6 times, "a" 3, "b" 2, then "c" and "d" once each in code-point order.
        assertEquals(List.of(" ", "a", "b", "c", "d"), all.tokens());
        assertEquals(-1, all.unknownId());
        Vocabulary capped = Vocabulary.build(text, Level.WORD, 4);
        assertEquals(List.of(Vocabulary.UNKNOWN, " ", "a", "b"), capped.tokens());
        assertArrayEquals(new int[] {2, 1, 0, 1, 3}, capped.encode("a c b", "text"));
        assertEquals("a <unk> b", capped.decode(capped.encode("a c b", "text")));
    }

    @Test
    void charactersOutsideTheVocabularyAreNamed() {
        Vocabulary vocabulary = Vocabulary.build("abc \n", Level.CHAR, 0);
        GlossaException e = assertThrows(GlossaException.class, () -> vocabulary.encode("abZ é\tZ", "the prime text"));
        assertEquals("the prime text has characters outside the model's vocabulary: 'Z', 'é' (U+00E9), '\\t' (U+0009)",
                e.getMessage());
        Vocabulary words = Vocabulary.build("to be or not", Level.WORD, 0);
        GlossaException w = assertThrows(GlossaException.class, () -> words.encode("to sleep", "the prime text"));
        assertTrue(w.getMessage().contains("words outside the model's vocabulary: 'sleep'"), w.getMessage());
    }

    @Test
    void savesAndLoadsVocabJson() throws Exception {
        Vocabulary vocabulary = Vocabulary.build("He said: \"quoted\\path\"\n\u00e9", Level.CHAR, 0);
        vocabulary.save(dir);
        assertEquals(vocabulary, Vocabulary.load(dir));
        String json = Files.readString(dir.resolve(Vocabulary.FILE_NAME));
        assertTrue(json.startsWith("{\n  \"level\": \"char\",\n  \"tokens\": [\n    \"\\n\",\n    \" \",\n    \"\\\"\""), json);
        Vocabulary words = Vocabulary.build("x y z x", Level.WORD, 3);
        words.save(dir);
        assertEquals(words, Vocabulary.load(dir));
        assertEquals(0, Vocabulary.load(dir).unknownId());
    }

    @Test
    void brokenVocabFilesAreNamed() throws Exception {
        GlossaException missing = assertThrows(GlossaException.class, () -> Vocabulary.load(dir));
        assertTrue(missing.getMessage().contains("vocab.json: no such file"), missing.getMessage());
        Files.writeString(dir.resolve(Vocabulary.FILE_NAME), "{\"level\": \"char\", \"tokens\": [\"a\", \"bc\"]}");
        GlossaException notChar = assertThrows(GlossaException.class, () -> Vocabulary.load(dir));
        assertTrue(notChar.getMessage().contains("not one character: 'bc'"), notChar.getMessage());
        Files.writeString(dir.resolve(Vocabulary.FILE_NAME), "{\"level\": \"syllable\", \"tokens\": [\"a\"]}");
        GlossaException level = assertThrows(GlossaException.class, () -> Vocabulary.load(dir));
        assertTrue(level.getMessage().contains("token level 'syllable'"), level.getMessage());
        Files.writeString(dir.resolve(Vocabulary.FILE_NAME), "{\"level\": \"char\", \"tokens\": [\"a\", \"a\"]}");
        GlossaException twice = assertThrows(GlossaException.class, () -> Vocabulary.load(dir));
        assertTrue(twice.getMessage().contains("appears twice"), twice.getMessage());
    }
}
