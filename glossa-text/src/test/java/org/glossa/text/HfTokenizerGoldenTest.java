package org.glossa.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Our encodings equal HuggingFace's own (Rust tokenizers through its Node binding, cross-checked
 * against the pure-JavaScript implementation): ids, type ids, mask, tokens, sequence ids and
 * UTF-16 offsets, for single texts, pairs and SQuAD windows. See golden/README.md.
 */
@Tag("unit")
class HfTokenizerGoldenTest {

    private final HfTokenizer tokenizer = MiniLm.tokenizer();
    private final JsonNode golden = MiniLm.golden();

    @Test
    void singleTextsMatchHuggingFace() {
        assertTrue(golden.get("singles").size() >= 10);
        for (JsonNode expected : golden.get("singles")) {
            String text = expected.get("text").asText();
            assertMatches(expected, tokenizer.encode(text), "text " + quote(text));
        }
    }

    @Test
    void pairsMatchHuggingFace() {
        assertTrue(golden.get("pairs").size() >= 3);
        for (JsonNode expected : golden.get("pairs")) {
            String first = expected.get("first").asText();
            String second = expected.get("second").asText();
            assertMatches(expected, tokenizer.encodePair(first, second),
                    "pair " + quote(first) + " / " + quote(second));
        }
    }

    @Test
    void squadWindowsMatchHuggingFace() {
        for (JsonNode expected : golden.get("windows")) {
            String question = expected.get("question").asText();
            String context = expected.get("context").asText();
            int maxLength = expected.get("maxLength").asInt();
            int stride = expected.get("stride").asInt();
            List<Encoding> windows = tokenizer.encodePairWindows(question, context, maxLength, stride);
            String what = "windows " + maxLength + "/" + stride + " of " + quote(question);
            assertEquals(expected.get("windows").size(), windows.size(), what + ": window count");
            for (int w = 0; w < windows.size(); w++) {
                assertMatches(expected.get("windows").get(w), windows.get(w), what + ", window " + w);
            }
        }
    }

    static void assertMatches(JsonNode expected, Encoding actual, String what) {
        assertArrayEquals(longs(expected.get("ids")), actual.ids(), what + ": ids");
        assertArrayEquals(longs(expected.get("typeIds")), actual.typeIds(), what + ": type ids");
        assertArrayEquals(longs(expected.get("attentionMask")), actual.attentionMask(), what + ": mask");
        String[] tokens = new String[expected.get("tokens").size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = expected.get("tokens").get(i).asText();
        }
        assertArrayEquals(tokens, actual.tokens(), what + ": tokens");
        int n = tokens.length;
        int[] sequenceIds = new int[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        for (int i = 0; i < n; i++) {
            sequenceIds[i] = expected.get("sequenceIds").get(i).asInt();
            starts[i] = expected.get("offsets").get(i).get(0).asInt();
            ends[i] = expected.get("offsets").get(i).get(1).asInt();
        }
        assertArrayEquals(sequenceIds, actual.sequenceIds(), what + ": sequence ids");
        assertArrayEquals(starts, actual.charStart(), what + ": char starts");
        assertArrayEquals(ends, actual.charEnd(), what + ": char ends");
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }

    private static String quote(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return '"' + shown.replace("\n", "\\n") + '"';
    }
}
