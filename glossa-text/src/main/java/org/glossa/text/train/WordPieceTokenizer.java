package org.glossa.text.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A WordPiece vocabulary, segmented as HF's WordPiece model segments a word: greedy longest match first
 * (the longest vocabulary entry that starts the word, then the longest that starts the rest, …); a word
 * with a character no entry covers, or longer than {@value #MAX_CHARS_PER_WORD} characters, becomes one
 * [UNK].
 *
 * <p>The continuing-subword prefix is empty, not BERT's "##": our words already carry the ▁ word-start
 * marker ({@link WordSplitter}), which tells a word's first piece from the others, and decoding by the
 * Metaspace rule then gives back the text exactly. Built by {@link WordPieceTrainer}.
 */
public final class WordPieceTokenizer extends SubwordTokenizer {
    /** HF's default: longer words become [UNK] rather than cost quadratic matching. */
    public static final int MAX_CHARS_PER_WORD = 100;

    WordPieceTokenizer(List<String> vocabulary, List<String> specialTokens) {
        super(vocabulary, specialTokens);
    }

    @Override
    void segmentWord(String word, List<Integer> out) {
        if (word.codePointCount(0, word.length()) > MAX_CHARS_PER_WORD) {
            out.add(unkId());
            return;
        }
        int mark = out.size();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            int id = -1;
            while (end > start) {
                id = idOrMissing(word.substring(start, end));
                if (id >= 0) {
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (id < 0) {
                out.subList(mark, out.size()).clear(); // all or nothing: the whole word is unknown
                out.add(unkId());
                return;
            }
            out.add(id);
            start = end;
        }
    }

    @Override
    ObjectNode modelJson() {
        ObjectNode model = JsonNodeFactory.instance.objectNode();
        model.put("type", "WordPiece");
        model.put("unk_token", UNK);
        model.put("continuing_subword_prefix", "");
        model.put("max_input_chars_per_word", MAX_CHARS_PER_WORD);
        model.set("vocab", vocabJson());
        return model;
    }
}
