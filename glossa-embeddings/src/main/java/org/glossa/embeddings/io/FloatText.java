package org.glossa.embeddings.io;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Decimal text of float32 values, both ways, without garbage in the common case.
 *
 * <p>Parsing gives exactly {@link Float#parseFloat}'s result (the correctly rounded float); formatting
 * writes the shortest decimal that reads back as the same float, choosing the closest one when several
 * are equally short, laid out as numpy's {@code repr(np.float32)} does (which is what gensim writes):
 * positional for 1e-4 ≤ |x| &lt; 1e16 ({@code 0.1}, {@code 16777216.0}), scientific otherwise
 * ({@code 1e-05}, {@code 3.4028235e+38}), {@code nan}, {@code inf}.
 */
final class FloatText {
    private FloatText() {}

    /** 10^0 … 10^22: every one is exact in a double, so one multiplication or division rounds correctly. */
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    /** Thrown (preallocated, no stack) when a token is not a number; callers turn it into a located message. */
    static final class NotANumber extends Exception {
        static final NotANumber INSTANCE = new NotANumber();

        private NotANumber() {
            super(null, null, false, false);
        }
    }

    /**
     * Parses {@code bytes[from, to)} (ASCII) as a float: an optional sign, digits with an optional point,
     * an optional exponent, or nan/inf/infinity in any case.
     */
    static float parse(byte[] bytes, int from, int to) throws NotANumber {
        int i = from;
        if (i >= to) {
            throw NotANumber.INSTANCE;
        }
        boolean negative = false;
        if (bytes[i] == '-' || bytes[i] == '+') {
            negative = bytes[i] == '-';
            i++;
        }
        long mantissa = 0;
        int significant = 0; // digits accumulated in mantissa (leading zeros excluded)
        int dropped = 0; // significant digits beyond 19 that did not fit
        int exponent = 0; // power of ten to apply to mantissa
        boolean anyDigit = false;
        for (; i < to && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
            anyDigit = true;
            int digit = bytes[i] - '0';
            if (significant < 19) {
                if (significant > 0 || digit != 0) {
                    mantissa = mantissa * 10 + digit;
                    significant++;
                }
            } else {
                dropped++;
                exponent++;
            }
        }
        if (i < to && bytes[i] == '.') {
            i++;
            for (; i < to && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
                anyDigit = true;
                int digit = bytes[i] - '0';
                if (significant < 19) {
                    if (significant > 0 || digit != 0) {
                        mantissa = mantissa * 10 + digit;
                        significant++;
                    }
                    exponent--;
                } else {
                    dropped++;
                }
            }
        }
        if (!anyDigit) {
            return parseWord(bytes, from, to);
        }
        if (i < to && (bytes[i] == 'e' || bytes[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
                negativeExponent = bytes[i] == '-';
                i++;
            }
            if (i >= to) {
                throw NotANumber.INSTANCE;
            }
            int e = 0;
            for (; i < to && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
                e = Math.min(e * 10 + (bytes[i] - '0'), 100_000);
            }
            exponent += negativeExponent ? -e : e;
        }
        if (i != to) {
            throw NotANumber.INSTANCE;
        }
        if (mantissa == 0) {
            return negative ? -0.0f : 0.0f;
        }
        if (dropped == 0 && mantissa < (1L << 53) && exponent >= -22 && exponent <= 22) {
            // Clinger's fast path: both operands exact, so the double is the correctly rounded value.
            double value = exponent >= 0 ? mantissa * POW10[exponent] : mantissa / POW10[-exponent];
            if (!needsExactRounding(value)) {
                float f = (float) value;
                return negative ? -f : f;
            }
        }
        return Float.parseFloat(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1));
    }

    /**
     * Whether rounding a correctly rounded double to float could differ from rounding the exact decimal:
     * only when the double lies exactly halfway between two floats, or outside the normal float range.
     */
    private static boolean needsExactRounding(double value) {
        if (value < 0x1.0p-125 || value > 0x1.fffffep127) {
            return true;
        }
        long low29 = Double.doubleToRawLongBits(value) & ((1L << 29) - 1);
        return low29 == (1L << 28);
    }

    private static float parseWord(byte[] bytes, int from, int to) throws NotANumber {
        int i = from;
        boolean negative = false;
        if (bytes[i] == '-' || bytes[i] == '+') {
            negative = bytes[i] == '-';
            i++;
        }
        String word = new String(bytes, i, to - i, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        return switch (word) {
            case "nan" -> Float.NaN;
            case "inf", "infinity" -> negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
            default -> throw NotANumber.INSTANCE;
        };
    }

    /** Appends numpy's repr of {@code value} to {@code out} at {@code at}; returns the new end. Needs 16 bytes. */
    static int format(float value, byte[] out, int at) {
        if (Float.isNaN(value)) {
            return ascii("nan", out, at);
        }
        if (Float.isInfinite(value)) {
            return ascii(value > 0 ? "inf" : "-inf", out, at);
        }
        if (Float.floatToRawIntBits(value) < 0) {
            out[at++] = '-';
            value = -value;
        }
        if (value == 0) {
            return ascii("0.0", out, at);
        }
        long digits;
        int pointExponent; // value = digits × 10^pointExponent
        long shortest = shortestFast(value);
        if (shortest != NO_FAST_RESULT) {
            digits = shortest >> 8;
            pointExponent = (int) (byte) shortest;
        } else {
            BigDecimal exact = shortestExact(value);
            digits = exact.unscaledValue().longValueExact();
            pointExponent = -exact.scale();
        }
        while (digits % 10 == 0) {
            digits /= 10;
            pointExponent++;
        }
        int count = digitCount(digits);
        // numpy switches to scientific notation outside [1e-4, 1e16), comparing the float's exact value.
        boolean positional = value >= 1e-4 && value < 1e16;
        if (positional) {
            return positional(digits, count, pointExponent, out, at);
        }
        return scientific(digits, count, pointExponent + count - 1, out, at);
    }

    private static final long NO_FAST_RESULT = Long.MIN_VALUE;

    /**
     * The shortest round-tripping digits of positive finite {@code value}, found with double arithmetic:
     * with p significant digits, the two decimals that bracket the value are the only candidates, and
     * whether one of them reads back as {@code value} only ever turns from no to yes as p grows (a
     * p-digit decimal is also a (p+1)-digit one), so p is found by bisection over 1…9; the closer of the
     * bracketing decimals that read back wins. Packs digits (high bits) and the power of ten (low byte);
     * {@link #NO_FAST_RESULT} when double arithmetic cannot decide exactly.
     */
    private static long shortestFast(float value) {
        double d = value;
        // d in [10^k, 10^(k+1)): estimated from the binary exponent (off by one at most), then corrected.
        int k = (int) Math.floor(Math.getExponent(d) * 0.30102999566398120);
        if (k - 8 < -22 || k > 21) {
            return NO_FAST_RESULT;
        }
        if (k >= 0 ? d < POW10[k] : d * POW10[-k] < 1) {
            k--;
        } else if (k + 1 >= 0 ? d >= POW10[k + 1] : d * POW10[-(k + 1)] >= 1) {
            k++;
        }
        int low = 1;
        int high = 9;
        long found = NO_FAST_RESULT;
        while (low <= high) {
            int p = (low + high) >>> 1;
            long result = probe(d, k, p, value);
            if (result == UNSURE) {
                return NO_FAST_RESULT;
            }
            if (result != NONE) {
                found = result;
                high = p - 1;
            } else {
                low = p + 1;
            }
        }
        return found;
    }

    private static final long NONE = Long.MIN_VALUE + 1;
    private static final long UNSURE = Long.MIN_VALUE + 2;

    /** The best p-digit decimal for {@code value} (packed as in shortestFast), NONE if none reads back, or UNSURE. */
    private static long probe(double d, int k, int p, float value) {
        int n = p - 1 - k; // scaled = d × 10^n lies in [10^(p-1), 10^p)
        if (n > 22 || n < -22) {
            return UNSURE;
        }
        double scaled = n >= 0 ? d * POW10[n] : d / POW10[-n];
        long below = (long) Math.floor(scaled);
        boolean belowOk = readsBackAs(below, -n, value);
        boolean aboveOk = readsBackAs(below + 1, -n, value);
        if (!belowOk && !aboveOk) {
            return NONE;
        }
        long chosen;
        if (belowOk && aboveOk) {
            double fraction = scaled - below;
            // scaled carries at most 1.2e-16 relative error (< 1.2e-7 absolute below 10^9): decide only when clear.
            if (Math.abs(fraction - 0.5) < 1e-6) {
                return UNSURE;
            }
            chosen = fraction < 0.5 ? below : below + 1;
        } else {
            chosen = belowOk ? below : below + 1;
        }
        return (chosen << 8) | ((-n) & 0xFF);
    }

    /** Whether digits × 10^exponent reads back as {@code target}; an unsure case answers false. */
    private static boolean readsBackAs(long digits, int exponent, float target) {
        if (digits <= 0) {
            return false;
        }
        double value = exponent >= 0 ? digits * POW10[exponent] : digits / POW10[-exponent];
        if (needsExactRounding(value)) {
            return Float.parseFloat(digits + "E" + exponent) == target;
        }
        return (float) value == target;
    }

    /** The same choice as {@link #shortestFast} in exact decimal arithmetic (rare values, extreme exponents). */
    private static BigDecimal shortestExact(float value) {
        BigDecimal exact = new BigDecimal(value);
        for (int p = 1; p <= 9; p++) {
            var context = new java.math.MathContext(p, RoundingMode.FLOOR);
            BigDecimal below = exact.round(context);
            BigDecimal above = exact.round(new java.math.MathContext(p, RoundingMode.CEILING));
            boolean belowOk = below.signum() > 0 && below.floatValue() == value;
            boolean aboveOk = above.floatValue() == value;
            if (belowOk && aboveOk) {
                int order = exact.subtract(below).compareTo(above.subtract(exact));
                if (order == 0) { // an exact tie: keep the even last digit
                    return below.unscaledValue().testBit(0) ? above : below;
                }
                return order < 0 ? below : above;
            }
            if (belowOk) {
                return below;
            }
            if (aboveOk) {
                return above;
            }
        }
        return exact.round(new java.math.MathContext(9, RoundingMode.HALF_EVEN));
    }

    private static int positional(long digits, int count, int pointExponent, byte[] out, int at) {
        if (pointExponent >= 0) { // an integer: digits, zeros, ".0"
            at = writeDigits(digits, count, out, at);
            for (int i = 0; i < pointExponent; i++) {
                out[at++] = '0';
            }
            out[at++] = '.';
            out[at++] = '0';
            return at;
        }
        int fractionDigits = -pointExponent;
        if (fractionDigits >= count) { // 0.000ddd
            out[at++] = '0';
            out[at++] = '.';
            for (int i = count; i < fractionDigits; i++) {
                out[at++] = '0';
            }
            return writeDigits(digits, count, out, at);
        }
        int start = at;
        at = writeDigits(digits, count, out, at);
        // Open a gap for the point inside the digits.
        int pointAt = start + count - fractionDigits;
        System.arraycopy(out, pointAt, out, pointAt + 1, fractionDigits);
        out[pointAt] = '.';
        return at + 1;
    }

    private static int scientific(long digits, int count, int exponent10, byte[] out, int at) {
        int start = at;
        at = writeDigits(digits, count, out, at);
        if (count > 1) {
            System.arraycopy(out, start + 1, out, start + 2, count - 1);
            out[start + 1] = '.';
            at++;
        }
        out[at++] = 'e';
        out[at++] = (byte) (exponent10 < 0 ? '-' : '+');
        int e = Math.abs(exponent10);
        if (e < 10) {
            out[at++] = '0';
        }
        return writeDigits(e, digitCount(e), out, at);
    }

    private static int writeDigits(long digits, int count, byte[] out, int at) {
        for (int i = count - 1; i >= 0; i--) {
            out[at + i] = (byte) ('0' + digits % 10);
            digits /= 10;
        }
        return at + count;
    }

    private static int digitCount(long n) {
        int count = 1;
        while (n >= 10) {
            n /= 10;
            count++;
        }
        return count;
    }

    private static int ascii(String s, byte[] out, int at) {
        for (int i = 0; i < s.length(); i++) {
            out[at++] = (byte) s.charAt(i);
        }
        return at;
    }

    /** {@link #format} as a String (tests, messages). */
    static String toString(float value) {
        byte[] buffer = new byte[24];
        int end = format(value, buffer, 0);
        return new String(buffer, 0, end, StandardCharsets.ISO_8859_1);
    }
}
