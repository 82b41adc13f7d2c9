package org.glossa.text.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A byte-pair-encoding vocabulary: characters plus merges in the order they were learnt. A word is
 * segmented as HF's BPE model segments it: start from its characters (an unknown one becomes [UNK]), then
 * repeatedly apply the earliest-learnt merge among adjacent pairs, the leftmost occurrence first, until no
 * adjacent pair has a merge. Built by {@link BpeTrainer}.
 */
public final class BpeTokenizer extends SubwordTokenizer {
    /** One learnt merge: {@code left + right} becomes one token. */
    public record Merge(String left, String right) {}

    /** What applying a merge to a pair of ids gives: its priority (lower first) and the merged id. */
    private record Rule(int rank, int mergedId) {}

    private final List<Merge> merges;
    private final Map<Long, Rule> rules = new HashMap<>();

    BpeTokenizer(List<String> vocabulary, List<String> specialTokens, List<Merge> merges) {
        super(vocabulary, specialTokens);
        this.merges = List.copyOf(merges);
        for (int rank = 0; rank < merges.size(); rank++) {
            Merge merge = merges.get(rank);
            rules.putIfAbsent(pairKey(id(merge.left()), id(merge.right())),
                    new Rule(rank, id(merge.left() + merge.right())));
        }
    }

    /** The merges, first learnt first. */
    public List<Merge> merges() {
        return merges;
    }

    @Override
    void segmentWord(String word, List<Integer> out) {
        int[] symbols = word.codePoints().map(c -> {
            int id = idOrMissing(new String(Character.toChars(c)));
            return id >= 0 ? id : unkId();
        }).toArray();
        int length = symbols.length;
        while (length > 1) {
            Rule best = null;
            int bestAt = -1;
            for (int i = 0; i + 1 < length; i++) {
                Rule rule = rules.get(pairKey(symbols[i], symbols[i + 1]));
                if (rule != null && (best == null || rule.rank() < best.rank())) {
                    best = rule;
                    bestAt = i;
                }
            }
            if (best == null) {
                break;
            }
            symbols[bestAt] = best.mergedId();
            System.arraycopy(symbols, bestAt + 2, symbols, bestAt + 1, length - bestAt - 2);
            length--;
        }
        for (int i = 0; i < length; i++) {
            out.add(symbols[i]);
        }
    }

    static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    @Override
    ObjectNode modelJson() {
        ObjectNode model = JsonNodeFactory.instance.objectNode();
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", UNK);
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        model.set("vocab", vocabJson());
        // Pairs as two-element arrays (HF's format since tokenizers 0.20): no ambiguity if a token holds a space.
        ArrayNode mergesJson = model.putArray("merges");
        for (Merge merge : merges) {
            mergesJson.addArray().add(merge.left()).add(merge.right());
        }
        return model;
    }
}
