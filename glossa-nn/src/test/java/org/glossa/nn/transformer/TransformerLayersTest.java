package org.glossa.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.HfConfig;
import org.glossa.nn.Engine;
import org.glossa.nn.Masks;
import org.glossa.nn.Module;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The attention and Transformer layers against PyTorch's own modules. {@code transformer/golden.json} in the test
 * resources was written by {@code transformer/make_golden.py} with PyTorch 1.13 ({@code nn.MultiheadAttention},
 * {@code nn.TransformerEncoderLayer}, {@code nn.TransformerDecoderLayer}, post-LN and pre-LN, ReLU and GELU, with
 * padding and causal masks): the weights under our names, the inputs and PyTorch's outputs. Loading those weights
 * by name also checks that our parameter names cover exactly PyTorch's parameters.
 */
@Tag("model")
class TransformerLayersTest {
    private static JsonNode golden;
    private NativeScope scope;

    @BeforeAll
    static void readGolden() throws IOException {
        try (InputStream in = TransformerLayersTest.class.getResourceAsStream("/transformer/golden.json")) {
            assertTrue(in != null, "test resource transformer/golden.json is missing");
            golden = HfConfig.mapper().readTree(in);
        }
    }

    @BeforeEach
    void open() {
        Engine.init();
        scope = new NativeScope();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    private static LayerOptions options(JsonNode testCase) {
        boolean pre = testCase.path("pre_layer_norm").asBoolean(false);
        Activation activation = Activation.fromConfigName(testCase.path("activation").asText("relu"));
        return new LayerOptions(golden.get("d_model").asLong(), golden.get("heads").asLong(), golden.get("ffn_dim").asLong(),
                activation, 0.0, 0.0, 0.0, pre, 1e-5);
    }

    /** Copies every weight of the case into the module, requiring the two name sets to be equal. */
    private static void load(Module module, JsonNode weights) {
        Map<String, Tensor> parameters = module.namedParameters();
        TreeSet<String> stored = new TreeSet<>();
        weights.fieldNames().forEachRemaining(stored::add);
        assertEquals(stored, new TreeSet<>(parameters.keySet()), "parameter names");
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (Iterator<String> names = weights.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                parameters.get(name).copy_(tensor(weights.get(name)));
            }
        }
    }

