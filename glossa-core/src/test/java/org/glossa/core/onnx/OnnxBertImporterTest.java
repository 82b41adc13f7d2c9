package org.glossa.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.SafeTensorsFile;
import org.glossa.core.safetensors.TensorData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports the real all-MiniLM-L6-v2 ONNX file (from the langchain4j test dependency) and checks the
 * result against the published configuration of sentence-transformers/all-MiniLM-L6-v2 and, numerically,
 * against ONNX Runtime evaluating the original graph.
 */
@Tag("model")
class OnnxBertImporterTest {
    private static final int HIDDEN = 384, INTERMEDIATE = 1536, LAYERS = 6;

    private static byte[] onnxBytes;
    private static OnnxModel model;
    private static OnnxBertImporter.Conversion conversion;

    static byte[] resource(String name) throws Exception {
        try (InputStream in = OnnxBertImporterTest.class.getResourceAsStream(name)) {
            if (in == null) {
                fail("test resource " + name + " missing: the langchain4j MiniLM artifact must be a test dependency");
            }
            return in.readAllBytes();
        }
    }

    @BeforeAll
    static void convertMiniLm() throws Exception {
        onnxBytes = resource(MiniLm.ONNX_RESOURCE);
        model = OnnxModel.read(ByteBuffer.wrap(onnxBytes), "minilm.onnx");
        conversion = OnnxBertImporter.convert(model, "minilm.onnx");
    }

