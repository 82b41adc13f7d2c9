package org.glossa.tasks.translate;

import java.text.Normalizer;

/**
 * The one normalisation every translation text goes through (corpus readers, and whatever is to be
 * translated or scored): invisible format characters removed, Unicode NFC, every run of white space
 * (tabs, no-break spaces included) one space, none at either end.
 *
 * <p>NFC, not NFKC: NFC only makes one spelling of the same character ("e" + combining acute → "é"),
 * whereas NFKC also rewrites characters that carry meaning in our corpora: the Spanish ordinal indicators
 * of "5ª planta" and "70º cumpleaños" become the letters a and o, "¨" becomes a space and a combining
 * diaeresis, "CO₂" becomes "CO2". A translation should come out as the references are written, so we
 * keep them. The only NFKC change we want, no-break space to space, the white-space rule does.
 *
 * <p>Format characters (Unicode category Cf: zero-width space, byte-order mark, soft hyphen, direction
 * marks) are invisible and only split words for a tokenizer (a line of spa.txt has two U+200B before
 * "fue"); the price is that scripts needing a zero-width joiner lose it, which none of our languages do.
 */
public final class TextNormalizer {
    private TextNormalizer() {}

    public static String normalize(String text) {
        StringBuilder visible = new StringBuilder(text.length());
        text.codePoints().filter(c -> Character.getType(c) != Character.FORMAT).forEach(visible::appendCodePoint);
        String composed = Normalizer.normalize(visible, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(composed.length());
        boolean pendingSpace = false;
        for (int i = 0; i < composed.length(); i++) {
            char c = composed.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }
}
