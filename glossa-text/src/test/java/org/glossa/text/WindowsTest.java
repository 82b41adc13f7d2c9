package org.glossa.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** SQuAD windows on real long contexts: shape, overlap, coverage and offsets. */
@Tag("unit")
class WindowsTest {

    private final HfTokenizer tokenizer = MiniLm.tokenizer();
    private final Set<String> verbatim = MiniLm.verbatimAddedTokens();

    @Test
    void longSquadContextsGiveOverlappingWindowsCoveringTheContext() {
        JsonNode squad = MiniLm.squadDev();
        int longContexts = 0;
        for (JsonNode article : squad.get("data")) {
            for (JsonNode paragraph : article.get("paragraphs")) {
                String context = paragraph.get("context").asText();
                String question = paragraph.get("qas").get(0).get("question").asText();
                if (tokenizer.encodePair(question, context).length() > 384) {
                    longContexts++;
                    checkWindows(question, context, 384, 128);
                    checkWindows(question, context, 100, 30);
                }
            }
        }
        assertTrue(longContexts >= 3, "expected several SQuAD contexts over 384 tokens, found " + longContexts);
    }

    private void checkWindows(String question, String context, int maxLength, int stride) {
        Encoding whole = tokenizer.encodePair(question, context);
        Encoding questionOnly = tokenizer.encode(question);
        int prefix = questionOnly.length(); // [CLS] question [SEP]
        int contextTokens = whole.length() - prefix - 1;
        int perWindow = maxLength - prefix - 1;

        List<Encoding> windows = tokenizer.encodePairWindows(question, context, maxLength, stride);
        assertTrue(windows.size() >= 2);
        int expectedStart = 0;
        boolean[] covered = new boolean[contextTokens];
        for (int w = 0; w < windows.size(); w++) {
            Encoding window = windows.get(w);
            String where = "window " + w + " of " + maxLength + "/" + stride + " for \"" + question + "\"";
            boolean last = w == windows.size() - 1;
            assertTrue(window.length() <= maxLength, where + ": too long");
            if (!last) {
                assertEquals(maxLength, window.length(), where + ": only the last window may be short");
            }
            // Starts with [CLS] question [SEP], as the question encoded alone; ends with [SEP].
            assertArrayEquals(questionOnly.ids(), Arrays.copyOf(window.ids(), prefix), where);
            assertEquals(tokenizer.sepId(), window.ids()[window.length() - 1], where);
            for (int i = 0; i < window.length(); i++) {
                long expectedType = i < prefix ? 0 : 1;
                assertEquals(expectedType, window.typeIds()[i], where + ": type id at " + i);
            }
            // Its context tokens are whole[prefix + start ...], where start advances by
            // perWindow - stride: consecutive windows share exactly `stride` context tokens.
            int count = window.length() - prefix - 1;
            for (int k = 0; k < count; k++) {
                int inWhole = prefix + expectedStart + k;
                assertEquals(whole.ids()[inWhole], window.ids()[prefix + k], where);
                assertEquals(whole.charStart()[inWhole], window.charStart()[prefix + k], where);
                assertEquals(1, window.sequenceIds()[prefix + k], where);
                covered[expectedStart + k] = true;
            }
            if (w > 0) {
                Encoding previous = windows.get(w - 1);
                int shared = previous.length() - 1 - (prefix + perWindow - stride);
                assertEquals(stride, shared, where + ": overlap");
                assertArrayEquals(Arrays.copyOfRange(previous.ids(), previous.length() - 1 - stride,
                        previous.length() - 1), Arrays.copyOfRange(window.ids(), prefix, prefix + stride),
                        where + ": overlapping tokens");
            }
            OffsetChecks.assertSpansMatchTokens(window, new String[] {question, context}, verbatim);
            expectedStart += perWindow - stride;
            if (last) {
                assertEquals(contextTokens, expectedStart - (perWindow - stride) + count,
                        where + ": the last window must end with the context");
            }
        }
        for (int k = 0; k < contextTokens; k++) {
            assertTrue(covered[k], "context token " + k + " in no window");
        }
    }

    @Test
    void shortContextIsOneWindow() {
        List<Encoding> windows = tokenizer.encodePairWindows("Who?", "Bob did it.", 384, 128);
        assertEquals(List.of(tokenizer.encodePair("Who?", "Bob did it.")), windows);
    }

    @Test
    void impossibleWindowSettingsAreErrors() {
        String context = "word ".repeat(50);
        // [CLS] a b c [SEP] ... [SEP]: 6 tokens fixed, 14 context tokens per window of 20.
        // stride 13 is the largest allowed: step 1, windows start at 0..36.
        assertEquals(37, tokenizer.encodePairWindows("a b c", context, 20, 13).size());
        assertThrows(GlossaException.class, () -> tokenizer.encodePairWindows("a b c", context, 20, 14));
        assertThrows(GlossaException.class, () -> tokenizer.encodePairWindows("a b c", context, 5, 0));
        assertThrows(GlossaException.class, () -> tokenizer.encodePairWindows("a b c", context, 20, -1));
        assertThrows(GlossaException.class,
                () -> tokenizer.encodePairWindows("long question ".repeat(30), context, 20, 2));
    }

    @Test
    void windowCountFollowsTheStep() {
        String context = "word ".repeat(47); // 47 context tokens
        // 14 context tokens per window, step 14 - 5 = 9: starts 0, 9, 18, 27 (27 + 14 < 47), 36.
        List<Encoding> windows = tokenizer.encodePairWindows("a b c", context, 20, 5);
        assertEquals(5, windows.size());
        int[] lengths = windows.stream().mapToInt(Encoding::length).toArray();
        assertArrayEquals(new int[] {20, 20, 20, 20, 6 + 11}, lengths);
        assertEquals(36 * 5, windows.get(4).charStart()[5]); // "word " is 5 chars; 37th token
        assertEquals(47 * 5 - 1, windows.get(4).charEnd()[15]); // the last word
    }
}
