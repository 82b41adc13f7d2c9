package org.glossa.tasks.squad;

/**
 * One window of one example, ready for the model: {@code [CLS] question [SEP] context-window [SEP]}, no
 * padding. All arrays have {@link #length()} entries; treat them as read-only.
 *
 * @param exampleIndex index into the examples list the feature was built from
 * @param inputIds token ids
 * @param tokenTypeIds 0 for [CLS], the question and its [SEP]; 1 for the context window and the last [SEP]
 * @param offsetStart per token, where its characters start in the example's context (UTF-16); -1 for
 *                    tokens that are not context tokens ([CLS], question, [SEP])
 * @param offsetEnd per token, one past its last character in the context; -1 for non-context tokens
 * @param startPosition the answer's first token; 0 ([CLS]) when the question is impossible or the window
 *                      does not hold the whole answer; -1 when the features were built without labels
 * @param endPosition the answer's last token (inclusive), with the same conventions
 */
public record QaFeature(int exampleIndex, long[] inputIds, long[] tokenTypeIds, int[] offsetStart,
                        int[] offsetEnd, int startPosition, int endPosition) {

    public QaFeature {
        int n = inputIds.length;
        if (tokenTypeIds.length != n || offsetStart.length != n || offsetEnd.length != n) {
            throw new IllegalArgumentException("QaFeature arrays differ in length");
        }
    }

    /** Number of tokens. */
    public int length() {
        return inputIds.length;
    }

    /** Whether token i comes from the context (only those can start or end an answer). */
    public boolean isContext(int i) {
        return offsetStart[i] >= 0;
    }

    /** Whether the feature carries labels (built with {@code withLabels}). */
    public boolean hasLabels() {
        return startPosition >= 0;
    }
}
