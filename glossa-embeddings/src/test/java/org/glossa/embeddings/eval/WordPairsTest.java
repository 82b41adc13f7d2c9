package org.glossa.embeddings.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.glossa.core.GlossaException;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.io.VectorFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class WordPairsTest {
    @TempDir
    Path temp;

    /** scipy 1.10.1 stats.spearmanr / pearsonr on these values (ties in both). */
    @Test
    void correlationsMatchScipy() {
        double[] x = {1, 2, 2, 3, 4, 4, 4, 5, 6, 7};
        double[] y = {2.0, 1.0, 4.0, 3.0, 7.0, 5.0, 5.0, 8.0, 6.0, 9.0};
        Correlation.Value spearman = Correlation.spearman(x, y);
        assertEquals(0.9013032569427505, spearman.coefficient(), 1e-12);
        assertEquals(0.0003679614435190526, spearman.pValue(), 1e-12);
        Correlation.Value pearson = Correlation.pearson(x, y);
        assertEquals(0.8726989031317881, pearson.coefficient(), 1e-12);
        assertEquals(0.0009825877429511236, pearson.pValue(), 1e-12);
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4, 6, 6, 6, 8, 9, 10}, Correlation.ranks(x));
        assertTrue(Double.isNaN(Correlation.pearson(new double[] {1, 1, 1}, new double[] {1, 2, 3}).coefficient()));
        assertEquals(0, Correlation.pearson(new double[] {1, 2, 3}, new double[] {2, 4, 6}).pValue());
    }

    /** gensim 4.2's evaluate_word_pairs on the word2vec.c model and eval/pairs.tsv (eval/gensim-pairs.json). */
    @Test
    void matchesGensim() throws IOException {
        KeyedVectors kv = VectorFiles.read(AnalogiesTest.resource("/org/glossa/embeddings/io/word2vec-c.bin"));
        JsonNode expected = new ObjectMapper().readTree(AnalogiesTest.resource("gensim-pairs.json").toFile());
        WordPairs.Result result = WordPairs.evaluate(kv, AnalogiesTest.resource("pairs.tsv"));
        assertEquals(expected.get("pearson").asDouble(), result.pearson(), 2e-6);
        assertEquals(expected.get("spearman").asDouble(), result.spearman(), 1e-9);
        assertEquals(expected.get("pearsonP").asDouble(), result.pearsonP(), expected.get("pearsonP").asDouble() * 1e-4);
        assertEquals(expected.get("spearmanP").asDouble(), result.spearmanP(), expected.get("spearmanP").asDouble() * 1e-6);
        assertEquals(expected.get("oovRatio").asDouble(), 100 * result.oovRatio(), 1e-9);
        assertEquals(28, result.pairs());
        assertEquals(2, result.oovPairs());
    }

    @Test
    void readsCommaAndSpaceSeparatedFilesWithHeaders() throws IOException {
        List<String> words = List.of("a", "b", "c", "d");
        float[] v = {1, 0, 0.8f, 0.6f, 0, 1, -1, 0};
        KeyedVectors kv = new KeyedVectors(words, v, 2, null);
        // similarities: a-b 0.8, a-c 0, a-d -1, b-c 0.6
        Path comma = temp.resolve("pairs.csv");
        Files.writeString(comma, "word1,word2,score\n# a comment\n\nA,b,9\na,c,5\na,d,1\nb,x,3\n");
        WordPairs.Result r = WordPairs.evaluate(kv, comma);
        assertEquals(3, r.pairs());
        assertEquals(1, r.oovPairs());
        assertEquals(1, r.invalidLines());
        assertEquals(1.0, r.spearman(), 1e-12);
        assertEquals(0.25, r.oovRatio(), 1e-12);
        Path space = temp.resolve("pairs.txt");
        Files.writeString(space, "a b 9 extra columns\nb c 5\na d 1\n");
        assertEquals(1.0, WordPairs.evaluate(kv, space).spearman(), 1e-12);
        Path none = temp.resolve("none.txt");
        Files.writeString(none, "x y 1\n");
        var e = assertThrows(GlossaException.class, () -> WordPairs.evaluate(kv, none));
        assertTrue(e.getMessage().contains("none.txt"), e.getMessage());
    }
}
