package org.glossa.embeddings.corpus;

import java.util.List;

/**
 * Sentences of tokens that can be read any number of times, in the same order each time. A text file
 * source streams the file on every pass and never holds it in memory.
 */
public interface SentenceSource {

    /** Calls {@code visitor} once per non-empty sentence, in order. Bad input throws {@code GlossaException}. */
    void forEachSentence(SentenceVisitor visitor);

    /** Names the source in messages (e.g. the file path). */
    String description();

    /** Sentences held in memory, e.g. for tests or small corpora; empty sentences are skipped. */
    static SentenceSource of(List<List<String>> sentences) {
        List<List<String>> copy = sentences.stream().map(List::copyOf).toList();
        return new SentenceSource() {
            @Override
            public void forEachSentence(SentenceVisitor visitor) {
                for (List<String> sentence : copy) {
                    if (!sentence.isEmpty()) {
                        visitor.sentence(sentence.toArray(String[]::new), sentence.size());
                    }
                }
            }

            @Override
            public String description() {
                return "in-memory corpus of " + copy.size() + " sentences";
            }
        };
    }
}
