package org.glossa.models.charrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.models.GoldenFiles;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The recurrent language model against PyTorch: the files under {@code charrnn/gru} and {@code charrnn/lstm} in
 * the test resources were written by {@code make_golden.py} with PyTorch 1.13's {@code nn.GRU} / {@code nn.LSTM}
 * (weights, config, and the logits and states of two chained calls), so names, layouts, gate order and the
 * state hand-over are checked against the reference implementation.
 */
@Tag("model")
class CharRnnTest {
    @TempDir Path dir;

    /** Copies a golden model directory out of the class path. */
    private Path golden(String cell) throws IOException {
        return GoldenFiles.copy("charrnn", cell, dir);
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + " [" + i + "]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gru", "lstm"})
    void matchesPyTorchOnTwoChainedCalls(String cell) throws IOException {
        Path modelDir = golden(cell);
        JsonNode expected = HfConfig.mapper().readTree(modelDir.resolve("expected.json").toFile());
        CharRnn.Model model = CharRnn.Model.load(modelDir);
        List<String> names = new ArrayList<>(model.namedParameters().keySet());
        List<String> torchNames = new ArrayList<>();
        expected.get("parameter_names").forEach(n -> torchNames.add(n.asText()));
        assertEquals(torchNames, names, "parameter names and order of PyTorch's state_dict()");

        try (NativeScope scope = new NativeScope()) {
            Tensors.noGrad(() -> {
                CharRnn.Output first = model.forward(
                        Tensors.fromLongs(longs(expected.get("first_ids")), longs(expected.get("first_shape"))), null);
                assertClose(GoldenFiles.floats(expected.get("first_logits")), Tensors.toFloats(first.logits()), 1e-5, "first logits");
                assertClose(GoldenFiles.floats(expected.get("first_state").get(0)), Tensors.toFloats(first.state().h()), 1e-5, "first h");
                CharRnn.Output second = model.forward(
                        Tensors.fromLongs(longs(expected.get("second_ids")), longs(expected.get("second_shape"))), first.state());
                assertClose(GoldenFiles.floats(expected.get("second_logits")), Tensors.toFloats(second.logits()), 1e-5, "second logits");
                assertClose(GoldenFiles.floats(expected.get("second_state").get(0)), Tensors.toFloats(second.state().h()), 1e-5, "second h");
                if (cell.equals("lstm")) {
                    assertClose(GoldenFiles.floats(expected.get("second_state").get(1)), Tensors.toFloats(second.state().c()), 1e-5,
                            "second c");
                } else {
                    assertNull(second.state().c());
                }
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gru", "lstm"})
    void outputShapes(String cell) {
        torch.manual_seed(3);
        CharRnnConfig config = new CharRnnConfig(13, 8, 12, 3, cell, 0.0);
        CharRnn.Model model = new CharRnn.Model(config);
        assertEquals("rnn.weight_ih_l0", new ArrayList<>(model.namedParameters().keySet()).get(1));
        assertArrayEquals(new long[] {12L * config.gates(), 8},
                Tensors.shape(model.namedParameters().get("rnn.weight_ih_l0")));
        assertArrayEquals(new long[] {12L * config.gates(), 12}, Tensors.shape(model.namedParameters().get("rnn.weight_hh_l2")));
        try (NativeScope scope = new NativeScope()) {
            CharRnn.Output out = Tensors.noGrad(() -> model.forward(Tensors.fromLongs(new long[4 * 5], 4, 5), null));
            assertArrayEquals(new long[] {4, 5, 13}, Tensors.shape(out.logits()));
            assertArrayEquals(new long[] {3, 4, 12}, Tensors.shape(out.state().h()));
            if (cell.equals("lstm")) {
                assertArrayEquals(new long[] {3, 4, 12}, Tensors.shape(out.state().c()));
            }
        }
    }

    @Test
    void stateCarriesAcrossCalls() {
        // Feeding a sequence in two halves with the state handed over gives the logits of one call on the whole.
        torch.manual_seed(5);
        CharRnn.Model model = new CharRnn.Model(CharRnnConfig.tiny(9, "lstm"));
        long[] ids = {1, 4, 2, 8, 0, 3, 3, 7};
        try (NativeScope scope = new NativeScope()) {
            Tensors.noGrad(() -> {
                float[] whole = Tensors.toFloats(model.forward(Tensors.fromLongs(ids, 1, 8), null).logits());
                CharRnn.Output head = model.forward(Tensors.fromLongs(Arrays.copyOf(ids, 5), 1, 5), null);
                CharRnn.Output tail = model.forward(Tensors.fromLongs(Arrays.copyOfRange(ids, 5, 8), 1, 3), head.state());
                float[] joined = new float[whole.length];
                float[] a = Tensors.toFloats(head.logits());
                float[] b = Tensors.toFloats(tail.logits());
                System.arraycopy(a, 0, joined, 0, a.length);
                System.arraycopy(b, 0, joined, a.length, b.length);
                assertClose(whole, joined, 1e-6, "logits");
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gru", "lstm"})
    void saveThenLoadGivesIdenticalLogits(String cell) {
        torch.manual_seed(11);
        CharRnn.Model model = new CharRnn.Model(new CharRnnConfig(10, 6, 9, 2, cell, 0.25));
        model.train(false);
        long[] ids = {1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2};
        model.save(dir);
        CharRnn.Model loaded = CharRnn.Model.load(dir);
        assertEquals(model.config, loaded.config);
        try (NativeScope scope = new NativeScope()) {
            float[] before = Tensors.noGrad(() -> Tensors.toFloats(model.forward(Tensors.fromLongs(ids, 2, 6), null).logits()));
            float[] after = Tensors.noGrad(() -> Tensors.toFloats(loaded.forward(Tensors.fromLongs(ids, 2, 6), null).logits()));
            assertArrayEquals(before, after);
        }
    }

    @Test
    void dropoutActsBetweenLayersOnlyWhileTraining() {
        torch.manual_seed(2);
        CharRnn.Model model = new CharRnn.Model(new CharRnnConfig(7, 4, 16, 2, "gru", 0.5));
        long[] ids = {1, 2, 3, 4, 5, 6};
        try (NativeScope scope = new NativeScope()) {
            Tensors.noGrad(() -> {
                model.train(false);
                float[] eval1 = Tensors.toFloats(model.forward(Tensors.fromLongs(ids, 1, 6), null).logits());
                float[] eval2 = Tensors.toFloats(model.forward(Tensors.fromLongs(ids, 1, 6), null).logits());
                assertArrayEquals(eval1, eval2);
                model.train(true);
                float[] train = Tensors.toFloats(model.forward(Tensors.fromLongs(ids, 1, 6), null).logits());
                model.train(false);
                assertFalse(Arrays.equals(eval1, train), "dropout 0.5 changed nothing while training");
            });
        }
    }

    @Test
    void loadErrorsNameTheProblem() throws IOException {
        Path modelDir = golden("gru");
        Files.delete(modelDir.resolve("model.safetensors"));
        GlossaException missingWeights = assertThrows(GlossaException.class, () -> CharRnn.Model.load(modelDir));
        assertTrue(missingWeights.getMessage().contains("model.safetensors") && missingWeights.getMessage().contains("no such file"),
                missingWeights.getMessage());

        Path other = golden("lstm");
        Files.delete(other.resolve("config.json"));
        GlossaException missingConfig = assertThrows(GlossaException.class, () -> CharRnn.Model.load(other));
        assertTrue(missingConfig.getMessage().contains("config.json"), missingConfig.getMessage());

        // A config that disagrees with the weights: the offending parameter and both shapes are named.
        Path wrong = golden("gru");
        String config = Files.readString(wrong.resolve("config.json")).replace("\"hidden_size\": 7", "\"hidden_size\": 8");
        Files.writeString(wrong.resolve("config.json"), config);
        GlossaException shape = assertThrows(GlossaException.class, () -> CharRnn.Model.load(wrong));
        assertTrue(shape.getMessage().contains("rnn.weight_ih_l0") && shape.getMessage().contains("[21, 5]"), shape.getMessage());

        Files.writeString(wrong.resolve("config.json"), config.replace("glossa-char-rnn", "bert"));
        GlossaException type = assertThrows(GlossaException.class, () -> CharRnn.Model.load(wrong));
        assertTrue(type.getMessage().contains("model_type"), type.getMessage());

        Files.writeString(wrong.resolve("config.json"), config.replace("\"gru\"", "\"rnn_relu\""));
        GlossaException cell = assertThrows(GlossaException.class, () -> CharRnn.Model.load(wrong));
        assertTrue(cell.getMessage().contains("cell_type 'rnn_relu'"), cell.getMessage());
    }

    @Test
    void aStateOfTheWrongShapeIsRefused() {
        torch.manual_seed(1);
        CharRnn.Model gru = new CharRnn.Model(CharRnnConfig.tiny(5, "gru"));
        CharRnn.Model lstm = new CharRnn.Model(CharRnnConfig.tiny(5, "lstm"));
        try (NativeScope scope = new NativeScope()) {
            CharRnn.State lstmState = lstm.initialState(2);
            assertThrows(GlossaException.class, () -> gru.forward(Tensors.fromLongs(new long[4], 2, 2), lstmState));
            assertThrows(GlossaException.class, () -> gru.forward(Tensors.fromLongs(new long[6], 3, 2), gru.initialState(2)));
        }
    }
}
