package org.glossa.text.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.glossa.core.GlossaException;

/**
 * The state both trainers share: the distinct words of the corpus as symbol-id sequences with their counts,
 * how often each adjacent pair of symbols occurs (weighted by word count), in which words, and how often
 * each symbol occurs. {@link #merge} joins a pair everywhere and updates all of it incrementally, touching
 * only the words that hold the pair, so training costs about the size of the corpus plus the work the
 * merges do rather than a full recount per merge.
 *
 * <p>Everything is kept in sorted or id order, never in hash order, so a training run is a pure function
 * of its input.
 */
final class PairMerger {
    private final List<String> tokens = new ArrayList<>();
    private final Map<String, Integer> tokenIds = new HashMap<>();
    private final int[][] words;
    private final long[] wordCounts;
    private final Map<Long, Long> pairCounts = new HashMap<>();
    private final Map<Long, Set<Integer>> pairWords = new HashMap<>();
    private final Map<Integer, Set<Long>> pairsOfSymbol = new HashMap<>();
    private long[] symbolCounts = new long[0];
    private final int characters;

    /**
     * Counts the words of {@code texts} (special tokens written in them are left out, as encoding treats
     * them apart), then makes the initial vocabulary: the special tokens, then every character of the
     * words in code-point order.
     */
    PairMerger(Iterable<String> texts, List<String> specialTokens) {
        Map<String, long[]> counts = new HashMap<>();
        for (String text : texts) {
            for (SubwordTokenizer.Segment segment : SubwordTokenizer.segments(text, specialTokens)) {
                if (!segment.special()) {
                    for (String word : WordSplitter.words(segment.text())) {
                        counts.computeIfAbsent(word, w -> new long[1])[0]++;
                    }
                }
            }
        }
        if (counts.isEmpty()) {
            throw new GlossaException("no text to train a subword vocabulary on");
        }
        String[] distinct = counts.keySet().toArray(String[]::new);
        Arrays.sort(distinct);
        TreeSet<Integer> alphabet = new TreeSet<>();
        for (String word : distinct) {
            word.codePoints().forEach(alphabet::add);
        }
        specialTokens.forEach(this::addToken);
        alphabet.forEach(c -> addToken(new String(Character.toChars(c))));
        characters = alphabet.size();
        words = new int[distinct.length][];
        wordCounts = new long[distinct.length];
        for (int w = 0; w < distinct.length; w++) {
            words[w] = distinct[w].codePoints().map(c -> tokenIds.get(new String(Character.toChars(c)))).toArray();
            wordCounts[w] = counts.get(distinct[w])[0];
            addWord(w, +1, -1);
        }
    }

    /**
     * The state both trainers start from: {@code texts} counted with the special tokens and characters as the
     * first tokens, refused when those already outnumber the vocabulary size asked for.
     */
    static PairMerger startVocabulary(Iterable<String> texts, BpeTrainer.Options options) {
        PairMerger merger = new PairMerger(texts, options.specialTokens());
        if (merger.tokens().size() > options.vocabSize()) {
            throw new GlossaException("vocabulary size " + options.vocabSize() + " is smaller than the "
                    + options.specialTokens().size() + " special tokens and " + merger.characters()
                    + " characters of the training text");
        }
        return merger;
    }

    /** The number of distinct characters in the training words. */
    int characters() {
        return characters;
    }

    /** The number of distinct words in the training text. */
    int distinctWords() {
        return words.length;
    }

    /** The vocabulary so far, by id. */
    List<String> tokens() {
        return tokens;
    }

    String token(int id) {
        return tokens.get(id);
    }

    int id(String token) {
        return tokenIds.get(token);
    }

    /** The pairs that occur now, in no particular order (callers sort what they pick from them). */
    Set<Long> pairs() {
        return pairCounts.keySet();
    }

    long pairCount(long pair) {
        return pairCounts.getOrDefault(pair, 0L);
    }

    /** How often a symbol occurs in the current segmentation of the corpus. */
    long symbolCount(int symbol) {
        return symbol < symbolCounts.length ? symbolCounts[symbol] : 0;
    }

