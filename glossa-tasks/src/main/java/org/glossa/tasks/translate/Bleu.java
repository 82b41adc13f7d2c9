package org.glossa.tasks.translate;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.glossa.core.GlossaException;

/**
 * Corpus BLEU (Papineni et al., 2002), as sacreBLEU computes it, with two presets:
 *
 * <ul>
 *   <li>{@link #sacreBleu()}: sacreBLEU's default ({@code sacrebleu.BLEU()}, signature
 *       {@code nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp}): detokenised text tokenised as mteval-v13a.pl
 *       does, case kept, 'exp' smoothing.</li>
 *   <li>{@link #tokenizedLowercase()}: the figure Multi30k papers and tutorials report, multi-bleu.perl
 *       {@code -lc} over tokenised text: lower-cased, tokenised (here by the same 13a rules), no smoothing.
 *       Papers tokenise with Moses' tokenizer.perl; on Multi30k's English the two differ only where Moses
 *       splits an apostrophe ("man 's"), 18 of the 1,000 test references, so the figures are comparable
 *       to about a tenth of a point.</li>
 * </ul>
 *
 * <p>The statistics: per sentence, the hypothesis n-grams (n = 1…4) are counted, each clipped to its
 * largest count in any one reference, and the reference length is that of the reference closest in length
 * to the hypothesis (the shorter on a tie); the corpus sums them. BLEU = BP · exp(mean log p_n), with
 * p_n = matches / hypothesis n-grams and BP = exp(1 − ref/hyp) when the hypotheses are shorter. Smoothing
 * 'exp' (mteval's, Chen and Cherry's method 3) replaces the k-th zero p_n by 1 / (2^k · total); 'none'
 * leaves it 0, which makes BLEU 0. Scores are on sacreBLEU's 0–100 scale.
 */
public final class Bleu {
    public static final int MAX_ORDER = 4;

    /** How sentences are cut into tokens before counting n-grams. */
    public enum Tokenization {
        /** mteval-v13a.pl's rules, sacreBLEU's "13a" (punctuation split off, except inside numbers). */
        THIRTEEN_A("13a"),
        /** White space only: the text is tokenised already (multi-bleu.perl, sacreBLEU's "none"). */
        NONE("none");

        private final String signature;

        Tokenization(String signature) {
            this.signature = signature;
        }
    }

    /** What replaces a zero n-gram precision. */
    public enum Smoothing {
        /** sacreBLEU's default: the k-th zero precision becomes 1 / (2^k · total). */
        EXP,
        /** None: one zero precision makes BLEU 0 (multi-bleu.perl). */
        NONE
    }

    public record Options(Tokenization tokenization, boolean lowercase, Smoothing smoothing) {}

    /**
     * The statistics and the score.
     *
     * @param score BLEU, 0–100
     * @param matches clipped n-gram matches, n = 1…4
     * @param totals hypothesis n-grams, n = 1…4
     * @param precisions p_n in percent (after smoothing)
     */
    public record Score(double score, long[] matches, long[] totals, double[] precisions, double brevityPenalty,
                        long hypothesisLength, long referenceLength, String signature) {
        /** sacreBLEU's line, e.g. {@code BLEU = 48.89 85.7/66.7/40.0/25.0 (BP = 1.000 ratio = 1.000 hyp_len = 7 ref_len = 7)}. */
        @Override
        public String toString() {
            double ratio = referenceLength == 0 ? 0 : (double) hypothesisLength / referenceLength;
            return String.format(Locale.ROOT, "BLEU = %.2f %.1f/%.1f/%.1f/%.1f (BP = %.3f ratio = %.3f hyp_len = %d"
                            + " ref_len = %d)", score, precisions[0], precisions[1], precisions[2], precisions[3],
                    brevityPenalty, ratio, hypothesisLength, referenceLength);
        }
    }

    private final Options options;

    public Bleu(Options options) {
        this.options = options;
    }

    /** sacreBLEU's default BLEU: 13a tokenisation, case-sensitive, 'exp' smoothing. */
    public static Bleu sacreBleu() {
        return new Bleu(new Options(Tokenization.THIRTEEN_A, false, Smoothing.EXP));
    }

