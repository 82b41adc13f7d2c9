package org.glossa.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class HfConfigTest {
    @TempDir
    Path dir;

    private static Path golden() throws Exception {
        return Path.of(HfConfigTest.class.getResource("/hfconfig/golden_config.json").toURI());
    }

    /** golden_config.json was written by Python's json.dumps(indent=2) (see make_golden.py beside it). */
    @Test
    void writesExactlyWhatPythonJsonDumpsWrites() throws Exception {
        ObjectNode config = HfConfig.read(golden());
        Path written = dir.resolve("model").resolve("config.json");
        HfConfig.write(written, config);
        assertEquals(Files.readString(golden(), StandardCharsets.UTF_8), Files.readString(written, StandardCharsets.UTF_8));
    }

    @Test
    void readsKeysInFileOrderWithTheirTypes() throws Exception {
        ObjectNode config = HfConfig.read(golden());
        List<String> keys = new ArrayList<>();
        config.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("architectures", "attention_probs_dropout_prob", "hidden_act", "hidden_size"), keys.subList(0, 4));
        assertEquals(384, HfConfig.requireInt(config, "hidden_size"));
        assertEquals(1e-12, HfConfig.requireDouble(config, "layer_norm_eps"));
        assertEquals("bert", HfConfig.requireString(config, "model_type"));
        assertTrue(HfConfig.requireBoolean(config, "use_cache"));
        assertTrue(Double.isNaN(config.get("non_finite").get(0).doubleValue()));
        assertEquals("caf\u00e9 \u2014 \"quoted\" back\\slash tab\t newline\n ctrl\u0001 slash/", config.get("text").textValue());
    }

    @Test
    void readsTheConfigOfAModelDirectory() {
        ObjectNode config = HfConfig.mapper().createObjectNode().put("hidden_size", 8).put("model_type", "bert");
        HfConfig.write(dir.resolve("config.json"), config);
        assertEquals(config, HfConfig.read(dir));
        assertArrayEquals("{\n  \"hidden_size\": 8,\n  \"model_type\": \"bert\"\n}\n".getBytes(StandardCharsets.UTF_8),
                HfConfig.toJson(config));
    }

    @Test
    void pythonFloatNotation() {
        // Values and expected text as Python 3's repr() prints them.
        assertEquals("1e-12", HfConfig.pythonFloat(1e-12));
        assertEquals("0.02", HfConfig.pythonFloat(0.02));
        assertEquals("768.0", HfConfig.pythonFloat(768));
        assertEquals("1e+16", HfConfig.pythonFloat(1e16));
        assertEquals("1234567890123456.0", HfConfig.pythonFloat(1234567890123456.0));
        assertEquals("0.0001", HfConfig.pythonFloat(1e-4));
        assertEquals("1e-05", HfConfig.pythonFloat(1e-5));
        assertEquals("-1.5e-07", HfConfig.pythonFloat(-1.5e-7));
        assertEquals("2e-323", HfConfig.pythonFloat(2e-323));
    }

    // ------------------------------------------------------------------ errors

    @Test
    void missingConfigInDirectoryIsNamed() {
        GlossaException error = assertThrows(GlossaException.class, () -> HfConfig.read(dir));
        assertEquals(dir + ": no config.json", error.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("other.json");
        GlossaException error = assertThrows(GlossaException.class, () -> HfConfig.read(file));
        assertEquals(file + ": no such file", error.getMessage());
    }

    @Test
    void malformedJsonNamesLineAndColumn() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\n  \"a\": 1,\n  \"b\": }\n");
        GlossaException error = assertThrows(GlossaException.class, () -> HfConfig.read(dir));
        String message = error.getMessage();
        assertTrue(message.startsWith(file + ": malformed JSON at line 3 column 8: "), message);
        assertTrue(message.contains("'}'"), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void trailingGarbageIsMalformed() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"a\": 1} x");
        GlossaException error = assertThrows(GlossaException.class, () -> HfConfig.read(file));
        assertTrue(error.getMessage().startsWith(file + ": malformed JSON at line 1 column"), error.getMessage());
    }

    @Test
    void unclosedObjectGivesOneReadableLine() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"hidden_size\": 3");
        String message = assertThrows(GlossaException.class, () -> HfConfig.read(file)).getMessage();
        assertTrue(message.startsWith(file + ": malformed JSON at line 1 column"), message);
        assertFalse(message.contains("Source:"), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void nonObjectAndEmptyFilesAreRejected() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "[1, 2]");
        assertEquals(file + ": expected a JSON object, found an array",
                assertThrows(GlossaException.class, () -> HfConfig.read(file)).getMessage());
        Files.writeString(file, "  \n");
        assertEquals(file + ": empty file, expected a JSON object",
                assertThrows(GlossaException.class, () -> HfConfig.read(file)).getMessage());
    }

    // ------------------------------------------------------------------ typed access

    private static JsonNode config(String json) {
        return HfConfig.parse(json.getBytes(StandardCharsets.UTF_8), "test");
    }

    @Test
    void requireIntAcceptsIntegersAndIntegralFloatsOnly() {
        JsonNode config = config("{\"a\": 768, \"b\": 768.0, \"c\": 768.5, \"d\": \"768\", \"e\": 3000000000, \"n\": null}");
        assertEquals(768, HfConfig.requireInt(config, "a"));
        assertEquals(768, HfConfig.requireInt(config, "b"));
        assertEquals("config.json: 'c' must be an integer, found 768.5", message(() -> HfConfig.requireInt(config, "c")));
        assertEquals("config.json: 'd' must be an integer, found \"768\"", message(() -> HfConfig.requireInt(config, "d")));
        assertEquals("config.json: 'e' is 3000000000, outside the range of a 32-bit integer",
                message(() -> HfConfig.requireInt(config, "e")));
        assertEquals(3_000_000_000L, HfConfig.requireLong(config, "e"));
        assertEquals("config.json: required key 'hidden_size' is missing", message(() -> HfConfig.requireInt(config, "hidden_size")));
        assertEquals("config.json: required key 'n' is null", message(() -> HfConfig.requireInt(config, "n")));
    }

    @Test
    void optionalKeysFallBackWhenAbsentOrNullButNotWhenWrong() {
        JsonNode config = config("{\"pad_token_id\": null, \"eps\": 1e-5, \"act\": \"gelu\", \"flag\": true, \"bad\": [1]}");
        assertEquals(-1, HfConfig.optInt(config, "pad_token_id", -1));
        assertEquals(7L, HfConfig.optLong(config, "missing", 7L));
        assertEquals(1e-5, HfConfig.optDouble(config, "eps", 0));
        assertEquals(0.5, HfConfig.optDouble(config, "missing", 0.5));
        assertEquals("gelu", HfConfig.optString(config, "act", "relu"));
        assertEquals("relu", HfConfig.optString(config, "missing", "relu"));
        assertTrue(HfConfig.optBoolean(config, "flag", false));
        assertEquals("config.json: 'bad' must be a number, found [1]", message(() -> HfConfig.optDouble(config, "bad", 0)));
        assertEquals("config.json: 'act' must be true or false, found \"gelu\"",
                message(() -> HfConfig.optBoolean(config, "act", false)));
        assertEquals("config.json: 'eps' must be a string, found 1.0E-5", message(() -> HfConfig.requireString(config, "eps")));
        assertEquals(2.0, HfConfig.requireDouble(config("{\"x\": 2}"), "x"));
    }

    private static String message(Runnable action) {
        return assertThrows(GlossaException.class, action::run).getMessage();
    }
}
