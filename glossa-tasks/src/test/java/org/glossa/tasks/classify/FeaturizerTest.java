package org.glossa.tasks.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.glossa.text.Encoding;
import org.glossa.text.HfTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncation to the model's input: single texts keep their start, pairs lose tokens from the longer text first. */
@Tag("model")
class FeaturizerTest {
    @TempDir static Path dir;
    static HfTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = HfTokenizer.load(TinyBert.tokenizer(dir));
    }

    static long[] textIds(String text) {
        return tokenizer.encode(text, false).ids();
    }

    @Test
    void aLongTextKeepsItsStartAndItsSpecialTokensAndIsCounted() {
        Featurizer featurizer = new Featurizer(tokenizer, 8);
        String text = "one two three four five six seven eight nine ten";
        Featurizer.Encoded encoded = featurizer.encodeAll(List.of(Example.unlabelled(text, "t:1"),
                Example.unlabelled("one two", "t:2")), null);
        assertEquals(1, encoded.truncated());
        long[] words = textIds(text);
        long[] expected = new long[8];
        expected[0] = tokenizer.clsId();
        System.arraycopy(words, 0, expected, 1, 6);
        expected[7] = tokenizer.sepId();
        assertArrayEquals(expected, encoded.features().get(0).ids());
        assertEquals(4, encoded.features().get(1).length(), "a short text is left alone");
    }

    @Test
    void pairsAreCutLongestFirst() {
        String first = "one two three four five six seven eight nine ten"; // 10 tokens
        String second = "red green blue yellow"; // 4 tokens
        long[] a = textIds(first);
        long[] b = textIds(second);
        assertEquals(10, a.length);
        assertEquals(4, b.length);
        // 12 = 3 special tokens + 9: the first text gives up 5 tokens (10 → 5) before the pair is balanced at 5 + 4.
        Featurizer.Features cut = new Featurizer(tokenizer, 12).encodeAll(List.of(new Example(first, second, List.of(), "t:1")),
                null).features().get(0);
        long[] expected = concat(new long[] {tokenizer.clsId()}, Arrays.copyOf(a, 5), new long[] {tokenizer.sepId()}, b,
                new long[] {tokenizer.sepId()});
        assertArrayEquals(expected, cut.ids());
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, cut.typeIds());
        // 10 = 3 + 7: then both shrink, ties going to the second text, as transformers' Python truncate_sequences does: 4 + 3.
        Featurizer.Features both = new Featurizer(tokenizer, 10).encodeAll(List.of(new Example(first, second, List.of(), "t:1")),
                null).features().get(0);
        assertArrayEquals(concat(new long[] {tokenizer.clsId()}, Arrays.copyOf(a, 4), new long[] {tokenizer.sepId()},
                Arrays.copyOf(b, 3), new long[] {tokenizer.sepId()}), both.ids());
    }

    static long[] concat(long[]... parts) {
        return Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
    }
}