    /** Multi30k papers' BLEU: lower-cased, tokenised (13a), no smoothing, as multi-bleu.perl -lc. */
    public static Bleu tokenizedLowercase() {
        return new Bleu(new Options(Tokenization.THIRTEEN_A, true, Smoothing.NONE));
    }

    /** Corpus BLEU of hypotheses against one reference each. */
    public Score score(List<String> hypotheses, List<String> references) {
        return scoreMulti(hypotheses, references.stream().map(List::of).toList());
    }

    /** Corpus BLEU of hypotheses against one or more references each ({@code references.get(i)} for sentence i). */
    public Score scoreMulti(List<String> hypotheses, List<List<String>> references) {
        if (hypotheses.size() != references.size()) {
            throw new GlossaException(hypotheses.size() + " hypotheses but " + references.size()
                    + " reference sets: there must be one per hypothesis");
        }
        long[] matches = new long[MAX_ORDER];
        long[] totals = new long[MAX_ORDER];
        long hypothesisLength = 0;
        long referenceLength = 0;
        int referenceCount = -1;
        for (int s = 0; s < hypotheses.size(); s++) {
            List<String> sentenceReferences = references.get(s);
            if (sentenceReferences.isEmpty()) {
                throw new GlossaException("sentence " + (s + 1) + " has no reference");
            }
            referenceCount = referenceCount == -1 || referenceCount == sentenceReferences.size()
                    ? sentenceReferences.size() : 0;
            // The most times each n-gram occurs in any one reference, and the reference lengths.
            Map<String, Integer> referenceNgrams = new HashMap<>();
            int[] referenceLengths = new int[sentenceReferences.size()];
            for (int r = 0; r < referenceLengths.length; r++) {
                String[] tokens = tokens(sentenceReferences.get(r));
                referenceLengths[r] = tokens.length;
                ngramCounts(tokens).forEach((ngram, count) -> referenceNgrams.merge(ngram, count, Math::max));
            }
            String[] hypothesis = tokens(hypotheses.get(s));
            hypothesisLength += hypothesis.length;
            referenceLength += closestLength(hypothesis.length, referenceLengths);
            for (Map.Entry<String, Integer> entry : ngramCounts(hypothesis).entrySet()) {
                int order = order(entry.getKey());
                totals[order - 1] += entry.getValue();
                matches[order - 1] += Math.min(entry.getValue(), referenceNgrams.getOrDefault(entry.getKey(), 0));
            }
        }
        return compute(matches, totals, hypothesisLength, referenceLength, referenceCount);
    }

    /** BLEU from summed statistics, as sacreBLEU's compute_bleu (effective order off). */
    private Score compute(long[] matches, long[] totals, long hypothesisLength, long referenceLength,
                          int referenceCount) {
        double brevityPenalty = 1;
        if (hypothesisLength < referenceLength) {
            brevityPenalty = hypothesisLength > 0 ? Math.exp(1 - (double) referenceLength / hypothesisLength) : 0;
        }
        double[] precisions = new double[MAX_ORDER];
        String signature = signature(referenceCount);
        boolean anyMatch = false;
        for (long m : matches) {
            anyMatch |= m > 0;
        }
        if (!anyMatch) {
            return new Score(0, matches, totals, precisions, brevityPenalty, hypothesisLength, referenceLength,
                    signature);
        }
        double smoothing = 1;
        for (int n = 0; n < MAX_ORDER; n++) {
            if (totals[n] == 0) {
                break; // no hypothesis is that long: this and higher precisions stay 0
            }
            if (matches[n] > 0) {
                precisions[n] = 100.0 * matches[n] / totals[n];
            } else if (options.smoothing() == Smoothing.EXP) {
                smoothing *= 2;
                precisions[n] = 100.0 / (smoothing * totals[n]);
            }
        }
        double logSum = 0;
        for (double p : precisions) {
            logSum += p == 0 ? -9_999_999_999.0 : Math.log(p); // sacreBLEU's floor for log 0
        }
        double score = brevityPenalty * Math.exp(logSum / MAX_ORDER);
        return new Score(score, matches, totals, precisions, brevityPenalty, hypothesisLength, referenceLength,
                signature);
    }

