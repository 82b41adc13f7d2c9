package org.glossa.tasks.translate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glossa.text.train.BpeTrainer;
import org.glossa.text.train.SubwordTokenizer;
import org.glossa.text.train.WordPieceTrainer;

/**
 * The subword vocabularies of a translation model, trained on its training pairs: one shared by both
 * languages (both sides' sentences in one training text, as the Transformer paper's 37k shared BPE, needed
 * to tie the source and target embeddings) or one per language.
 */
public record SubwordVocabularies(SubwordTokenizer source, SubwordTokenizer target) {
    /** Which trainer. */
    public enum Kind { BPE, WORDPIECE }

    /** Trains on the pairs' source and target sentences; {@code shared}: one vocabulary for both. */
    public static SubwordVocabularies train(List<SentencePair> pairs, Kind kind, BpeTrainer.Options options,
                                            boolean shared) {
        List<String> sources = pairs.stream().map(SentencePair::source).toList();
        List<String> targets = pairs.stream().map(SentencePair::target).toList();
        if (shared) {
            List<String> both = new ArrayList<>(sources);
            both.addAll(targets);
            SubwordTokenizer tokenizer = train(both, kind, options);
            return new SubwordVocabularies(tokenizer, tokenizer);
        }
        return new SubwordVocabularies(train(sources, kind, options), train(targets, kind, options));
    }

    private static SubwordTokenizer train(List<String> texts, Kind kind, BpeTrainer.Options options) {
        return kind == Kind.BPE ? BpeTrainer.train(texts, options) : WordPieceTrainer.train(texts, options);
    }

    /** Whether one vocabulary serves both languages. */
    public boolean shared() {
        return source == target;
    }

    /** Writes {@code directory/source/tokenizer.json} and {@code directory/target/tokenizer.json} (the same file when shared). */
    public void write(Path directory) {
        source.write(directory.resolve("source").resolve("tokenizer.json"));
        target.write(directory.resolve("target").resolve("tokenizer.json"));
    }
}
