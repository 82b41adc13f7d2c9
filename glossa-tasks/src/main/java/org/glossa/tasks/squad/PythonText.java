package org.glossa.tasks.squad;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few Python string and number semantics that the SQuAD scripts' results depend on, in Java:
 * {@code str.isspace()}, {@code str.split()}, {@code str.lstrip()}, the regex word character of
 * {@code re.UNICODE}, and {@code repr(float)} (json.dumps writes floats with it).
 */
final class PythonText {
    private PythonText() {}

    /**
     * Python's {@code str.isspace()} for one code point: the Unicode separators (Zs, Zl, Zp) and the
     * control characters \t \n \v \f \r, 0x1C-0x1F and 0x85. Unlike Java's isWhitespace it includes the
     * no-break spaces (U+00A0, U+2007, U+202F).
     */
    static boolean isSpace(int codePoint) {
        if (codePoint <= 0x20) {
            return codePoint == 0x20 || (codePoint >= 0x09 && codePoint <= 0x0D) || (codePoint >= 0x1C && codePoint <= 0x1F);
        }
        if (codePoint == 0x85) {
            return true;
        }
        int type = Character.getType(codePoint);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /**
     * A character that {@code \w} matches in a Python 3 str pattern: letters and numbers of any script
     * (Python's {@code isalnum}, which is the Unicode categories L* and N*) and the underscore. Combining
     * marks are not word characters there, unlike in Java's UNICODE_CHARACTER_CLASS.
     */
    static boolean isWordCharacter(int codePoint) {
        if (codePoint == '_') {
            return true;
        }
        return switch (Character.getType(codePoint)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    /** Python's {@code str.lower()}: full Unicode lower-casing, independent of the locale. */
    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    /** Python's {@code str.split()} without arguments: the runs of non-space characters. */
    static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (isSpace(codePoint)) {
                if (start >= 0) {
                    parts.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(codePoint);
        }
        if (start >= 0) {
            parts.add(text.substring(start));
        }
        return parts;
    }

    /** Python's {@code str.lstrip()} without arguments. */
    static String lstrip(String text) {
        int i = 0;
        while (i < text.length() && isSpace(text.codePointAt(i))) {
            i += Character.charCount(text.codePointAt(i));
        }
        return text.substring(i);
    }

    /**
     * Python's {@code repr(float)}: the shortest decimal that reads back as the same double, written in
     * positional notation when its exponent is in [-4, 16) ("0.0001", "78.74227238271709", "1e+16").
     * Java 17's Double.toString is not always the shortest, so the digits are searched for here.
     */
    static String formatFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";   // json.dumps writes NaN and Infinity bare, as here
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = null;
        for (int digits = 1; digits <= 17; digits++) {
            String candidate = String.format(Locale.ROOT, "%." + (digits - 1) + "e", value);
            if (Double.parseDouble(candidate) == value) {
                shortest = new BigDecimal(candidate);
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        // value = 0.d1d2d3... * 10^pointPosition
        int pointPosition = digits.length() - shortest.scale();
        int exponent = pointPosition - 1;  // of the scientific form d1.d2d3...
        StringBuilder text = new StringBuilder(value < 0 ? "-" : "");
        if (exponent >= -4 && exponent < 16) {
            if (pointPosition <= 0) {
                text.append("0.").append("0".repeat(-pointPosition)).append(digits);
            } else if (pointPosition >= digits.length()) {
                text.append(digits).append("0".repeat(pointPosition - digits.length())).append(".0");
            } else {
                text.append(digits, 0, pointPosition).append('.').append(digits, pointPosition, digits.length());
            }
        } else {
            text.append(digits.charAt(0));
            if (digits.length() > 1) {
                text.append('.').append(digits, 1, digits.length());
            }
            text.append('e').append(exponent < 0 ? '-' : '+');
            String magnitude = Integer.toString(Math.abs(exponent));
            text.append(magnitude.length() < 2 ? "0" + magnitude : magnitude);
        }
        return text.toString();
    }
}