    /** sacreBLEU's signature without its version; nrefs:var when sentences have different numbers of references. */
    private String signature(int referenceCount) {
        return "nrefs:" + (referenceCount > 0 ? String.valueOf(referenceCount) : "var") + "|case:"
                + (options.lowercase() ? "lc" : "mixed") + "|eff:no|tok:" + options.tokenization().signature
                + "|smooth:" + options.smoothing().name().toLowerCase(Locale.ROOT);
    }

    /** Of the reference lengths, the closest to the hypothesis length; the shorter on a tie. */
    private static int closestLength(int hypothesisLength, int[] referenceLengths) {
        int best = referenceLengths[0];
        for (int length : referenceLengths) {
            int diff = Math.abs(hypothesisLength - length);
            int bestDiff = Math.abs(hypothesisLength - best);
            if (diff < bestDiff || (diff == bestDiff && length < best)) {
                best = length;
            }
        }
        return best;
    }

    /** n-grams of orders 1…4 as "n|w1 w2 …" keys (tokens hold no white space, so keys are unambiguous). */
    private static Map<String, Integer> ngramCounts(String[] tokens) {
        Map<String, Integer> counts = new HashMap<>();
        for (int n = 1; n <= MAX_ORDER; n++) {
            for (int i = 0; i + n <= tokens.length; i++) {
                StringBuilder key = new StringBuilder().append(n).append('|').append(tokens[i]);
                for (int k = i + 1; k < i + n; k++) {
                    key.append(' ').append(tokens[k]);
                }
                counts.merge(key.toString(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static int order(String ngramKey) {
        return ngramKey.charAt(0) - '0';
    }

    /** The tokens BLEU counts: lower-cased if asked, trailing white space dropped, then tokenised. */
    String[] tokens(String sentence) {
        String text = options.lowercase() ? sentence.toLowerCase(Locale.ROOT) : sentence;
        text = stripTrailing(text);
        if (options.tokenization() == Tokenization.THIRTEEN_A) {
            text = tokenize13a(text);
        }
        return splitOnWhiteSpace(text);
    }

    // ---- mteval-v13a tokenisation ----

    /** ASCII symbols split off everywhere: { | } ~ [ \ ] ^ _ ` space ! " # $ % & ( ) * + : ; < = > ? @ / */
    private static final Pattern SYMBOL = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
    private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
    private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    /**
     * The mteval-v13a.pl tokenisation as sacreBLEU's "13a" applies it: {@code <skipped>} removed, a
     * hyphen at a line end joined, the four XML entities unescaped, the ASCII symbols above split off,
     * periods and commas split off unless between digits (1,000.50 stays whole), a dash after a digit split
     * off; tokens joined by single spaces. Letters outside ASCII and other punctuation (¿ « — ’) stay
     * attached, as in mteval.
     */
    public static String tokenize13a(String line) {
        String text = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
        if (text.indexOf('&') >= 0) {
            text = text.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        }
        text = " " + text + " ";
        text = SYMBOL.matcher(text).replaceAll(" $1 ");
        text = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(text).replaceAll("$1 $2 ");
        text = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(text).replaceAll(" $1 $2");
        text = DASH_AFTER_DIGIT.matcher(text).replaceAll("$1 $2 ");
        return String.join(" ", splitOnWhiteSpace(text));
    }

    /** Python's str.split(): runs of white space as Python's str.isspace() defines it. */
    private static String[] splitOnWhiteSpace(String text) {
        List<String> tokens = new java.util.ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean space = i == text.length() || isPythonSpace(text.charAt(i));
            if (space && start >= 0) {
                tokens.add(text.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return tokens.toArray(String[]::new);
    }

    private static String stripTrailing(String text) {
        int end = text.length();
        while (end > 0 && isPythonSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** Python's white space: Java's, plus the no-break spaces (U+00A0, U+2007, U+202F) and NEL (U+0085). */
    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F' || c == '\u0085';
    }
}
