package org.glossa.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Offsets index the original Java string in UTF-16 units, whatever the text holds. */
@Tag("unit")
class OffsetsTest {

    private final HfTokenizer tokenizer = MiniLm.tokenizer();
    private final Set<String> verbatim = MiniLm.verbatimAddedTokens();

    private static final String[] TRICKY = {
        "Café, naïve résumé, Ångström",                       // precomposed accents
        "e\u0301cole cafe\u0301 and Cafe\u0301s",              // e + combining acute
        "東京は日本の首都です。中文字",                           // CJK: one token per ideograph
        "안녕하세요 세계",                                       // Hangul: NFD splits syllables into jamo
        "I \u2764\uFE0F emoji \uD83D\uDE00\uD83D\uDC4D\uD83C\uDFFD ok \uD835\uDD18nicode \uD835\uDCB3.",
        "a\uD83D\uDE00b c\uD83D\uDE00\uD83D\uDE00d",           // emoji inside words
        "tab\there\nnew line\r\nzero\u200Bwidth null\u0000char soft\u00ADhyphen \u00A0nbsp",
        "\u0000\u0001 leading controls and trailing ones \u0007\u200B",
        "The price is $3.50 (or €3,20) — don't panic!!! e-mail: a.b@c.com, #hashtag",
        "İstanbul Straße ﬁne ÅNGSTRÖM नमस्ते दुनिया",
        "[CLS] typed in text [SEP] and [MASK] too",
        "Mixed: 😀Hello世界café\u0301\tx\uD83D\uDC4D",
    };

    @Test
    void everyTokenSlicesBackToItsSource() {
        for (String text : TRICKY) {
            Encoding encoding = tokenizer.encode(text);
            assertTrue(encoding.length() > 2, "no tokens for " + text);
            OffsetChecks.assertSpansMatchTokens(encoding, new String[] {text}, verbatim);
        }
    }

    @Test
    void offsetsAreUtf16UnitsNotCodePointsOrBytes() {
        // "😀" is 2 UTF-16 units, 1 code point, 4 UTF-8 bytes: only UTF-16 offsets put "x" at 3.
        String text = "\uD83D\uDE00 x \u00E9t\u00E9";
        Encoding encoding = tokenizer.encode(text);
        int x = Arrays.asList(encoding.tokens()).indexOf("x");
        assertEquals(3, encoding.charStart()[x]);
        assertEquals(4, encoding.charEnd()[x]);
        int et = Arrays.asList(encoding.tokens()).indexOf("et"); // "été" is "et", "##e"
        assertEquals("##e", encoding.tokens()[et + 1]);
        assertEquals("\u00E9t\u00E9", text.substring(encoding.charStart()[et], encoding.charEnd()[et + 1]));
    }

    @Test
    void eachCjkCharacterIsItsOwnToken() {
        String text = "中文字东京";
        Encoding encoding = tokenizer.encode(text, false);
        assertEquals(text.length(), encoding.length());
        for (int i = 0; i < text.length(); i++) {
            assertEquals(i, encoding.charStart()[i]);
            assertEquals(i + 1, encoding.charEnd()[i]);
        }
    }

    @Test
    void accentsAreStrippedButSpansCoverTheAccentedOriginal() {
        String composed = "caf\u00E9";
        String decomposed = "cafe\u0301";
        Encoding a = tokenizer.encode(composed, false);
        Encoding b = tokenizer.encode(decomposed, false);
        assertArrayEquals(new String[] {"cafe"}, a.tokens());
        assertArrayEquals(a.ids(), b.ids());
        assertEquals(4, a.charEnd()[0]);
        // HuggingFace leaves a combining accent that ends a word out of the span (an inner one,
        // as in "e\u0301cole", stays in): the span is "cafe", which still slices the original.
        assertEquals(4, b.charEnd()[0]);
        Encoding inner = tokenizer.encode("e\u0301cole", false);
        assertEquals(0, inner.charStart()[0]);
        assertEquals(6, inner.charEnd()[0]);
    }

    @Test
    void loneSurrogatesDoNotShiftLaterOffsets() {
        // An unpaired surrogate would otherwise cross JNI as three U+FFFD and move "x" right by 2.
        for (String text : new String[] {"ab\uD800cd x", "ab\uDC00 x", "x\uD83D", "\uDE00x y"}) {
            Encoding encoding = tokenizer.encode(text);
            OffsetChecks.assertSpansMatchTokens(encoding, new String[] {text}, verbatim);
            int x = Arrays.asList(encoding.tokens()).indexOf("x");
            assertEquals("x", text.substring(encoding.charStart()[x], encoding.charEnd()[x]), text);
        }
    }

    @Test
    void pairOffsetsIndexTheirOwnText() {
        String question = "Où est l'\uD83D\uDE00 café?";
        String context = "Le \uD83D\uDE00 café est à côté de l\u2019école.";
        Encoding encoding = tokenizer.encodePair(question, context);
        OffsetChecks.assertSpansMatchTokens(encoding, new String[] {question, context}, verbatim);
    }

    @Test
    void squadContextsSliceBack() {
        JsonNode squad = MiniLm.squadDev();
        int checked = 0;
        for (JsonNode article : squad.get("data")) {
            for (JsonNode paragraph : article.get("paragraphs")) {
                if (checked++ % 7 != 0) {
                    continue; // every 7th paragraph keeps the test quick yet covers all articles
                }
                String context = paragraph.get("context").asText();
                String question = paragraph.get("qas").get(0).get("question").asText();
                Encoding encoding = tokenizer.encodePair(question, context);
                OffsetChecks.assertSpansMatchTokens(encoding, new String[] {question, context}, verbatim);
            }
        }
        assertTrue(checked > 1000, "expected the whole SQuAD 2.0 dev set, saw " + checked + " paragraphs");
    }
}
