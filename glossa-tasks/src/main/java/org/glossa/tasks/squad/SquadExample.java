package org.glossa.tasks.squad;

import java.util.List;
import java.util.Objects;

/**
 * One question of SQuAD v1.1 or v2.0, with its context. Character offsets are UTF-16 offsets into
 * {@code context} (Java string indexes). The JSON files count code points (Python's string indexes);
 * {@link SquadDataset#read} converts them, which matters after a character outside the Basic
 * Multilingual Plane (5 contexts of the SQuAD 1.1 training set have one).
 *
 * @param id the question id (unique in a file)
 * @param title the article's title ("" when the file has none)
 * @param context the paragraph; questions of one paragraph share the same String
 * @param question the question as written (run_qa strips its leading whitespace when building features)
 * @param answers the gold answers, in file order; several in dev files (the metric takes the best), empty
 *                for an unanswerable question, and possibly empty for an unlabelled file
 * @param isImpossible SQuAD 2.0's is_impossible (false in v1.1 files)
 */
public record SquadExample(String id, String title, String context, String question,
                           List<Answer> answers, boolean isImpossible) {

    /** An answer: its text and where it starts in the context. */
    public record Answer(String text, int start) {
        public Answer {
            Objects.requireNonNull(text, "text");
        }

        /** One past the answer's last character in the context. */
        public int end() {
            return start + text.length();
        }
    }

    public SquadExample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(question, "question");
        answers = List.copyOf(answers);
    }

    /** Whether the example has a gold answer (the official script's has_ans: a non-empty answer list). */
    public boolean hasAnswer() {
        return !answers.isEmpty();
    }
}
