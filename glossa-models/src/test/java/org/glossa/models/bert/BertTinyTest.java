package org.glossa.models.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.SafeTensorsFile;
import org.glossa.core.safetensors.TensorData;
import org.glossa.nn.Tensors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny random BERT: names, shapes, masking, pre-LN, save → load, and every load error. */
@Tag("model")
class BertTinyTest {
    @TempDir Path dir;

    static Bert.Model tiny(boolean pre) {
        torch.manual_seed(7);
        Bert.Model model = new Bert.Model(BertConfig.tiny().withPreLayerNorm(pre), true);
        model.train(false);
        return model;
    }

    static float[] hidden(Bert.Model model, long[] ids, long[] mask, long... shape) {
        return Tensors.inference(() -> Tensors.toFloats(model.forward(Tensors.fromLongs(ids, shape), null,
                Tensors.fromLongs(mask, shape)).lastHiddenState()));
    }

    @Test
    void parameterNamesAreHuggingFacesBertModelNames() {
        Map<String, Tensor> params = tiny(false).namedParameters();
        // 5 embedding tensors + 16 per layer + 2 pooler, as in transformers' BertModel.state_dict().
        assertEquals(5 + 2 * 16 + 2, params.size());
        assertTrue(params.containsKey("encoder.layer.1.attention.self.query.weight"));
        assertTrue(params.containsKey("encoder.layer.0.attention.output.LayerNorm.bias"));
        assertTrue(params.containsKey("encoder.layer.1.output.dense.weight"));
        assertArrayEquals(new long[] {64, 32}, Tensors.shape(params.get("encoder.layer.0.intermediate.dense.weight")));
        assertArrayEquals(new long[] {32, 64}, Tensors.shape(params.get("encoder.layer.0.output.dense.weight")));
        assertTrue(tiny(true).namedParameters().containsKey("encoder.final_layer_norm.weight"));
    }