    /** The parameter names of HF's BertModel for this size, written out from the transformers source layout. */
    private static Set<String> expectedNames() {
        Set<String> names = new LinkedHashSet<>(List.of("embeddings.word_embeddings.weight",
                "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
                "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"));
        for (int i = 0; i < LAYERS; i++) {
            for (String module : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense",
                    "output.LayerNorm")) {
                names.add("encoder.layer." + i + "." + module + ".weight");
                names.add("encoder.layer." + i + "." + module + ".bias");
            }
        }
        return names;
    }

    @Test
    void everyHfParameterIsPresentOnceAndEveryInitializerIsAccountedFor() {
        assertEquals(101, expectedNames().size());
        assertEquals(expectedNames(), conversion.weights().keySet());
        assertEquals(expectedNames(), conversion.sources().keySet());
        Set<String> used = new HashSet<>();
        for (OnnxBertImporter.Source source : conversion.sources().values()) {
            assertTrue(used.add(source.initializer()), "initializer used twice: " + source.initializer());
        }
        Set<String> accounted = new HashSet<>(used);
        accounted.addAll(conversion.skipped().keySet());
        assertEquals(model.initializers().keySet(), accounted);
        assertEquals(Set.of("embeddings.position_ids"), conversion.skipped().keySet());
        // The anonymous MatMul weight is found through its consumer, /encoder/layer.0/attention/self/query/MatMul.
        assertEquals("/encoder/layer.0/attention/self/query/MatMul",
                model.consumers(conversion.sources().get("encoder.layer.0.attention.self.query.weight").initializer())
                        .get(0).name());
    }

    @Test
    void shapesAreTheOnesHfExpects() {
        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put("embeddings.word_embeddings.weight", new long[] {30522, HIDDEN});
        expected.put("embeddings.position_embeddings.weight", new long[] {512, HIDDEN});
        expected.put("embeddings.token_type_embeddings.weight", new long[] {2, HIDDEN});
        for (int i = 0; i < LAYERS; i++) {
            String layer = "encoder.layer." + i + ".";
            expected.put(layer + "attention.self.query.weight", new long[] {HIDDEN, HIDDEN});
            expected.put(layer + "attention.self.value.bias", new long[] {HIDDEN});
            expected.put(layer + "attention.output.dense.weight", new long[] {HIDDEN, HIDDEN});
            expected.put(layer + "intermediate.dense.weight", new long[] {INTERMEDIATE, HIDDEN});
            expected.put(layer + "intermediate.dense.bias", new long[] {INTERMEDIATE});
            expected.put(layer + "output.dense.weight", new long[] {HIDDEN, INTERMEDIATE});
            expected.put(layer + "output.LayerNorm.weight", new long[] {HIDDEN});
        }
        expected.forEach((name, shape) -> assertArrayEquals(shape, conversion.weights().get(name).shape(), name));
    }

    @Test
    void configMatchesThePublishedOne() {
        // Values from sentence-transformers/all-MiniLM-L6-v2's config.json on the HuggingFace hub.
        JsonNode config = conversion.config();
        assertEquals("bert", config.get("model_type").asText());
        assertEquals("BertModel", config.get("architectures").get(0).asText());
        assertEquals(HIDDEN, config.get("hidden_size").asInt());
        assertEquals(LAYERS, config.get("num_hidden_layers").asInt());
        assertEquals(12, config.get("num_attention_heads").asInt());
        assertEquals(INTERMEDIATE, config.get("intermediate_size").asInt());
        assertEquals(30522, config.get("vocab_size").asInt());
        assertEquals(512, config.get("max_position_embeddings").asInt());
        assertEquals(2, config.get("type_vocab_size").asInt());
        assertEquals(1e-12, config.get("layer_norm_eps").asDouble());
        assertEquals("gelu", config.get("hidden_act").asText());
        assertEquals(0, config.get("pad_token_id").asInt());
        assertEquals("absolute", config.get("position_embedding_type").asText());
        assertEquals(0.1, config.get("hidden_dropout_prob").asDouble());
        assertEquals(0.1, config.get("attention_probs_dropout_prob").asDouble());
        assertEquals(0.02, config.get("initializer_range").asDouble());
    }

    @Test
    void matMulWeightsAreTransposedAndTheRestCopied() {
        int transposed = 0;
        for (var entry : conversion.sources().entrySet()) {
            TensorData hf = conversion.weights().get(entry.getKey());
            TensorData onnx = model.initializers().get(entry.getValue().initializer());
            if (entry.getValue().transposed()) {
                transposed++;
                long[] shape = onnx.shape();
                int rows = (int) shape[0], cols = (int) shape[1];
                assertArrayEquals(new long[] {cols, rows}, hf.shape());
                FloatBuffer a = onnx.bytes().asFloatBuffer();
                FloatBuffer b = hf.bytes().asFloatBuffer();
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        if (Float.compare(a.get(r * cols + c), b.get(c * rows + r)) != 0) {
                            fail(entry.getKey() + "[" + c + "][" + r + "] differs from the ONNX initializer at [" + r + "][" + c + "]");
                        }
                    }
                }
            } else {
                assertArrayEquals(onnx.shape(), hf.shape(), entry.getKey());
                assertEquals(onnx.bytes(), hf.bytes(), entry.getKey());
            }
        }
        assertEquals(6 * LAYERS, transposed);  // q, k, v, attention output, intermediate, output per layer
    }

    // ---- numeric check against ONNX Runtime ------------------------------------------------------------

    /** Appends outputs to the graph: protobuf merges a repeated embedded message field, so ModelProto.graph gains them. */
    private static byte[] withExtraOutputs(byte[] original, List<String> names) {
        ProtoBytes graph = new ProtoBytes();
        for (String name : names) {
            // ValueInfoProto { name, type: TypeProto { tensor_type: { elem_type: FLOAT } } }
            graph.message(12, new ProtoBytes().string(1, name)
                    .message(2, new ProtoBytes().message(1, new ProtoBytes().varint(1, 1))));
        }
        byte[] extra = new ProtoBytes().message(7, graph).toByteArray();
        byte[] combined = java.util.Arrays.copyOf(original, original.length + extra.length);
        System.arraycopy(extra, 0, combined, original.length, extra.length);
        return combined;
    }

    private static String layerInput(int layer) {
        return layer == 0 ? "/embeddings/LayerNorm/Add_1_output_0" : layerOutput(layer - 1);
    }

    private static String layerOutput(int layer) {
        return layer == LAYERS - 1 ? "last_hidden_state" : "/encoder/layer." + layer + "/output/LayerNorm/Add_1_output_0";
    }

    private static String node(int layer, String path) {
        return "/encoder/layer." + layer + "/" + path;
    }

    @Test
    void importedWeightsReproduceOnnxRuntimeActivations() throws Exception {
        long[] ids = {101, 7592, 1010, 2088, 999, 102};
        long[] types = {0, 0, 0, 1, 1, 1};
        List<String> wanted = new ArrayList<>(List.of(layerInput(0)));
        for (int l = 0; l < LAYERS; l++) {
            for (String path : List.of("attention/self/query/Add_output_0", "attention/self/key/Add_output_0",
                    "attention/self/value/Add_output_0", "attention/self/Reshape_3_output_0",
                    "attention/output/dense/Add_output_0", "attention/output/LayerNorm/Add_1_output_0",
                    "intermediate/dense/Add_output_0", "intermediate/intermediate_act_fn/Mul_1_output_0",
                    "output/dense/Add_output_0")) {
                wanted.add(node(l, path));
            }
            if (l < LAYERS - 1) {
                wanted.add(layerOutput(l));
            }
        }
        Map<String, float[][]> ort = new HashMap<>();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(withExtraOutputs(onnxBytes, wanted), new OrtSession.SessionOptions());
             OnnxTensor idTensor = OnnxTensor.createTensor(env, new long[][] {ids});
             OnnxTensor maskTensor = OnnxTensor.createTensor(env, new long[][] {{1, 1, 1, 1, 1, 1}});
             OnnxTensor typeTensor = OnnxTensor.createTensor(env, new long[][] {types});
             OrtSession.Result result = session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor,
                     "token_type_ids", typeTensor))) {
            for (String name : wanted) {
                ort.put(name, ((float[][][]) result.get(name).orElseThrow().getValue())[0]);  // (T, C) of batch 0
            }
            ort.put("last_hidden_state", ((float[][][]) result.get("last_hidden_state").orElseThrow().getValue())[0]);
        }

        Map<String, TensorData> w = conversion.weights();
        double eps = conversion.config().get("layer_norm_eps").asDouble();
        // Embeddings: word + position + token type, then LayerNorm.
        float[][] embedded = new float[ids.length][HIDDEN];
        for (int t = 0; t < ids.length; t++) {
            for (int c = 0; c < HIDDEN; c++) {
                embedded[t][c] = at(w.get("embeddings.word_embeddings.weight"), ids[t], c)
                        + at(w.get("embeddings.position_embeddings.weight"), t, c)
                        + at(w.get("embeddings.token_type_embeddings.weight"), types[t], c);
            }
        }
        assertClose(ort.get(layerInput(0)), layerNorm(embedded, w, "embeddings.LayerNorm", eps), "embeddings");

        // Each Linear and LayerNorm of every layer, fed with ONNX Runtime's own input to it.
        for (int l = 0; l < LAYERS; l++) {
            String p = "encoder.layer." + l + ".";
            float[][] x = ort.get(layerInput(l));
            for (String projection : List.of("query", "key", "value")) {
                assertClose(ort.get(node(l, "attention/self/" + projection + "/Add_output_0")),
                        linear(x, w, p + "attention.self." + projection), p + projection);
            }
            float[][] attentionOut = ort.get(node(l, "attention/output/dense/Add_output_0"));
            assertClose(attentionOut, linear(ort.get(node(l, "attention/self/Reshape_3_output_0")), w,
                    p + "attention.output.dense"), p + "attention.output.dense");
            float[][] attention = ort.get(node(l, "attention/output/LayerNorm/Add_1_output_0"));
            assertClose(attention, layerNorm(add(attentionOut, x), w, p + "attention.output.LayerNorm", eps),
                    p + "attention.output.LayerNorm");
            assertClose(ort.get(node(l, "intermediate/dense/Add_output_0")), linear(attention, w, p + "intermediate.dense"),
                    p + "intermediate.dense");
            float[][] output = ort.get(node(l, "output/dense/Add_output_0"));
            assertClose(output, linear(ort.get(node(l, "intermediate/intermediate_act_fn/Mul_1_output_0")), w,
                    p + "output.dense"), p + "output.dense");
            assertClose(ort.get(layerOutput(l)), layerNorm(add(output, attention), w, p + "output.LayerNorm", eps),
                    p + "output.LayerNorm");
        }
    }

    private static float at(TensorData matrix, long row, int col) {
        return matrix.bytes().getFloat((int) ((row * matrix.shape()[1] + col) * 4));
    }

    /** y = x W^T + b with W (out, in) as torch's Linear stores it. */
    private static float[][] linear(float[][] x, Map<String, TensorData> w, String module) {
        float[] weight = w.get(module + ".weight").toFloats();
        float[] bias = w.get(module + ".bias").toFloats();
        int in = x[0].length, out = bias.length;
        assertEquals((long) in * out, weight.length, module);
        float[][] y = new float[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double sum = bias[o];
                for (int i = 0; i < in; i++) {
                    sum += (double) weight[o * in + i] * x[t][i];
                }
                y[t][o] = (float) sum;
            }
        }
        return y;
    }

    private static float[][] layerNorm(float[][] x, Map<String, TensorData> w, String module, double eps) {
        float[] gamma = w.get(module + ".weight").toFloats();
        float[] beta = w.get(module + ".bias").toFloats();
        float[][] y = new float[x.length][];
        for (int t = 0; t < x.length; t++) {
            double mean = 0, variance = 0;
            for (float v : x[t]) {
                mean += v;
            }
            mean /= x[t].length;
            for (float v : x[t]) {
                variance += (v - mean) * (v - mean);
            }
            variance /= x[t].length;
            y[t] = new float[x[t].length];
            for (int c = 0; c < x[t].length; c++) {
                y[t][c] = (float) ((x[t][c] - mean) / Math.sqrt(variance + eps) * gamma[c] + beta[c]);
            }
        }
        return y;
    }

    private static float[][] add(float[][] a, float[][] b) {
        float[][] sum = new float[a.length][a[0].length];
        for (int t = 0; t < a.length; t++) {
            for (int c = 0; c < a[0].length; c++) {
                sum[t][c] = a[t][c] + b[t][c];
            }
        }
        return sum;
    }

    private static void assertClose(float[][] expected, float[][] actual, String what) {
        assertNotNull(expected, what);
        assertEquals(expected.length, actual.length, what);
        for (int t = 0; t < expected.length; t++) {
            assertEquals(expected[t].length, actual[t].length, what);
            for (int c = 0; c < expected[t].length; c++) {
                double tolerance = 2e-4 + 1e-4 * Math.abs(expected[t][c]);
                if (Math.abs(expected[t][c] - actual[t][c]) > tolerance) {
                    fail(what + " at [" + t + "][" + c + "]: ONNX Runtime " + expected[t][c] + ", imported weights " + actual[t][c]);
                }
            }
        }
    }

    // ---- files and errors ---------------------------------------------------------------------------------

    @Test
    void importBertWritesAnHfDirectory(@TempDir Path directory) throws Exception {
        Path onnxFile = directory.resolve("minilm.onnx");
        Path tokenizer = directory.resolve("tokenizer-in.json");
        Files.write(onnxFile, onnxBytes);
        byte[] tokenizerBytes = resource(MiniLm.TOKENIZER_RESOURCE);
        Files.write(tokenizer, tokenizerBytes);
        Path out = directory.resolve("out");
        OnnxBertImporter.importBert(onnxFile, tokenizer, out);

        assertEquals(Set.of("config.json", "model.safetensors", "tokenizer.json"), list(out));
        assertArrayEquals(tokenizerBytes, Files.readAllBytes(out.resolve("tokenizer.json")));
        assertEquals(conversion.config(), HfConfig.read(out));
        try (SafeTensorsFile weights = SafeTensors.open(out.resolve("model.safetensors"))) {
            assertEquals(expectedNames(), weights.names());
            for (String name : weights.names()) {
                TensorData written = weights.get(name);
                assertArrayEquals(conversion.weights().get(name).shape(), written.shape(), name);
                assertEquals(conversion.weights().get(name).bytes(), written.bytes(), name);
            }
        }

        // From a stream, without a tokenizer: same weights, no tokenizer.json; the directory is replaced whole.
        OnnxBertImporter.importBert(Files.newInputStream(onnxFile), "stream", null, out);
        assertEquals(Set.of("config.json", "model.safetensors"), list(out));
    }

    private static Set<String> list(Path directory) throws Exception {
        try (var files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    private static OnnxModel withInitializers(Map<String, TensorData> initializers) {
        return new OnnxModel(model.nodes(), initializers, model.inputs(), model.outputs(), model.producerName(),
                model.opsetVersion());
    }

    @Test
    void missingParameterIsNamed() {
        Map<String, TensorData> initializers = new LinkedHashMap<>(model.initializers());
        initializers.remove("encoder.layer.3.output.dense.bias");
        GlossaException e = assertThrows(GlossaException.class,
                () -> OnnxBertImporter.convert(withInitializers(initializers), "minilm.onnx"));
        assertEquals("minilm.onnx: BERT parameter encoder.layer.3.output.dense.bias not found in the ONNX graph",
                e.getMessage());
    }

    @Test
    void inconsistentShapeIsNamed() {
        Map<String, TensorData> initializers = new LinkedHashMap<>(model.initializers());
        initializers.put("encoder.layer.2.attention.self.key.bias", TensorData.ofFloats(new float[383], 383));
        GlossaException e = assertThrows(GlossaException.class,
                () -> OnnxBertImporter.convert(withInitializers(initializers), "minilm.onnx"));
        assertTrue(e.getMessage().startsWith("minilm.onnx: parameter encoder.layer.2.attention.self.key.bias"), e.getMessage());
        assertTrue(e.getMessage().contains("[383], expected [384]"), e.getMessage());
    }

    @Test
    void aGraphWithoutBertWeightsIsRejected() {
        // A single MatMul y = x W.
        byte[] bytes = new ProtoBytes().message(7, new ProtoBytes()
                .message(1, new ProtoBytes().string(1, "x").string(1, "W").string(2, "y").string(3, "/fc/MatMul").string(4, "MatMul"))
                .message(5, new ProtoBytes().varint(1, 1).varint(1, 2).varint(2, 1).string(8, "W").packedFloats(4, 1f, 2f))
                .message(11, new ProtoBytes().string(1, "x"))
                .message(12, new ProtoBytes().string(1, "y"))).toByteArray();
        OnnxModel tiny = OnnxModel.read(ByteBuffer.wrap(bytes), "tiny.onnx");
        GlossaException e = assertThrows(GlossaException.class, () -> OnnxBertImporter.convert(tiny, "tiny.onnx"));
        assertTrue(e.getMessage().startsWith("tiny.onnx does not look like an ONNX BERT"), e.getMessage());
    }

    @Test
    void aTokenizerThatIsNotJsonIsRejectedBeforeWriting(@TempDir Path directory) throws Exception {
        Path onnxFile = directory.resolve("minilm.onnx");
        Files.write(onnxFile, onnxBytes);
        Path notJson = directory.resolve("vocab.txt");
        Files.writeString(notJson, "[PAD]\n[UNK]\n");
        Path out = directory.resolve("out");
        GlossaException e = assertThrows(GlossaException.class, () -> OnnxBertImporter.importBert(onnxFile, notJson, out));
        assertTrue(e.getMessage().startsWith(notJson.toString()), e.getMessage());
        assertTrue(Files.notExists(out));
    }
}
