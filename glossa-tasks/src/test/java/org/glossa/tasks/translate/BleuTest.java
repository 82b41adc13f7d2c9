package org.glossa.tasks.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * BLEU against hand calculations and against sacreBLEU 2.6.0 itself: its source (mjpost/sacrebleu at
 * commit f615c72) run under python3 with {@code sacrebleu.BLEU(**options).corpus_score(hyps, refs)} and
 * {@code Tokenizer13a()(line)}; the tokenised lower-cased figure also with Moses' multi-bleu.perl -lc on
 * the 13a-tokenised files, which printed the same 79.31. (sacrebleu is not a dependency; the values are
 * recorded here.)
 */
@Tag("unit")
class BleuTest {
    private static final double EXACT = 1e-9;

    @Test
    void oneSentenceByHand() {
        // 13a: "The cat sat on the mat ." vs "The cat is on the mat ." (7 tokens each).
        // 1-grams 6/7 (not "sat"), 2-grams 4/6 (The cat, on the, the mat, mat .), 3-grams 2/5 (on the mat,
        // the mat .), 4-grams 1/4 (on the mat .); equal lengths: BP 1. sacreBLEU prints 48.89.
        Bleu.Score score = Bleu.sacreBleu().score(List.of("The cat sat on the mat."), List.of("The cat is on the mat."));
        assertEquals(100 * Math.pow(6.0 / 7 * 4 / 6 * 2 / 5 * 1 / 4, 0.25), score.score(), EXACT);
        assertArrayEquals(new long[] {6, 4, 2, 1}, score.matches());
        assertArrayEquals(new long[] {7, 6, 5, 4}, score.totals());
        assertEquals("BLEU = 48.89 85.7/66.7/40.0/25.0 (BP = 1.000 ratio = 1.000 hyp_len = 7 ref_len = 7)",
                score.toString());
        assertEquals("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp", score.signature());
    }

    @Test
    void brevityPenaltyByHand() {
        // Every n-gram of the 6-token hypothesis is in the 7-token reference: p_n = 100 %, BP = exp(1 − 7/6).
        Bleu.Score score = Bleu.sacreBleu().score(List.of("the cat sat on the mat"), List.of("the cat sat on the mat today"));
        assertEquals(100 * Math.exp(1 - 7.0 / 6), score.score(), EXACT);
        assertEquals(Math.exp(1 - 7.0 / 6), score.brevityPenalty(), EXACT);
        // No hypothesis words at all: BP 0, BLEU 0.
        Bleu.Score empty = Bleu.sacreBleu().score(List.of(""), List.of("a b c"));
        assertEquals(0, empty.score());
        assertEquals(0, empty.brevityPenalty());
        assertEquals(3, empty.referenceLength());
    }

    @Test
    void expSmoothingAndMultipleReferencesAsSacreBleu() {
        List<String> hypotheses = List.of("the cat sat on a mat", "he read the book quickly", "short");
        List<String> first = List.of("a cat sat on the mat", "he quickly read a book", "a short one");
        List<String> second = List.of("there is a cat on the mat", "the book was read by him", "short");
        List<List<String>> both = List.of(List.of(first.get(0), second.get(0)), List.of(first.get(1), second.get(1)),
                List.of(first.get(2), second.get(2)));
        // No 4-gram matches: 'exp' makes p4 = 100 / (2 · 5) = 10 %, 'none' makes BLEU 0.
        Bleu.Score smoothed = Bleu.sacreBleu().scoreMulti(hypotheses, both);
        assertEquals(26.269098944241588, smoothed.score(), EXACT);
        assertArrayEquals(new long[] {12, 3, 1, 0}, smoothed.matches());
        assertArrayEquals(new long[] {12, 9, 7, 5}, smoothed.totals());
        assertEquals(12, smoothed.referenceLength()); // closest lengths 6, 5 (of 5 and 6: the shorter), 1
        assertEquals("BLEU = 26.27 100.0/33.3/14.3/10.0 (BP = 1.000 ratio = 1.000 hyp_len = 12 ref_len = 12)",
                smoothed.toString());
        assertEquals("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp", smoothed.signature());
        assertEquals(0.0, Bleu.tokenizedLowercase().scoreMulti(hypotheses, both).score());
        Bleu.Score single = Bleu.sacreBleu().score(hypotheses, first);
        assertEquals(19.660420741253294, single.score(), EXACT);
        assertEquals(14, single.referenceLength());
    }

