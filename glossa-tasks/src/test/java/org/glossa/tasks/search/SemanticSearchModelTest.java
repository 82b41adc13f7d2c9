package org.glossa.tasks.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.glossa.core.onnx.MiniLm;
import org.glossa.models.bert.SentenceEmbedder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Semantic search with the real all-MiniLM-L6-v2 encoder over the bundled Wikipedia sample. */
@Tag("model")
class SemanticSearchModelTest {
    private static SentenceEmbedder embedder;
    private static List<String> sample;
    private static SemanticSearch search;

    @BeforeAll
    static void indexTheBundledSample() {
        embedder = SentenceEmbedder.load(MiniLm.ensureImported());
        sample = SemanticSearch.bundledSample();
        search = SemanticSearch.index(embedder, sample, false);
    }

    @AfterAll
    static void close() {
        if (embedder != null) {
            embedder.close();
        }
    }

    /**
     * Questions written by hand about one paragraph each, avoiding its title words: a working encoder
     * ranks that paragraph first among the sample's 401.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "Which genus of bacteria was isolated from the sediment of a salty lake in Egypt? | Chitinispirillum: ",
        "a bicycle stage race around Catalonia in 1950 | 1950 Volta a Catalunya: ",
        "Australian-born mathematician whose doctoral thesis at Nottingham was on modular forms | Paula Tretkoff: ",
        "products that combine birth control with protection against HIV and other STIs | Multipurpose prevention technology: ",
        "the ninth major release of Google's smartphone operating system | Android Pie: ",
        "a car company started in Adelaide in 2018 by a racing driver and investors | Brabham Automotive: ",
    })
    void aQuestionAboutAParagraphRanksItFirst(String query, String titlePrefix) {
        List<SemanticSearch.Hit> hits = search.search(query, 3);
        assertTrue(hits.get(0).text().startsWith(titlePrefix),
                "for \"" + query + "\" expected " + titlePrefix + "... first, got " + hits);
        assertTrue(hits.get(0).score() > hits.get(1).score(), hits.toString());
    }

    @Test
    void corpusVectorsAreCachedAndReadBack(@org.junit.jupiter.api.io.TempDir java.nio.file.Path cache) throws Exception {
        List<String> texts = sample.subList(0, 20);
        SemanticSearch first = SemanticSearch.index(embedder, texts, false, cache);
        java.nio.file.Path file;
        try (var files = java.nio.file.Files.list(cache)) {
            file = files.filter(p -> p.toString().endsWith(".f32")).findFirst().orElseThrow();
        }
        assertEquals(first.search(texts.get(3), 1).get(0).index(), 3);
        // Doctor the cached vectors: row 0 := row 3. A second index must read the file, not re-embed.
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        int dim = embedder.dimension();
        System.arraycopy(bytes, 12 + 3 * dim * 4, bytes, 12, dim * 4);
        java.nio.file.Files.write(file, bytes);
        SemanticSearch cached = SemanticSearch.index(embedder, texts, false, cache);
        assertEquals(cached.search(texts.get(3), 2).get(1).score(), cached.search(texts.get(3), 2).get(0).score(), 1e-6);
        // Another corpus or a damaged file means embedding afresh.
        java.nio.file.Files.write(file, new byte[] {1, 2, 3});
        SemanticSearch rebuilt = SemanticSearch.index(embedder, texts, false, cache);
        assertEquals(0, rebuilt.search(texts.get(0), 1).get(0).index());
        assertEquals(12 + 20L * dim * 4, java.nio.file.Files.size(file), "rewritten after the damage");
    }

    @Test
    void aParagraphFindsItselfWithCosineOne() {
        // Batched, padded indexing and single-text query embedding must give the same vector.
        for (int index : new int[] {0, 123, sample.size() - 1}) {
            SemanticSearch.Hit best = search.search(sample.get(index), 1).get(0);
            assertEquals(index, best.index());
            assertEquals(1.0, best.score(), 1e-4);
        }
    }

    @Test
    void scoresAreCosinesInDescendingOrder() {
        List<SemanticSearch.Hit> hits = search.search("a lighthouse run by the Italian navy", sample.size());
        assertEquals(sample.size(), hits.size());
        for (int i = 1; i < hits.size(); i++) {
            assertTrue(hits.get(i - 1).score() >= hits.get(i).score(), "not sorted at " + i);
        }
        assertTrue(hits.get(0).score() <= 1.0 + 1e-5 && hits.get(hits.size() - 1).score() >= -1.0 - 1e-5);
        // The sample's one lighthouse: Capo Milazzo, "operated by the Marina Militare".
        assertTrue(hits.get(0).text().startsWith("Capo Milazzo Lighthouse: "), hits.get(0).toString());
    }
}
