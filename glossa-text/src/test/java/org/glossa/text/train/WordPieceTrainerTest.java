package org.glossa.text.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class WordPieceTrainerTest {
    private static final List<String> TOY = List.of(
            "low low low low low", "lower lower", "newest newest newest newest newest newest", "widest widest widest");

    /*
     * Worked by hand. Symbol counts: ▁ 16, w 16, e 17, l 7, o 7, s 9, t 9, n 6, i 3, d 3, r 2. Scores
     * count(ab) / (count(a) count(b)): i d 3/(3·3) = 0.333, l o 7/(7·7) = 0.143, s t 9/(9·9) = 0.111, then
     * ▁ n 6/(16·6), w i 3/(16·3), ▁ l 7/(16·7), o w 7/(7·16) all 0.0625 exactly, … — BPE's first merge,
     * e s (9 times), scores only 9/(17·9) = 0.059. So: id, lo, st; after lo, the pairs lo w 7/(7·16) and
     * ▁ lo 7/(16·7) join the 0.0625 tie, which the smallest left token wins: "lo" < "w" (w id) < "▁".
     */
    @Test
    void prefersPairsWhosePartsRarelyOccurApart() {
        WordPieceTokenizer wordPiece = WordPieceTrainer.train(TOY, BpeTrainer.Options.of(4 + 11 + 4));
        assertEquals(List.of("id", "lo", "st", "low"), wordPiece.vocabulary().subList(15, 19));
        // Greedy longest match: ▁lowest → ▁ (no "▁l…" entry) + low + e + st.
        assertEquals(List.of("▁", "low", "e", "st"), wordPiece.tokens("lowest"));
        // A word with an unseen character is one [UNK]; the other words are untouched.
        assertEquals(List.of("[UNK]", "▁", "low"), wordPiece.tokens("lowz low"));
        int[] ids = wordPiece.encode("widest low", true);
        assertEquals("widest low", wordPiece.decode(ids, true));
    }

    @Test
    void longWordsBecomeUnknownAsInHuggingFace() {
        WordPieceTokenizer wordPiece = WordPieceTrainer.train(TOY, BpeTrainer.Options.of(100));
        // The ▁ counts: 99 letters make a word of 100 characters, 100 letters one of 101.
        assertEquals(false, wordPiece.tokens("l".repeat(99)).contains("[UNK]"));
        assertEquals(List.of("[UNK]"), wordPiece.tokens("l".repeat(WordPieceTokenizer.MAX_CHARS_PER_WORD)));
    }

    @Test
    void incrementalScoresGiveTheVocabularyOfAFullRecountOnRealText() throws IOException {
        List<String> texts = SubwordHfEquivalenceTest.lines(
                SubwordHfEquivalenceTest.shared("multi30k").resolve("train.en")).subList(0, 1_000);
        WordPieceTokenizer wordPiece = WordPieceTrainer.train(texts, BpeTrainer.Options.of(300));
        List<String> learnt = wordPiece.vocabulary().subList(4, wordPiece.vocabSize());
        assertEquals(naiveVocabulary(texts, learnt.size()), learnt);
    }

    /** Characters, then the best-scoring pair of a full recount, again and again (min frequency 2). */
    static List<String> naiveVocabulary(List<String> texts, int size) {
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
        List<String> vocabulary = new ArrayList<>(wordCounts.keySet().stream()
                .flatMapToInt(String::codePoints).distinct().sorted().mapToObj(Character::toString).toList());
        while (vocabulary.size() < size) {
            Map<String, Long> symbols = new HashMap<>();
            Map<List<String>, Long> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> word = words.get(w);
                for (int i = 0; i < word.size(); i++) {
                    symbols.merge(word.get(i), counts.get(w), Long::sum);
                    if (i + 1 < word.size()) {
                        pairs.merge(List.of(word.get(i), word.get(i + 1)), counts.get(w), Long::sum);
                    }
                }
            }
            List<String> best = pairs.entrySet().stream().filter(e -> e.getValue() >= 2)
                    .min(Comparator.<Map.Entry<List<String>, Long>>comparingDouble(e -> -e.getValue()
                                    / ((double) symbols.get(e.getKey().get(0)) * symbols.get(e.getKey().get(1))))
                            .thenComparing(e -> e.getKey().get(0)).thenComparing(e -> e.getKey().get(1)))
                    .orElseThrow().getKey();
            String merged = best.get(0) + best.get(1);
            if (!vocabulary.contains(merged)) {
                vocabulary.add(merged);
            }
            for (List<String> word : words) {
                for (int i = 0; i + 1 < word.size(); i++) {
                    if (word.get(i).equals(best.get(0)) && word.get(i + 1).equals(best.get(1))) {
                        word.set(i, merged);
                        word.remove(i + 1);
                    }
                }
            }
        }
        return vocabulary;
    }
}
