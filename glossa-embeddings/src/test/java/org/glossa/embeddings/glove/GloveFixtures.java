package org.glossa.embeddings.glove;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers shared by the GloVe tests: the committed fixtures and co-occurrence files as maps. */
final class GloveFixtures {
    private GloveFixtures() {}

    static Path resource(String name) {
        try {
            return Path.of(GloveFixtures.class.getResource("/org/glossa/embeddings/glove/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }

    /** The words of a vocab_count file, by rank. */
    static List<String> vocabularyWords(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(line -> line.split(" ")[0]).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The lines of a text file as id sentences by {@code words}: whitespace tokens, words outside the
     * vocabulary dropped, as cooccur reads its input.
     */
    static List<int[]> idSentences(Path corpus, List<String> words) {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            ids.put(words.get(i), i);
        }
        List<int[]> sentences = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
                int[] sentence = Arrays.stream(line.trim().split("\\s+")).filter(ids::containsKey)
                        .mapToInt(ids::get).toArray();
                if (sentence.length > 0) {
                    sentences.add(sentence);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sentences;
    }

    static CooccurrenceCounter.IdSentences source(List<int[]> sentences) {
        return visitor -> {
            for (int[] sentence : sentences) {
                visitor.sentence(sentence.clone(), sentence.length);
            }
        };
    }

    /** The records of a co-occurrence file in file order, keyed "word1 word2" (0-based). */
    static LinkedHashMap<String, Double> records(Path file, int vocabularySize) {
        LinkedHashMap<String, Double> records = new LinkedHashMap<>();
        try (CooccurrenceFile.Reader reader = new CooccurrenceFile.Reader(file, vocabularySize)) {
            while (reader.next()) {
                Double previous = records.put(reader.word1() + " " + reader.word2(), reader.value());
                if (previous != null) {
                    throw new AssertionError("pair " + reader.word1() + " " + reader.word2() + " twice in " + file);
                }
            }
        }
        return records;
    }

    /** Writes records (0-based ids) to a co-occurrence file. */
    static void write(Path file, int[][] pairs, double[] values) {
        try (CooccurrenceFile.Writer writer = new CooccurrenceFile.Writer(file)) {
            for (int i = 0; i < pairs.length; i++) {
                writer.write(pairs[i][0], pairs[i][1], values[i]);
            }
        }
    }
}
