package org.glossa.tasks.squad;

import org.glossa.core.GlossaException;

/**
 * How examples are cut into features.
 *
 * @param maxLength tokens per feature, special tokens included (run_qa's max_seq_length)
 * @param stride context tokens shared by consecutive windows of one example (run_qa's doc_stride)
 * @param maxQuestionLength questions longer than this many tokens are cut to it (BERT's max_query_length)
 */
public record QaFeatureOptions(int maxLength, int stride, int maxQuestionLength) {

    public QaFeatureOptions {
        if (maxQuestionLength < 1) {
            throw new GlossaException("maxQuestionLength must be at least 1, got " + maxQuestionLength);
        }
        if (stride < 0) {
            throw new GlossaException("stride must not be negative, got " + stride);
        }
        // [CLS] question [SEP] context [SEP]: at least one context token beyond the stride must fit.
        if (maxLength < maxQuestionLength + 3 + stride + 1) {
            throw new GlossaException("maxLength " + maxLength + " leaves no room for the context after a"
                    + " question of " + maxQuestionLength + " tokens, 3 special tokens and a stride of " + stride);
        }
    }

    /** BERT's and run_qa's SQuAD settings: 384 tokens, stride 128, questions up to 64 tokens. */
    public static QaFeatureOptions defaults() {
        return new QaFeatureOptions(384, 128, 64);
    }
}
