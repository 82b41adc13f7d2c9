package org.glossa.tasks.classify;

import java.util.List;
import java.util.Objects;

/**
 * One labelled text (or text pair) as read from a data file.
 *
 * @param text the text to classify
 * @param pair the second text of a pair (e.g. a hypothesis after its premise), or null
 * @param labels the label names: exactly one for single-label data, any number (even none) for multi-label data;
 *               empty for unlabelled text
 * @param where the file and line it came from ({@code dev.tsv:17}), for error messages
 */
public record Example(String text, String pair, List<String> labels, String where) {
    public Example {
        Objects.requireNonNull(text, "text");
        labels = List.copyOf(labels);
    }

    /** An unlabelled text, for prediction. */
    public static Example unlabelled(String text, String where) {
        return new Example(text, null, List.of(), where);
    }
}
