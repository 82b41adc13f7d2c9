package org.glossa.tasks.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.glossa.text.HfTokenizer;
import org.glossa.text.train.BpeTrainer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class SubwordVocabulariesTest {
    @TempDir Path dir;

    @Test
    void sharedOrSeparateVocabulariesForGermanToEnglish() {
        List<SentencePair> pairs = Multi30k.read(SpaEngSplitTest.shared("multi30k"), "train").pairs().subList(0, 3_000);
        SubwordVocabularies shared = SubwordVocabularies.train(pairs, SubwordVocabularies.Kind.BPE,
                BpeTrainer.Options.of(2_000), true);
        assertTrue(shared.shared());
        assertSame(shared.source(), shared.target());
        assertEquals(2_000, shared.source().vocabSize());

        SubwordVocabularies separate = SubwordVocabularies.train(pairs, SubwordVocabularies.Kind.WORDPIECE,
                BpeTrainer.Options.of(1_500), false);
        assertFalse(separate.shared());
        assertNotSame(separate.source(), separate.target());
        // German letters are in the German vocabulary only.
        assertTrue(separate.source().vocabulary().contains("ß"));
        assertFalse(separate.target().vocabulary().contains("ß"));
        assertTrue(shared.source().vocabulary().contains("ß"));

        separate.write(dir);
        HfTokenizer german = HfTokenizer.load(dir.resolve("source"));
        String sentence = pairs.get(0).source();
        assertArrayEquals(Arrays.stream(separate.source().encode(sentence, true)).asLongStream().toArray(),
                german.encode(sentence).ids());
        assertEquals(sentence, german.decode(german.encode(sentence).ids(), true));
        assertEquals(1_500, HfTokenizer.load(dir.resolve("target")).vocabSize());
    }
}