    @Test
    void tokenizesAsSacreBleu13a() {
        // Inputs and sacreBLEU's Tokenizer13a outputs.
        String[][] cases = {
                {"Hello, world! It's 3.14 or 1,000 -- e-mail 5-6 (x) [y] {z} \"q\" a/b @c #d $e %f &amp; &lt;tag&gt;"
                        + " <skipped> x.y,z",
                        "Hello , world ! It's 3.14 or 1,000 -- e-mail 5 - 6 ( x ) [ y ] { z } \" q \" a / b @ c # d $ e"
                                + " % f & < tag > x . y , z"},
                {"Dr. Smith's car costs $1,200.50; really?", "Dr . Smith's car costs $ 1,200.50 ; really ?"},
                {"Ünïcödé café — «quotes» ¿qué? ¡sí! 70º", "Ünïcödé café — «quotes» ¿qué ? ¡sí ! 70º"},
                {"trailing period. a.b 1.5 .5 5. , start,end 3-4-5 -7",
                        "trailing period . a . b 1.5 . 5 5 . , start , end 3 - 4 - 5 -7"},
                {"line-\nbreak and\nnewline", "linebreak and newline"},
                {"a\u00a0b\u2009c  d\te", "a b c d e"},
                {"&quot;quoted&quot; A&amp;B ~tilde^caret_under`tick|pipe\\back",
                        "\" quoted \" A & B ~ tilde ^ caret _ under ` tick | pipe \\ back"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], Bleu.tokenize13a(c[0]), c[0]);
        }
    }

    @Test
    void multi30kReferencesWithEditedHypothesesAsSacreBleuAndMultiBleu() {
        List<String> references = Multi30k.read(SpaEngSplitTest.shared("multi30k"), "test").pairs().stream()
                .map(SentencePair::target).toList();
        List<String> hypotheses = new ArrayList<>();
        List<List<String>> twoReferences = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) {
            hypotheses.add(edited(i, references.get(i)));
            String withoutFirstWord = String.join(" ", Arrays.asList(references.get(i).split(" "))
                    .subList(1, references.get(i).split(" ").length));
            twoReferences.add(List.of(references.get(i), withoutFirstWord));
        }
        Bleu.Score sacre = Bleu.sacreBleu().score(hypotheses, references);
        assertEquals(77.84331942530336, sacre.score(), EXACT);
        assertArrayEquals(new long[] {10862, 9391, 8361, 7383}, sacre.matches());
        assertArrayEquals(new long[] {11190, 10281, 9372, 8463}, sacre.totals());
        assertEquals(12955, sacre.referenceLength());
        assertEquals(0.8540802533123263, sacre.brevityPenalty(), EXACT);
        // sacreBLEU(lowercase=True, smooth_method='none') 79.31205908429949; multi-bleu.perl -lc: 79.31.
        Bleu.Score lowercase = Bleu.tokenizedLowercase().score(hypotheses, references);
        assertEquals(79.31205908429949, lowercase.score(), EXACT);
        assertArrayEquals(new long[] {11048, 9551, 8523, 7545}, lowercase.matches());
        assertEquals("79.31", String.format(Locale.ROOT, "%.2f", lowercase.score()));
        Bleu.Score multi = Bleu.sacreBleu().scoreMulti(hypotheses, twoReferences);
        assertEquals(80.64021380086376, multi.score(), EXACT);
        assertEquals(12560, multi.referenceLength());
    }

    /**
     * A deterministic damaged copy of a reference (the same rule ran in Python for the reference values):
     * every 11th from 4 empty; every 3rd loses its last word; every 4th from 1 swaps its first two words;
     * every 7th from 3 has "a" replaced by "the"; every 5th from 2 is lower-cased.
     */
    private static String edited(int i, String reference) {
        if (i % 11 == 4) {
            return "";
        }
        List<String> words = new ArrayList<>(Arrays.asList(reference.split(" ")));
        if (i % 3 == 0 && words.size() > 1) {
            words.remove(words.size() - 1);
        }
        if (i % 4 == 1 && words.size() >= 2) {
            words.set(0, words.set(1, words.get(0)));
        }
        if (i % 7 == 3) {
            words.replaceAll(w -> w.equals("a") ? "the" : w);
        }
        String text = String.join(" ", words);
        return i % 5 == 2 ? text.toLowerCase(Locale.ROOT) : text;
    }

    @Test
    void mismatchedInputsAreNamed() {
        assertEquals("2 hypotheses but 1 reference sets: there must be one per hypothesis",
                assertThrows(GlossaException.class, () -> Bleu.sacreBleu().score(List.of("a", "b"), List.of("a")))
                        .getMessage());
        assertEquals("sentence 1 has no reference", assertThrows(GlossaException.class,
                () -> Bleu.sacreBleu().scoreMulti(List.of("a"), List.of(List.of()))).getMessage());
    }
}
