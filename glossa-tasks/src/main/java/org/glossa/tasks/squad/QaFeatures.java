package org.glossa.tasks.squad;

import java.util.ArrayList;
import java.util.List;
import org.glossa.core.GlossaException;
import org.glossa.core.Progress;
import org.glossa.text.Encoding;
import org.glossa.text.HfTokenizer;

/**
 * Turns examples into model inputs as HuggingFace's run_qa does (prepare_train_features and
 * prepare_validation_features): the question (leading whitespace stripped) and the context go through
 * the tokenizer as a pair, only the context is truncated, and a context too long for one window is
 * covered by several windows that share {@code stride} tokens ({@link HfTokenizer#encodePairWindows}).
 * As in BERT's run_squad, a question longer than {@code maxQuestionLength} tokens is cut to that many.
 *
 * <p>Labels come from the first answer: its first token is the last context token starting at or
 * before the answer's first character, its last token the first context token ending at or after the
 * answer's end. A window that does not hold the whole answer, and an unanswerable question, get
 * (0, 0), the [CLS] token, which is how the model learns to say "no answer".
 */
public final class QaFeatures {
    private QaFeatures() {}

    /**
     * Windows of every example, in example order, with labels from the first answer when
     * {@code withLabels} (training); without, the positions are -1.
     */
    public static List<QaFeature> build(HfTokenizer tokenizer, List<SquadExample> examples, QaFeatureOptions options,
                                        boolean withLabels) {
        return build(tokenizer, examples, options, withLabels, Progress.quiet());
    }

    /** As {@link #build(HfTokenizer, List, QaFeatureOptions, boolean)}, advancing progress by one per example. */
    public static List<QaFeature> build(HfTokenizer tokenizer, List<SquadExample> examples, QaFeatureOptions options,
                                        boolean withLabels, Progress progress) {
        List<QaFeature> features = new ArrayList<>(examples.size() + examples.size() / 4);
        for (int index = 0; index < examples.size(); index++) {
            SquadExample example = examples.get(index);
            if (withLabels && !example.isImpossible() && !example.hasAnswer()) {
                throw new GlossaException("question " + example.id() + " is answerable but has no answer to learn from");
            }
            String question = cutQuestion(tokenizer, PythonText.lstrip(example.question()), options.maxQuestionLength());
            List<Encoding> windows = tokenizer.encodePairWindows(question, example.context(), options.maxLength(),
                    options.stride());
            for (Encoding window : windows) {
                features.add(feature(index, example, window, withLabels));
            }
            progress.advance(1);
        }
        return features;
    }

    /** The question cut after its first maxTokens tokens (without special tokens), or as it is when shorter. */
    static String cutQuestion(HfTokenizer tokenizer, String question, int maxTokens) {
        Encoding tokens = tokenizer.encode(question, false);
        if (tokens.length() <= maxTokens) {
            return question;
        }
        return question.substring(0, tokens.charEnd()[maxTokens - 1]);
    }

    private static QaFeature feature(int exampleIndex, SquadExample example, Encoding window, boolean withLabels) {
        int n = window.length();
        int[] offsetStart = new int[n];
        int[] offsetEnd = new int[n];
        int firstContext = -1;
        int lastContext = -1;
        for (int i = 0; i < n; i++) {
            if (window.sequenceIds()[i] == 1) {
                offsetStart[i] = window.charStart()[i];
                offsetEnd[i] = window.charEnd()[i];
                if (firstContext < 0) {
                    firstContext = i;
                }
                lastContext = i;
            } else {
                offsetStart[i] = -1;
                offsetEnd[i] = -1;
            }
        }
        int start = -1;
        int end = -1;
        if (withLabels) {
            start = 0;
            end = 0;
            if (example.hasAnswer() && firstContext >= 0) {
                SquadExample.Answer answer = example.answers().get(0);
                int answerStart = answer.start();
                int answerEnd = answer.end();
                if (offsetStart[firstContext] <= answerStart && offsetEnd[lastContext] >= answerEnd) {
                    start = firstContext;
                    while (start < lastContext && offsetStart[start + 1] <= answerStart) {
                        start++;
                    }
                    end = lastContext;
                    while (end > firstContext && offsetEnd[end - 1] >= answerEnd) {
                        end--;
                    }
                }
            }
        }
        return new QaFeature(exampleIndex, window.ids(), window.typeIds(), offsetStart, offsetEnd, start, end);
    }
}
