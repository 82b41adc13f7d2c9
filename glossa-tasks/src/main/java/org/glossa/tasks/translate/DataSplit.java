package org.glossa.tasks.translate;

import java.util.List;

/** Training, validation and test pairs. */
public record DataSplit(List<SentencePair> train, List<SentencePair> validation, List<SentencePair> test) {
    public DataSplit {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
    }

    /** The same split with every pair the other way round. */
    public DataSplit reversed() {
        return new DataSplit(reverse(train), reverse(validation), reverse(test));
    }

    private static List<SentencePair> reverse(List<SentencePair> pairs) {
        return pairs.stream().map(SentencePair::reversed).toList();
    }
}