    /** The pairs in which a symbol has occurred (some may have died out since: check their count). */
    Set<Long> pairsWith(int symbol) {
        return pairsOfSymbol.getOrDefault(symbol, Set.of());
    }

    static int left(long pair) {
        return (int) (pair >>> 32);
    }

    static int right(long pair) {
        return (int) pair;
    }

    /**
     * Joins every occurrence of the pair (left to right, so "a a a" becomes "aa a") into the token
     * {@code left + right}, adding it to the vocabulary unless an earlier merge already made the same
     * string. Returns the pairs whose count changed.
     */
    Set<Long> merge(long pair) {
        int a = left(pair);
        int b = right(pair);
        int merged = addToken(tokens.get(a) + tokens.get(b));
        Map<Long, Long> before = new HashMap<>();
        Set<Integer> holders = pairWords.getOrDefault(pair, Set.of());
        for (int w : holders.toArray(Integer[]::new)) {
            int[] symbols = words[w];
            if (!contains(symbols, a, b)) {
                continue; // the pair died out of this word through an earlier merge
            }
            rememberCounts(symbols, before);
            addWord(w, -1, -1);
            words[w] = joined(symbols, a, b, merged);
            rememberCounts(words[w], before);
            addWord(w, +1, merged);
        }
        Set<Long> changed = new HashSet<>();
        before.forEach((p, count) -> {
            if (pairCount(p) != count) {
                changed.add(p);
            }
        });
        return changed;
    }

    private void rememberCounts(int[] symbols, Map<Long, Long> before) {
        for (int i = 0; i + 1 < symbols.length; i++) {
            long p = BpeTokenizer.pairKey(symbols[i], symbols[i + 1]);
            before.putIfAbsent(p, pairCount(p));
        }
    }

    private static boolean contains(int[] symbols, int a, int b) {
        for (int i = 0; i + 1 < symbols.length; i++) {
            if (symbols[i] == a && symbols[i + 1] == b) {
                return true;
            }
        }
        return false;
    }

    private static int[] joined(int[] symbols, int a, int b, int merged) {
        int[] out = new int[symbols.length];
        int n = 0;
        for (int i = 0; i < symbols.length; i++) {
            if (i + 1 < symbols.length && symbols[i] == a && symbols[i + 1] == b) {
                out[n++] = merged;
                i++;
            } else {
                out[n++] = symbols[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Adds ({@code sign} +1) or removes (-1) a word's symbols and pairs from the counts. On adding, the
     * word is indexed under its pairs; {@code onlyWith} >= 0 limits that to the pairs holding that symbol
     * (after a merge, the others were indexed already).
     */
    private void addWord(int w, int sign, int onlyWith) {
        int[] symbols = words[w];
        long count = sign * wordCounts[w];
        for (int i = 0; i < symbols.length; i++) {
            symbolCounts[symbols[i]] += count;
            if (i + 1 < symbols.length) {
                long p = BpeTokenizer.pairKey(symbols[i], symbols[i + 1]);
                long now = pairCounts.merge(p, count, Long::sum);
                if (now == 0) {
                    pairCounts.remove(p);
                }
                if (sign > 0 && (onlyWith < 0 || symbols[i] == onlyWith || symbols[i + 1] == onlyWith)) {
                    pairWords.computeIfAbsent(p, k -> new HashSet<>()).add(w);
                    pairsOfSymbol.computeIfAbsent(symbols[i], k -> new HashSet<>()).add(p);
                    pairsOfSymbol.computeIfAbsent(symbols[i + 1], k -> new HashSet<>()).add(p);
                }
            }
        }
    }

    private int addToken(String token) {
        Integer existing = tokenIds.get(token);
        if (existing != null) {
            return existing;
        }
        int id = tokens.size();
        tokens.add(token);
        tokenIds.put(token, id);
        if (id >= symbolCounts.length) {
            symbolCounts = Arrays.copyOf(symbolCounts, Math.max(16, symbolCounts.length * 2));
        }
        return id;
    }
}