    @Test
    void paddingDoesNotChangeRealTokens() {
        for (boolean pre : new boolean[] {false, true}) {
            Bert.Model model = tiny(pre);
            long[] alone = {2, 17, 33, 41, 3};
            float[] expected = hidden(model, alone, new long[] {1, 1, 1, 1, 1}, 1, 5);
            // Same sequence padded to 8 in a batch beside a longer one; padding ids are arbitrary on purpose.
            long[] ids = {2, 17, 33, 41, 3, 9, 9, 9, /* second row */ 2, 5, 6, 7, 8, 10, 11, 3};
            long[] mask = {1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
            float[] batched = hidden(model, ids, mask, 2, 8);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], batched[i], 1e-5, "pre-LN " + pre + " element " + i);
            }
            // And the mask matters: unmasking the padding changes the real tokens.
            double change = 0;
            long[] ones = new long[16];
            java.util.Arrays.fill(ones, 1);
            float[] unmasked = hidden(model, ids, ones, 2, 8);
            for (int i = 0; i < expected.length; i++) {
                change = Math.max(change, Math.abs(unmasked[i] - expected[i]));
            }
            assertTrue(change > 1e-3, "attention mask has no effect");
        }
    }

    @Test
    void trainingAttentionEqualsTheFusedKernelWithoutDropout() {
        // tiny() has no dropout, so train mode differs only in the attention implementation used.
        for (boolean pre : new boolean[] {false, true}) {
            Bert.Model model = tiny(pre);
            long[] ids = {2, 17, 33, 41, 3, 9, 9, 9, 2, 5, 6, 7, 8, 10, 11, 3};
            long[] mask = {1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
            float[] fused = hidden(model, ids, mask, 2, 8);
            model.train(true);
            float[] explicit = hidden(model, ids, mask, 2, 8);
            for (int i = 0; i < 5 * 32; i++) {
                assertEquals(fused[i], explicit[i], 1e-5, "pre-LN " + pre + " element " + i);
            }
            for (int i = 8 * 32; i < fused.length; i++) {
                assertEquals(fused[i], explicit[i], 1e-5, "pre-LN " + pre + " element " + i);
            }
        }
    }

    @Test
    void postLnOutputsAreLayerNormalised() {
        float[] h = hidden(tiny(false), new long[] {2, 5, 3}, new long[] {1, 1, 1}, 1, 3);
        for (int t = 0; t < 3; t++) {
            double mean = 0;
            double var = 0;
            for (int k = 0; k < 32; k++) {
                mean += h[t * 32 + k] / 32.0;
            }
            for (int k = 0; k < 32; k++) {
                var += Math.pow(h[t * 32 + k] - mean, 2) / 32.0;
            }
            assertEquals(0, mean, 1e-5);
            assertEquals(1, var, 1e-3); // γ = 1, β = 0 at initialisation
        }
    }

    @Test
    void saveThenLoadGivesIdenticalOutputs() {
        Bert.Model model = tiny(false);
        model.save(dir);
        Bert.Model loaded = Bert.Model.load(dir);
        loaded.train(false);
        assertNotNull(loaded.pooler);
        long[] ids = {2, 7, 9, 3};
        long[] mask = {1, 1, 1, 1};
        assertArrayEquals(hidden(model, ids, mask, 1, 4), hidden(loaded, ids, mask, 1, 4));
        assertEquals(model.config, loaded.config);
    }

    @Test
    void checkpointWithoutPoolerLoadsWithoutPooler() {
        Bert.Model model = new Bert.Model(BertConfig.tiny(), false);
        model.save(dir);
        assertNull(Bert.Model.load(dir).pooler);
    }

    /** Rewrites the saved checkpoint through {@code edit} and returns the load error's message. */
    String loadErrorAfter(java.util.function.Consumer<Map<String, TensorData>> edit) throws Exception {
        tiny(false).save(dir);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        try (SafeTensorsFile file = SafeTensors.open(dir.resolve("model.safetensors"))) {
            for (String name : file.names()) {
                TensorData data = file.get(name);
                byte[] copy = new byte[data.bytes().remaining()];
                data.bytes().get(copy);
                tensors.put(name, new TensorData(data.dtype(), data.shape(), java.nio.ByteBuffer.wrap(copy)));
            }
        }
        edit.accept(tensors);
        SafeTensors.write(dir.resolve("model.safetensors"), tensors, Map.of());
        return assertThrows(GlossaException.class, () -> Bert.Model.load(dir)).getMessage();
    }

    @Test
    void loadNamesAMissingParameter() throws Exception {
        String message = loadErrorAfter(t -> t.remove("encoder.layer.1.attention.self.key.bias"));
        assertTrue(message.contains("'encoder.layer.1.attention.self.key.bias' is missing"), message);
    }

    @Test
    void loadNamesAnUnexpectedParameter() throws Exception {
        String message = loadErrorAfter(t -> t.put("encoder.layer.7.output.dense.weight", TensorData.ofFloats(new float[4], 2, 2)));
        assertTrue(message.contains("unexpected parameter encoder.layer.7.output.dense.weight"), message);
    }

    @Test
    void loadNamesAWrongShapeWithBothShapes() throws Exception {
        String message = loadErrorAfter(t -> t.put("encoder.layer.0.attention.self.query.weight",
                TensorData.ofFloats(new float[32 * 16], 16, 32)));
        assertTrue(message.contains("'encoder.layer.0.attention.self.query.weight' has shape [16, 32]"), message);
        assertTrue(message.contains("expects [32, 32]"), message);
    }

    @Test
    void loadNamesConfigProblems() throws Exception {
        tiny(false).save(dir);
        Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 32,");
        assertTrue(assertThrows(GlossaException.class, () -> Bert.Model.load(dir)).getMessage().contains("config.json"));
        Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": 100, \"hidden_size\": 30, \"num_hidden_layers\": 2,"
                + " \"num_attention_heads\": 4, \"intermediate_size\": 64, \"max_position_embeddings\": 64}");
        String message = assertThrows(GlossaException.class, () -> Bert.Model.load(dir)).getMessage();
        assertTrue(message.contains("hidden_size 30 is not a multiple of num_attention_heads 4"), message);
        Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": 100}");
        message = assertThrows(GlossaException.class, () -> Bert.Model.load(dir)).getMessage();
        assertTrue(message.contains("'hidden_size' is missing"), message);
        assertThrows(GlossaException.class, () -> Bert.Model.load(dir.resolve("absent")));
    }

    @Test
    void modelBuiltInsideAScopeOutlivesIt() {
        Bert.Model model;
        try (org.glossa.nn.NativeScope scope = new org.glossa.nn.NativeScope()) {
            model = tiny(false);
        }
        System.gc();
        float[] h = hidden(model, new long[] {2, 5, 3}, new long[] {1, 1, 1}, 1, 3);
        assertEquals(3 * 32, h.length);
        assertTrue(Float.isFinite(h[0]));
    }

    @Test
    void tooLongInputIsRejected() {
        long[] ids = new long[65];
        var error = assertThrows(IllegalArgumentException.class, () -> hidden(tiny(false), ids, ids, 1, 65));
        assertTrue(error.getMessage().contains("exceeds max_position_embeddings 64"));
    }
}
