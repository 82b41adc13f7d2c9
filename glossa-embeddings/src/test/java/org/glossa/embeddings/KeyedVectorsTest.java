package org.glossa.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.glossa.core.GlossaException;
import org.glossa.embeddings.KeyedVectors.Neighbor;
import org.glossa.embeddings.KeyedVectors.RowQuery;
import org.glossa.embeddings.io.VectorFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class KeyedVectorsTest {
    static Path resource(String name) {
        try {
            return Path.of(KeyedVectorsTest.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("missing test resource " + name, e);
        }
    }

    /** Four words on the unit circle at 0°, 10°, 90° and 180°, plus a zero vector. */
    private static KeyedVectors compass() {
        double[] degrees = {0, 10, 90, 180};
        List<String> words = List.of("east", "east-ish", "north", "west", "nothing");
        float[] values = new float[words.size() * 2];
        for (int i = 0; i < degrees.length; i++) {
            values[2 * i] = (float) (3 * Math.cos(Math.toRadians(degrees[i]))); // length 3: normalised away
            values[2 * i + 1] = (float) (3 * Math.sin(Math.toRadians(degrees[i])));
        }
        return new KeyedVectors(words, values, 2, null);
    }

    @Test
    void cosineQueriesOnKnownGeometry() {
        KeyedVectors kv = compass();
        assertEquals(Math.cos(Math.toRadians(10)), kv.similarity("east", "east-ish"), 1e-6);
        assertEquals(-1, kv.similarity("east", "west"), 1e-6);
        assertEquals(0, kv.similarity("east", "nothing"), 0);
        List<Neighbor> near = kv.mostSimilar("east", 10);
        assertEquals(List.of("east-ish", "north", "nothing", "west"), near.stream().map(Neighbor::word).toList());
        assertEquals(Math.cos(Math.toRadians(10)), near.get(0).similarity(), 1e-6);
        // north + east - west: mean direction (1 + 1, 1) / 3 → 26.6°, so east-ish (10°) is nearest.
        List<Neighbor> analogy = kv.mostSimilar(List.of("north", "east"), List.of("west"), 1, 0);
        assertEquals("east-ish", analogy.get(0).word());
        assertEquals(Math.cos(Math.toRadians(26.565 - 10)), analogy.get(0).similarity(), 1e-4);
        // restricted to the first two rows, with east excluded as a query word
        assertEquals(List.of("east-ish"), kv.mostSimilar(List.of("east"), List.of(), 5, 2).stream().map(Neighbor::word).toList());
        assertEquals(List.of(), kv.mostSimilar("east", 0));
        // by vector: nothing excluded
        assertEquals("east", kv.mostSimilar(new float[] {5, 0}, 1, 0).get(0).word());
        assertEquals("west", kv.doesntMatch(List.of("east", "east-ish", "west")));
    }

    @Test
    void cosMulOnKnownGeometry() {
        KeyedVectors kv = compass();
        // east-ish: ((1 + cos 80°) / 2 × (1 + cos 10°) / 2) / ((1 + cos 170°) / 2 + 1e-6)
        double expected = ((1 + Math.cos(Math.toRadians(80))) / 2 * (1 + Math.cos(Math.toRadians(10))) / 2)
                / ((1 + Math.cos(Math.toRadians(170))) / 2 + 1e-6);
        List<Neighbor> result = kv.mostSimilarCosMul(List.of("north", "east"), List.of("west"), 3, 0);
        assertEquals("east-ish", result.get(0).word());
        assertEquals(expected, result.get(0).similarity(), expected * 1e-4);
    }

    @Test
    void unknownWordsAreNamed() {
        KeyedVectors kv = compass();
        var e = assertThrows(GlossaException.class, () -> kv.mostSimilar(List.of("east", "up"), List.of("down"), 3, 0));
        assertEquals("words not in vocabulary: 'up', 'down'", e.getMessage());
        assertEquals("word not in vocabulary: 'sky'",
                assertThrows(GlossaException.class, () -> kv.similarity("east", "sky")).getMessage());
        assertThrows(GlossaException.class, () -> kv.doesntMatch(List.of("east", "sky")));
        assertThrows(GlossaException.class, () -> kv.mostSimilar(List.of(), List.of(), 3, 0));
    }

    /** gensim 4.2's answers on the word2vec.c model (eval/gensim-similar.json, see io/README.md). */
    @Test
    void matchesGensimOnAWord2vecCModel() throws IOException {
        KeyedVectors kv = VectorFiles.read(resource("io/word2vec-c.bin"));
        JsonNode expected = new ObjectMapper().readTree(resource("eval/gensim-similar.json").toFile());
        assertNeighbors(expected.get("king"), kv.mostSimilar("king", 10));
        assertNeighbors(expected.get("Paris Germany -France"),
                kv.mostSimilar(List.of("Paris", "Germany"), List.of("France"), 10, 0));
        assertNeighbors(expected.get("cosmul Paris Germany -France"),
                kv.mostSimilarCosMul(List.of("Paris", "Germany"), List.of("France"), 10, 0));
        assertNeighbors(expected.get("restrict 500 king"), kv.mostSimilar(List.of("king"), List.of(), 5, 500));
        assertEquals(expected.get("similarity father mother").asDouble(), kv.similarity("father", "mother"), 1e-6);
        assertEquals(expected.get("doesnt_match car bus train mother").asText(),
                kv.doesntMatch(List.of("car", "bus", "train", "mother")));
    }

    private static void assertNeighbors(JsonNode expected, List<Neighbor> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).get(0).asText(), actual.get(i).word(), "rank " + i);
            assertEquals(expected.get(i).get(1).asDouble(), actual.get(i).similarity(), 2e-6, "rank " + i);
        }
    }

    /** Random vectors large enough for the batched and the parallel scans, checked against brute force. */
    @Test
    void batchedAndParallelSearchEqualBruteForce() {
        int n = 30_000;
        int d = 40;
        Random random = new Random(7);
        float[] values = new float[n * d];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        List<String> words = IntStream.range(0, n).mapToObj(i -> "w" + i).toList();
        KeyedVectors kv = new KeyedVectors(words, values, d, null);
        List<RowQuery> queries = new ArrayList<>();
        for (int q = 0; q < 300; q++) { // more than one batch of 128
            queries.add(new RowQuery(new int[] {random.nextInt(n), random.nextInt(n)}, new int[] {random.nextInt(n)}));
        }
        int restrict = 20_000;
        List<List<Neighbor>> add = kv.mostSimilar(queries, 7, restrict);
        List<List<Neighbor>> mul = kv.mostSimilarCosMul(queries, 7, restrict);
        float[][] units = new float[n][];
        for (int row = 0; row < n; row++) {
            units[row] = kv.unitVector(row);
        }
        for (int q = 0; q < queries.size(); q += 13) {
            RowQuery query = queries.get(q);
            assertEquals(bruteForce(units, query, false, 7, restrict), add.get(q).stream().map(Neighbor::row).toList());
            assertEquals(bruteForce(units, query, true, 7, restrict), mul.get(q).stream().map(Neighbor::row).toList());
            // one query alone takes the single-vector path
            List<Neighbor> single = kv.mostSimilar(List.of(query), 7, restrict).get(0);
            assertEquals(add.get(q).stream().map(Neighbor::row).toList(), single.stream().map(Neighbor::row).toList());
        }
    }

    /** Top rows in double precision, straight from the definitions. */
    private static List<Integer> bruteForce(float[][] units, RowQuery query, boolean cosMul, int topN, int restrict) {
        double[] scores = new double[restrict];
        for (int row = 0; row < restrict; row++) {
            float[] u = units[row];
            if (cosMul) {
                double numerator = 1;
                for (int p : query.positive()) {
                    numerator *= (1 + dot(u, units[p])) / 2;
                }
                double denominator = 1;
                for (int m : query.negative()) {
                    denominator *= (1 + dot(u, units[m])) / 2;
                }
                scores[row] = numerator / (denominator + 1e-6);
            } else {
                double s = 0;
                for (int p : query.positive()) {
                    s += dot(u, units[p]);
                }
                for (int m : query.negative()) {
                    s -= dot(u, units[m]);
                }
                scores[row] = s;
            }
        }
        List<Integer> excluded = new ArrayList<>();
        for (int p : query.positive()) {
            excluded.add(p);
        }
        for (int m : query.negative()) {
            excluded.add(m);
        }
        return IntStream.range(0, restrict).boxed().filter(r -> !excluded.contains(r))
                .sorted(Comparator.comparingDouble((Integer r) -> -scores[r])).limit(topN).toList();
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void concurrentFirstQueriesAgree() throws Exception {
        KeyedVectors kv = VectorFiles.read(resource("io/word2vec-c.bin"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Neighbor>>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> kv.mostSimilar("king", 5)));
            }
            List<Neighbor> first = futures.get(0).get();
            for (Future<List<Neighbor>> f : futures) {
                assertEquals(first, f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void adoptKeepsTheArrayAndTheConstructorCopies() {
        float[] values = {1, 2, 3, 4};
        KeyedVectors copied = new KeyedVectors(List.of("a", "b"), values, 2, new long[] {5, 3});
        values[0] = 9;
        assertArrayEquals(new float[] {1, 2}, copied.vector(0));
        assertEquals(5, copied.count(0));
        KeyedVectors adopted = KeyedVectors.adopt(List.of("a", "b"), values, 2, null);
        assertArrayEquals(new float[] {9, 2}, adopted.vector("a"));
        assertEquals(-1, adopted.count(1));
        assertTrue(!adopted.hasCounts());
    }
}
