package org.glossa.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.Normalizer;
import java.util.Set;

/**
 * The key property of offsets: slicing the original Java string with a token's (charStart,
 * charEnd) gives the text the token was made from. Checked independently of the tokenizer by
 * applying BERT-uncased normalization to the slice and comparing with the token's surface.
 */
final class OffsetChecks {

    private OffsetChecks() {
    }

    /**
     * What BertNormalizer (uncased) does to text, written from its definition: drop NUL, U+FFFD and
     * "other" characters (Cc, Cf, Cn, Co) except tab/newline/carriage return; NFD and drop
     * non-spacing marks (strip accents); lower-case character by character.
     */
    static String bertUncased(String text) {
        StringBuilder cleaned = new StringBuilder();
        text.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean other = type == Character.CONTROL || type == Character.FORMAT
                    || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
                    || type == Character.SURROGATE;
            boolean keptControl = cp == '\t' || cp == '\n' || cp == '\r';
            if (cp != 0 && cp != 0xFFFD && (!other || keptControl)) {
                cleaned.appendCodePoint(cp);
            }
        });
        StringBuilder result = new StringBuilder();
        Normalizer.normalize(cleaned, Normalizer.Form.NFD).codePoints()
                .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                .forEach(cp -> result.appendCodePoint(Character.toLowerCase(cp)));
        return result.toString();
    }

    /**
     * For every token taken from the texts: the span lies inside its text, does not cut a
     * surrogate pair, and its normalized slice equals the token's surface (tokens that share one
     * span, as the jamo of one Hangul syllable do, are compared together); [UNK] covers a
     * non-empty run without whitespace; added tokens such as [CLS] typed in the text match verbatim.
     */
    static void assertSpansMatchTokens(Encoding encoding, String[] texts, Set<String> verbatim) {
        int i = 0;
        while (i < encoding.length()) {
            int sequence = encoding.sequenceIds()[i];
            if (sequence < 0) {
                assertEquals(0, encoding.charStart()[i], "special token start");
                assertEquals(0, encoding.charEnd()[i], "special token end");
                i++;
                continue;
            }
            String text = texts[sequence];
            int start = encoding.charStart()[i];
            int end = encoding.charEnd()[i];
            String where = "token " + i + " '" + encoding.tokens()[i] + "' span " + start + ".." + end
                    + " of \"" + text + "\"";
            assertTrue(0 <= start && start < end && end <= text.length(), where + ": span out of range");
            assertFalse(cutsSurrogatePair(text, start) || cutsSurrogatePair(text, end),
                    where + ": span cuts a surrogate pair");
            String slice = text.substring(start, end);
            // Group the tokens that share this exact span.
            StringBuilder surface = new StringBuilder();
            int j = i;
            while (j < encoding.length() && encoding.sequenceIds()[j] == sequence
                    && encoding.charStart()[j] == start && encoding.charEnd()[j] == end) {
                surface.append(stripContinuation(encoding.tokens()[j]));
                j++;
            }
            String token = encoding.tokens()[i];
            if (token.equals("[UNK]")) {
                assertFalse(bertUncased(slice).isEmpty(), where + ": [UNK] of nothing");
                assertTrue(slice.strip().equals(slice) && slice.codePoints().noneMatch(Character::isWhitespace),
                        where + ": [UNK] spans whitespace");
            } else if (verbatim.contains(token)) {
                assertEquals(token, slice, where);
            } else {
                assertEquals(surface.toString(), bertUncased(slice), where);
            }
            i = j;
        }
    }

    private static boolean cutsSurrogatePair(String text, int index) {
        return index > 0 && index < text.length() && Character.isHighSurrogate(text.charAt(index - 1))
                && Character.isLowSurrogate(text.charAt(index));
    }

    private static String stripContinuation(String token) {
        return token.startsWith("##") ? token.substring(2) : token;
    }
}
