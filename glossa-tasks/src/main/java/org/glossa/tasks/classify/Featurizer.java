package org.glossa.tasks.classify;

import java.util.ArrayList;
import java.util.List;
import org.glossa.core.GlossaException;
import org.glossa.text.Encoding;
import org.glossa.text.Tokenizer;

/**
 * Examples → token ids for the model, cut to at most {@link #maxLength} tokens. A pair is cut as
 * {@code truncation="longest_first"} in transformers' Python tokenizers cuts it: one token at a time from the end
 * of whichever text is longer then (the second on a tie), so the shorter text keeps as much as it can; the special
 * tokens always stay. Truncations are counted,
 * since a classifier that never saw the end of its texts should say so.
 */
public final class Featurizer {
    /** One example as the model reads it: ids and segment ids (equal lengths), and its label ids. */
    public record Features(long[] ids, long[] typeIds, int[] labels) {
        public int length() {
            return ids.length;
        }
    }

    /** Encoded examples and how many of them had to be cut. */
    public record Encoded(List<Features> features, int truncated) {}

    private final Tokenizer tokenizer;
    private final int maxLength;

    public Featurizer(Tokenizer tokenizer, int maxLength) {
        if (maxLength < 3) {
            throw new GlossaException("max length " + maxLength + " leaves no room for text beside [CLS] and [SEP]");
        }
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    public int maxLength() {
        return maxLength;
    }

    /** Encodes every example; {@code labels} maps their labels to ids (null: unlabelled, as for prediction). */
    public Encoded encodeAll(List<Example> examples, LabelMap labels) {
        List<Features> out = new ArrayList<>(examples.size());
        int truncated = 0;
        for (Example example : examples) {
            Encoding whole = example.pair() == null ? tokenizer.encode(example.text())
                    : tokenizer.encodePair(example.text(), example.pair());
            if (whole.length() > maxLength) {
                truncated++;
            }
            int[] labelIds = labels == null ? new int[0] : labels.ids(example);
            out.add(truncate(whole, labelIds));
        }
        return new Encoded(out, truncated);
    }

    /** The encoding cut to {@link #maxLength} tokens, longest text first. */
    Features truncate(Encoding whole, int[] labelIds) {
        int first = 0;
        int second = 0;
        for (int i = 0; i < whole.length(); i++) {
            int sequence = whole.sequenceIds()[i];
            if (sequence == 0) {
                first++;
            } else if (sequence == 1) {
                second++;
            }
        }
        int special = whole.length() - first - second;
        if (special > maxLength) {
            throw new GlossaException("max length " + maxLength + " is shorter than the " + special + " special tokens");
        }
        int keepFirst = first;
        int keepSecond = second;
        while (special + keepFirst + keepSecond > maxLength) {
            if (keepFirst > keepSecond) {
                keepFirst--;
            } else {
                keepSecond--;
            }
        }
        int length = special + keepFirst + keepSecond;
        long[] ids = new long[length];
        long[] typeIds = new long[length];
        int out = 0;
        int seenFirst = 0;
        int seenSecond = 0;
        for (int i = 0; i < whole.length(); i++) {
            int sequence = whole.sequenceIds()[i];
            boolean keep = sequence < 0 || (sequence == 0 ? seenFirst++ < keepFirst : seenSecond++ < keepSecond);
            if (keep) {
                ids[out] = whole.ids()[i];
                typeIds[out] = whole.typeIds()[i];
                out++;
            }
        }
        return new Features(ids, typeIds, labelIds);
    }
}
