package org.glossa.text.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts text into the words that our subword models segment, exactly as HuggingFace tokenizers does
 * with the pipeline this class also writes into tokenizer.json: the {@code NFC} normalizer, then the
 * pre-tokenizers {@code Metaspace} (replacement ▁, prepend_scheme "always", split) and
 * {@code Punctuation} (behavior "Isolated").
 *
 * <ol>
 *   <li>The text is put in Unicode NFC.</li>
 *   <li>Every space becomes ▁ (U+2581), a ▁ is put in front unless the text starts with one, and each
 *       ▁ starts a new word: {@code "Hola, ¿qué tal?"} → {@code ▁Hola,} {@code ▁¿qué} {@code ▁tal?}.</li>
 *   <li>Every punctuation character becomes a word of its own: {@code ▁Hola} {@code ,} {@code ▁}
 *       {@code ¿} {@code qué} {@code ▁tal} {@code ?}.</li>
 * </ol>
 *
 * <p>Why this scheme for translation: the ▁ marker keeps every space inside the tokens, so decoding
 * (concatenate, ▁ → space, drop the first ▁) gives back the text exactly, punctuation included; an
 * end-of-word marker with punctuation split off cannot tell "world." from "world ." on the way back.
 * Punctuation standing alone keeps "world", "world." and "world," one word for the statistics. The
 * symbols are characters, not bytes, so an accented letter is one readable symbol (é, ñ, ß), not two
 * byte symbols, which matters when tokens label attention pictures; the price is that a character
 * never seen in training becomes [UNK].
 */
public final class WordSplitter {
    /** The word-start marker, U+2581 LOWER ONE EIGHTH BLOCK, as SentencePiece and HF's Metaspace use it. */
    public static final char MARKER = '\u2581';
    static final String MARKER_STRING = String.valueOf(MARKER);

    private WordSplitter() {}

    /** The words of a text (no special tokens in it), in order; none for the empty text. */
    public static List<String> words(String text) {
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFC);
        List<String> words = new ArrayList<>();
        if (normalized.isEmpty()) {
            return words; // HF's prepend does nothing on an empty string: no tokens at all
        }
        String marked = normalized.replace(' ', MARKER);
        if (marked.charAt(0) != MARKER) {
            marked = MARKER + marked;
        }
        int wordStart = 0;
        for (int i = 1; i <= marked.length(); i++) {
            if (i == marked.length() || marked.charAt(i) == MARKER) {
                isolatePunctuation(marked.substring(wordStart, i), words);
                wordStart = i;
            }
        }
        return words;
    }

    /** Adds the pieces of a ▁-word to {@code out}: each punctuation character alone, the runs between them. */
    private static void isolatePunctuation(String word, List<String> out) {
        int runStart = 0;
        for (int i = 0; i < word.length(); ) {
            int codePoint = word.codePointAt(i);
            int next = i + Character.charCount(codePoint);
            if (isPunctuation(codePoint)) {
                if (i > runStart) {
                    out.add(word.substring(runStart, i));
                }
                out.add(word.substring(i, next));
                runStart = next;
            }
            i = next;
        }
        if (runStart < word.length()) {
            out.add(word.substring(runStart));
        }
    }

    /**
     * HF's punctuation test: ASCII punctuation (which includes symbols such as $ + < = > ^ ` | ~) or a
     * Unicode punctuation category (Pc, Pd, Ps, Pe, Pi, Pf, Po).
     */
    public static boolean isPunctuation(int codePoint) {
        if (codePoint < 128) {
            return (codePoint >= '!' && codePoint <= '/') || (codePoint >= ':' && codePoint <= '@')
                    || (codePoint >= '[' && codePoint <= '`') || (codePoint >= '{' && codePoint <= '~');
        }
        return switch (Character.getType(codePoint)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /**
     * Tokens back to text as HF's Metaspace decoder does: concatenated, ▁ read as a space, except in
     * the first token, where ▁ is dropped (it was the prepended one).
     */
    public static String join(List<String> tokens) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (i == 0) {
                text.append(token.replace(MARKER_STRING, ""));
            } else {
                text.append(token.replace(MARKER, ' '));
            }
        }
        return text.toString();
    }

    // ---- tokenizer.json parts ----

    static ObjectNode normalizerJson() {
        return JsonNodeFactory.instance.objectNode().put("type", "NFC");
    }

    static ObjectNode preTokenizerJson() {
        ObjectNode sequence = JsonNodeFactory.instance.objectNode().put("type", "Sequence");
        sequence.putArray("pretokenizers").add(metaspaceJson())
                .add(JsonNodeFactory.instance.objectNode().put("type", "Punctuation").put("behavior", "Isolated"));
        return sequence;
    }

    static ObjectNode decoderJson() {
        return metaspaceJson();
    }

    private static ObjectNode metaspaceJson() {
        return JsonNodeFactory.instance.objectNode().put("type", "Metaspace").put("replacement", MARKER_STRING)
                .put("prepend_scheme", "always").put("split", true);
    }
}