    private static Tensor tensor(JsonNode entry) {
        JsonNode data = entry.get("data");
        float[] values = new float[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) data.get(i).asDouble();
        }
        long[] shape = new long[entry.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = entry.get("shape").get(i).asLong();
        }
        return Tensors.fromFloats(values, shape);
    }

    /** (B, T) key mask from row lengths. */
    private static Tensor lengthsKeep(JsonNode lengths, long length) {
        long[] ids = new long[lengths.size() * (int) length];
        for (int row = 0; row < lengths.size(); row++) {
            for (int t = 0; t < length; t++) {
                ids[row * (int) length + t] = t < lengths.get(row).asInt() ? 1 : 0;
            }
        }
        return Masks.keys(Masks.notPadding(Tensors.fromLongs(ids, lengths.size(), length), 0));
    }

    private static void assertClose(JsonNode expected, Tensor actual, double tolerance, String what) {
        float[] want = Tensors.toFloats(tensor(expected));
        float[] got = Tensors.toFloats(actual);
        long[] shape = new long[expected.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = expected.get("shape").get(i).asLong();
        }
        assertArrayEquals(shape, Tensors.shape(actual), what + ": shape");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tolerance, what + " [" + i + "]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"self_padding", "self_causal", "cross"})
    void attentionMatchesPyTorch(String name) {
        JsonNode testCase = golden.get("attention").get(name);
        MultiHeadAttention attention = new MultiHeadAttention(golden.get("d_model").asLong(), golden.get("heads").asLong(), 0.0);
        load(attention, testCase.get("weights"));
        Tensor query = tensor(testCase.get("query"));
        Tensor keyValue = tensor(testCase.get("key_value"));
        Tensor keep = lengthsKeep(testCase.get("key_lengths"), keyValue.size(1));
        if (testCase.get("causal").asBoolean()) {
            keep = Masks.both(keep, Masks.causal(query.size(1), keyValue.size(1)));
        }
        Tensor finalKeep = keep;
        Tensors.noGrad(() -> {
            MultiHeadAttention.Result explicit = attention.forward(query, keyValue, finalKeep, true);
            assertClose(testCase.get("output"), explicit.output(), 1e-5, name + " output");
            assertClose(testCase.get("attention"), explicit.weights(), 1e-6, name + " weights");
            // Without weights: libtorch's fused kernel, the same numbers.
            MultiHeadAttention.Result fused = attention.forward(query, keyValue, finalKeep, false);
            assertNull(fused.weights());
            assertClose(testCase.get("output"), fused.output(), 1e-5, name + " fused output");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"post_relu", "pre_gelu"})
    void encoderLayerMatchesPyTorch(String name) {
        JsonNode testCase = golden.get("encoder_layer").get(name);
        EncoderLayer layer = new EncoderLayer(options(testCase));
        load(layer, testCase.get("weights"));
        Tensor x = tensor(testCase.get("input"));
        Tensor keep = lengthsKeep(testCase.get("lengths"), x.size(1));
        Tensors.noGrad(() -> assertClose(testCase.get("output"), layer.forward(x, keep, false).output(), 1e-5, name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"post_relu", "pre_gelu"})
    void decoderLayerMatchesPyTorch(String name) {
        JsonNode testCase = golden.get("decoder_layer").get(name);
        DecoderLayer layer = new DecoderLayer(options(testCase));
        load(layer, testCase.get("weights"));
        Tensor x = tensor(testCase.get("input"));
        Tensor memory = tensor(testCase.get("memory"));
        Tensor memoryKeep = lengthsKeep(testCase.get("memory_lengths"), memory.size(1));
        Tensor causal = Masks.causal(x.size(1), x.size(1));
        Tensors.noGrad(() -> {
            DecoderLayer.Result result = layer.forward(x, causal, memory, memoryKeep, null, true);
            assertClose(testCase.get("output"), result.output(), 1e-5, name);
            assertArrayEquals(new long[] {2, 2, 4, 4}, Tensors.shape(result.selfAttention()));
            assertArrayEquals(new long[] {2, 2, 4, 6}, Tensors.shape(result.crossAttention()));
        });
    }

    @Test
    void sinusoidIsTheTutorialTable() {
        JsonNode entry = golden.get("sinusoid");
        int length = entry.get("length").asInt();
        int dim = entry.get("dim").asInt();
        Positions positions = new Positions(length + 5, dim);
        float[] table = Tensors.toFloats(positions.forward(0, length));
        for (int i = 0; i < table.length; i++) {
            assertEquals(entry.get("table").get(i).asDouble(), table[i], 1e-6, "element " + i);
        }
        // An offset reads later rows: what incremental decoding asks for.
        float[] row7 = Tensors.toFloats(positions.forward(7, 1));
        for (int i = 0; i < dim; i++) {
            assertEquals(table[7 * dim + i], row7[i], 0.0);
        }
    }

    /** A random layer with non-trivial weights (seeded). */
    private static LayerOptions small(boolean pre) {
        return new LayerOptions(16, 4, 64, Activation.GELU, 0.0, 0.0, 0.0, pre, 1e-5);
    }

    @Test
    void paddingNeverChangesTheRealPositions() {
        for (boolean pre : new boolean[] {false, true}) {
            torch.manual_seed(11);
            EncoderLayer layer = new EncoderLayer(small(pre));
            Tensor alone = torch.randn(1, 4, 16); // one sentence of 4 tokens
            Tensor expected = Tensors.noGrad(() -> layer.forward(alone, null, false).output());
            // The same sentence padded to 7 with arbitrary vectors, which the mask hides.
            Tensor padded = torch.cat(new org.bytedeco.pytorch.TensorVector(alone, torch.randn(1, 3, 16).mul(
                    new org.bytedeco.pytorch.Scalar(5.0))), 1);
            Tensor keep = Masks.keys(Masks.notPadding(Tensors.fromLongs(new long[] {1, 1, 1, 1, 0, 0, 0}, 1, 7), 0));
            Tensor masked = Tensors.noGrad(() -> layer.forward(padded, keep, false).output().narrow(1, 0, 4));
            assertClose(Tensors.toFloats(expected), Tensors.toFloats(masked), 1e-5, "pre-LN " + pre);
            // Without the mask the padding leaks in: the test can tell.
            Tensor unmasked = Tensors.noGrad(() -> layer.forward(padded, null, false).output().narrow(1, 0, 4));
            assertTrue(maxDifference(Tensors.toFloats(expected), Tensors.toFloats(unmasked)) > 1e-3);
        }
    }

    @Test
    void futurePositionsNeverChangeThePast() {
        for (boolean pre : new boolean[] {false, true}) {
            torch.manual_seed(12);
            DecoderLayer layer = new DecoderLayer(small(pre));
            Tensor memory = torch.randn(1, 5, 16);
            Tensor x = torch.randn(1, 6, 16);
            Tensor changed = x.clone();
            Tensors.noGrad(() -> changed.narrow(1, 3, 3).copy_(torch.randn(1, 3, 16))); // new positions 3, 4, 5
            Tensor causal = Masks.causal(6, 6);
            float[] before = Tensors.toFloats(Tensors.noGrad(() -> layer.forward(x, causal, memory, null, null, false)
                    .output().narrow(1, 0, 3)));
            float[] after = Tensors.toFloats(Tensors.noGrad(() -> layer.forward(changed, causal, memory, null, null, false)
                    .output().narrow(1, 0, 3)));
            assertClose(before, after, 1e-6, "pre-LN " + pre);
            float[] leaky = Tensors.toFloats(Tensors.noGrad(() -> layer.forward(changed, null, memory, null, null, false)
                    .output().narrow(1, 0, 3)));
            assertTrue(maxDifference(before, leaky) > 1e-3, "without the causal mask the future leaks in");
        }
    }

    @Test
    void cachedStepsEqualTheFullComputation() {
        torch.manual_seed(13);
        DecoderLayer layer = new DecoderLayer(small(false));
        Tensor memory = torch.randn(2, 5, 16);
        Tensor memoryKeep = Masks.keys(Masks.notPadding(Tensors.fromLongs(new long[] {1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, 2, 5), 0));
        Tensor x = torch.randn(2, 6, 16);
        float[] full = Tensors.toFloats(Tensors.noGrad(() -> layer.forward(x, Masks.causal(6, 6), memory, memoryKeep, null, false)
                .output()));
        try (DecoderLayer.Cache cache = new DecoderLayer.Cache()) {
            // Two positions first (a prompt, with the causal mask), then one at a time (no mask needed).
            float[] steps = new float[full.length];
            for (int t = 0; t < 6; ) {
                int count = t == 0 ? 2 : 1;
                int from = t;
                try (NativeScope step = new NativeScope()) {
                    Tensor mask = count > 1 ? Masks.causal(count, from + count) : null;
                    float[] out = Tensors.toFloats(Tensors.noGrad(() -> layer.forward(x.narrow(1, from, count), mask, memory,
                            memoryKeep, cache, false).output()));
                    for (int row = 0; row < 2; row++) {
                        System.arraycopy(out, row * count * 16, steps, (row * 6 + from) * 16, count * 16);
                    }
                }
                t += count;
                assertEquals(t, cache.length());
            }
            assertClose(full, steps, 1e-5, "cached");
        }
    }

    @Test
    void attentionWeightsAreDistributionsThatSkipMaskedKeys() {
        torch.manual_seed(14);
        MultiHeadAttention attention = new MultiHeadAttention(16, 4, 0.0);
        Tensor x = torch.randn(2, 5, 16);
        Tensor keep = Masks.keys(Masks.notPadding(Tensors.fromLongs(new long[] {1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, 2, 5), 0));
        float[] weights = Tensors.toFloats(Tensors.noGrad(() -> attention.forward(x, x, keep, true).weights())); // (2, 4, 5, 5)
        for (int row = 0; row < 2 * 4 * 5; row++) {
            double sum = 0;
            for (int k = 0; k < 5; k++) {
                double w = weights[row * 5 + k];
                sum += w;
                if (row >= 4 * 5 && k >= 2) {
                    assertEquals(0.0, w, 0.0, "masked key " + k + " of row " + row);
                }
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }

    @Test
    void causalMaskWithACacheOffset() {
        // 2 new queries after 3 cached positions: query 0 is position 3 (sees keys 0–3), query 1 sees all 5.
        long[] expected = {1, 1, 1, 1, 0, 1, 1, 1, 1, 1};
        assertArrayEquals(new long[] {1, 1, 2, 5}, Tensors.shape(Masks.causal(2, 5)));
        assertArrayEquals(expected, Tensors.toLongs(Masks.causal(2, 5)));
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + " [" + i + "]");
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
