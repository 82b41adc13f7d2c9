package org.glossa.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Dynamic padding: to the longest row, optionally to a multiple, with the pad id and mask 0. */
@Tag("unit")
class BatchTest {

    private final HfTokenizer tokenizer = MiniLm.tokenizer();

    @Test
    void padsToTheLongestRow() {
        Encoding a = tokenizer.encode("hello");                       // 3 tokens
        Encoding b = tokenizer.encodePair("hello world", "hello");    // 6 tokens
        Batch batch = tokenizer.pad(List.of(a, b));
        assertEquals(2, batch.batchSize());
        assertEquals(6, batch.length());
        assertArrayEquals(new long[] {2, 6}, batch.shape());
        assertArrayEquals(new int[] {3, 6}, batch.lengths());
        assertArrayEquals(new long[] {101, 7592, 102, 0, 0, 0}, batch.ids()[0]);
        assertArrayEquals(new long[] {1, 1, 1, 0, 0, 0}, batch.attentionMask()[0]);
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0}, batch.typeIds()[0]);
        assertArrayEquals(b.ids(), batch.ids()[1]);
        assertArrayEquals(new long[] {0, 0, 0, 0, 1, 1}, batch.typeIds()[1]);
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1}, batch.attentionMask()[1]);
        assertArrayEquals(new long[] {101, 7592, 102, 0, 0, 0, 101, 7592, 2088, 102, 7592, 102},
                batch.flatIds());
        assertArrayEquals(new long[] {1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1}, batch.flatAttentionMask());
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, batch.flatTypeIds());
    }

    @Test
    void padsToAMultiple() {
        Batch batch = tokenizer.pad(List.of(tokenizer.encode("one two three four five six seven")), 8);
        assertEquals(16, batch.length()); // 9 tokens rounded up to 16
        assertEquals(0, batch.ids()[0][15]);
        assertEquals(0, batch.attentionMask()[0][9]);
        assertEquals(1, batch.attentionMask()[0][8]);
        assertEquals(8, tokenizer.pad(List.of(tokenizer.encode("hello")), 8).length());
        assertEquals(3, tokenizer.pad(List.of(tokenizer.encode("hello")), 1).length());
    }

    @Test
    void usesTheGivenPadId() {
        Batch batch = Batch.pad(List.of(tokenizer.encode("a"), tokenizer.encode("a b c")), 99, 1);
        assertArrayEquals(new long[] {101, 1037, 102, 99, 99}, batch.ids()[0]);
    }

    @Test
    void badArgumentsAreErrors() {
        assertThrows(GlossaException.class, () -> tokenizer.pad(List.of()));
        assertThrows(GlossaException.class, () -> tokenizer.pad(List.of(tokenizer.encode("a")), 0));
    }
}
