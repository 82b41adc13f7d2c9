package org.glossa.text.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BpeTrainerTest {
    /** Sennrich et al.'s example: low ×5, lower ×2, newest ×6, widest ×3. */
    private static final List<String> TOY = List.of(
            "low low low low low", "lower lower", "newest newest newest newest newest newest", "widest widest widest");

    /*
     * Worked by hand. Words: ▁low 5, ▁lower 2, ▁newest 6, ▁widest 3. First pair counts: e s 9, s t 9,
     * w e 8, ▁ l 7, l o 7, o w 7, ▁ n 6, n e 6, e w 6, … Ties go to the smaller left token ("e" < "l" <
     * "o" < "w" < "▁" in code-unit order), then to the smaller right token:
     *  e+s (9, "e" < "s") → es+t (9) → l+o (7, "l" < "o" < "▁") → lo+w → ▁+low → e+w (6: "e" < "n" < "w"
     *  < "▁") → ew+est → n+ewest → ▁+newest → d+est (3: "d" < "i" < "w" < "▁") → i+dest → w+idest →
     *  ▁+widest → e+r (2, "e" < "▁low") → ▁low+er; then every word is one token.
     */
    private static final List<String> TOY_MERGES = List.of("e s", "es t", "l o", "lo w", "▁ low", "e w", "ew est",
            "n ewest", "▁ newest", "d est", "i dest", "w idest", "▁ widest", "e r", "▁low er");

    @Test
    void learnsTheHandComputedMergesAndIds() {
        BpeTokenizer bpe = BpeTrainer.train(TOY, BpeTrainer.Options.of(1_000));
        assertEquals(TOY_MERGES, merges(bpe));
        // Special tokens, then the 11 characters in code-point order, then one token per merge.
        assertEquals(List.of("[PAD]", "[UNK]", "[BOS]", "[EOS]", "d", "e", "i", "l", "n", "o", "r", "s", "t", "w", "▁",
                "es", "est"), bpe.vocabulary().subList(0, 17));
        assertEquals(4 + 11 + 15, bpe.vocabSize());
        assertEquals(1, bpe.id("[UNK]"));
    }

    @Test
    void segmentsNewWordsByMergeRank() {
        BpeTokenizer bpe = BpeTrainer.train(TOY, BpeTrainer.Options.of(1_000));
        // ▁ l o w e s t: e+s (rank 0), es+t (1), l+o (2), lo+w (3), ▁+low (4); nothing joins ▁low and est.
        assertEquals(List.of("▁low", "est"), bpe.tokens("lowest"));
        // ▁ n e w e r: e+w (5) comes before e+r (13), which then takes the second e.
        assertEquals(List.of("▁", "n", "ew", "er"), bpe.tokens("newer"));
        assertEquals(List.of("▁lower", "▁newest", "▁", "w", "i", "d", "er"), bpe.tokens("lower newest wider"));
        // "!" and "z" were never seen.
        assertEquals(List.of("▁low", "[UNK]", "▁", "[UNK]", "[UNK]"), bpe.tokens("low! zz"));
        int[] ids = bpe.encode("lowest", true);
        assertEquals(List.of(2, bpe.id("▁low"), bpe.id("est"), 3), List.of(ids[0], ids[1], ids[2], ids[3]));
        assertEquals("lowest", bpe.decode(ids, true));
        // As HF's Metaspace decoder: only the first token's ▁ is dropped, here that of [BOS], which has none.
        assertEquals("[BOS] lowest[EOS]", bpe.decode(ids, false));
    }

    @Test
    void stopsAtTheVocabularySizeOrTheMinimumFrequency() {
        BpeTokenizer five = BpeTrainer.train(TOY, BpeTrainer.Options.of(4 + 11 + 5));
        assertEquals(TOY_MERGES.subList(0, 5), merges(five));
        // Pairs seen fewer than 3 times are never merged: e+r (2) and ▁low+er (2) are left out.
        BpeTokenizer frequent = BpeTrainer.train(TOY,
                new BpeTrainer.Options(1_000, 3, SubwordTokenizer.DEFAULT_SPECIAL_TOKENS));
        assertEquals(TOY_MERGES.subList(0, 13), merges(frequent));
    }

    @Test
    void specialTokensComeFirstAndAreCheckedAndBadSizesAreNamed() {
        BpeTokenizer bpe = BpeTrainer.train(TOY, new BpeTrainer.Options(100, 2, List.of("<pad>", "[UNK]")));
        assertEquals(List.of("<pad>", "[UNK]", "d"), bpe.vocabulary().subList(0, 3));
        assertEquals(List.of("▁low"), bpe.tokens("low"), "no [BOS]/[EOS]: nothing to wrap with");
        assertEquals(1, bpe.encode("low", true).length);
        assertEquals("the special tokens [<pad>] must include [UNK]", assertThrows(GlossaException.class,
                () -> new BpeTrainer.Options(100, 2, List.of("<pad>"))).getMessage());
        assertEquals("vocabulary size 10 is smaller than the 4 special tokens and 11 characters of the training text",
                assertThrows(GlossaException.class, () -> BpeTrainer.train(TOY, BpeTrainer.Options.of(10)))
                        .getMessage());
        assertEquals("no text to train a subword vocabulary on", assertThrows(GlossaException.class,
                () -> BpeTrainer.train(List.of("", ""), BpeTrainer.Options.of(100))).getMessage());
    }

    @Test
    void incrementalCountsGiveTheMergesOfAFullRecountOnRealText() throws IOException {
        List<String> texts = SubwordHfEquivalenceTest.lines(
                SubwordHfEquivalenceTest.shared("multi30k").resolve("train.de")).subList(0, 1_000);
        BpeTokenizer bpe = BpeTrainer.train(texts, BpeTrainer.Options.of(300));
        assertEquals(naiveMerges(texts, bpe.merges().size()), merges(bpe));
    }

    /** The textbook algorithm, recounting every pair of every word before each merge. */
    static List<String> naiveMerges(List<String> texts, int count) {
        Map<String, Long> wordCounts = new HashMap<>();
        for (String text : texts) {
            for (String word : WordSplitter.words(text)) {
                wordCounts.merge(word, 1L, Long::sum);
            }
        }
        List<List<String>> words = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        wordCounts.forEach((word, n) -> {
            words.add(new ArrayList<>(word.codePoints().mapToObj(Character::toString).toList()));
            counts.add(n);
        });
        List<String> merges = new ArrayList<>();
        while (merges.size() < count) {
            Map<List<String>, Long> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> symbols = words.get(w);
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    pairs.merge(List.of(symbols.get(i), symbols.get(i + 1)), counts.get(w), Long::sum);
                }
            }
            List<String> best = pairs.entrySet().stream()
                    .min(Comparator.<Map.Entry<List<String>, Long>>comparingLong(e -> -e.getValue())
                            .thenComparing(e -> e.getKey().get(0)).thenComparing(e -> e.getKey().get(1)))
                    .orElseThrow().getKey();
            merges.add(best.get(0) + " " + best.get(1));
            for (List<String> symbols : words) {
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    if (symbols.get(i).equals(best.get(0)) && symbols.get(i + 1).equals(best.get(1))) {
                        symbols.set(i, best.get(0) + best.get(1));
                        symbols.remove(i + 1);
                    }
                }
            }
        }
        return merges;
    }

    private static List<String> merges(BpeTokenizer bpe) {
        return bpe.merges().stream().map(m -> m.left() + " " + m.right()).toList();
    }
}
