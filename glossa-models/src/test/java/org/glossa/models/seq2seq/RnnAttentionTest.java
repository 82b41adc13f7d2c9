package org.glossa.models.seq2seq;

import static org.glossa.models.seq2seq.ReversalTask.SPECIAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
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
 * The RNN encoder–decoder with attention against PyTorch: {@code rnnattention/additive} and
 * {@code rnnattention/multiplicative} in the test resources were written by {@code rnnattention/make_golden.py} with
 * PyTorch 1.13 (a bidirectional {@code nn.GRU} over packed sequences, a step loop of {@code nn.GRU} with the
 * attention written out): weights, config, and for a padded batch the annotations, the teacher-forced logits and
 * the attention weights. Then masks, step-by-step decoding, searches and a tiny model that learns to reverse.
 */
@Tag("model")
class RnnAttentionTest {
    @TempDir Path dir;

    private Path golden(String name) throws IOException {
        return GoldenFiles.copy("rnnattention", name, dir);
    }

    private static Tensor ids(JsonNode values, JsonNode shape) {
        long[] data = new long[values.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = values.get(i).asLong();
        }
        return Tensors.fromLongs(data, shape.get(0).asLong(), shape.get(1).asLong());
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + " [" + i + "]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"additive", "multiplicative"})
    void matchesPyTorch(String name) throws IOException {
        Path modelDir = golden(name);
        JsonNode expected = HfConfig.mapper().readTree(modelDir.resolve("expected.json").toFile());
        RnnAttention.Model model = RnnAttention.Model.load(modelDir);
        List<String> torchNames = new ArrayList<>();
        expected.get("parameter_names").forEach(n -> torchNames.add(n.asText()));
        assertEquals(torchNames, new ArrayList<>(model.namedParameters().keySet()), "PyTorch's state_dict() names and order");
        try (NativeScope scope = new NativeScope()) {
            Tensors.noGrad(() -> {
                Tensor source = ids(expected.get("source"), expected.get("source_shape"));
                Tensor target = ids(expected.get("target_in"), expected.get("target_in_shape"));
                assertClose(GoldenFiles.floats(expected.get("annotations")), Tensors.toFloats(model.encode(source).annotations()), 1e-5,
                        "annotations");
                RnnAttention.Output output = model.forward(source, target, true);
                assertClose(GoldenFiles.floats(expected.get("logits")), Tensors.toFloats(output.logits()), 1e-5, "logits");
                assertClose(GoldenFiles.floats(expected.get("attention")), Tensors.toFloats(output.attention()), 1e-6, "attention");
            });
        }
    }

    static RnnAttention.Model tiny(String attention) {
        torch.manual_seed(9);
        RnnAttention.Model model = new RnnAttention.Model(RnnAttentionConfig.tiny(ReversalTask.VOCABULARY, attention, SPECIAL));
        model.train(false);
        return model;
    }

    static Tensor ids(long[]... rows) {
        return ReversalTask.padded(List.of(rows), -1, -1);
    }

    @Test
    void paddingNeverChangesTheRealPositions() {
        for (String attention : RnnAttentionConfig.ATTENTIONS) {
            RnnAttention.Model model = tiny(attention);
            try (NativeScope scope = new NativeScope()) {
                float[] alone = Tensors.toFloats(Tensors.noGrad(() -> model.forward(ids(new long[] {5, 6, 7}),
                        ids(new long[] {1, 7, 6}), false).logits()));
                // Beside a longer pair, both sides padded.
                float[] batched = Tensors.toFloats(Tensors.noGrad(() -> model.forward(ids(new long[] {5, 6, 7},
                        new long[] {3, 4, 5, 6, 7, 8}), ids(new long[] {1, 7, 6}, new long[] {1, 8, 7, 6, 5, 4}), false).logits()));
                // Row 0's first 3 positions are the first 3·V logits of both.
                for (int i = 0; i < alone.length; i++) {
                    assertEquals(alone[i], batched[i], 1e-5, attention + " logit " + i);
                }
                // Its attention weights are distributions over its 3 real source tokens, none on the padding.
                float[] weights = Tensors.toFloats(Tensors.noGrad(() -> model.forward(ids(new long[] {5, 6, 7},
                        new long[] {3, 4, 5, 6, 7, 8}), ids(new long[] {1, 7, 6}, new long[] {1, 8, 7, 6, 5, 4}), true)
                        .attention().select(0, 0))); // (T, S) = (6, 6)
                for (int t = 0; t < 6; t++) {
                    assertEquals(1.0, weights[t * 6] + weights[t * 6 + 1] + weights[t * 6 + 2], 1e-5, attention + " row " + t);
                    for (int s = 3; s < 6; s++) {
                        assertEquals(0.0, weights[t * 6 + s], 0.0, attention + " padding " + s);
                    }
                }
            }
        }
    }

    @Test
    void stepByStepDecodingEqualsTeacherForcing() {
        RnnAttention.Model model = tiny("additive");
        long[][] sources = {{5, 6, 7, 8}, {3, 4}};
        long[][] targets = {{1, 8, 7, 6, 5}, {1, 4, 3, 2, 0}};
        int vocabulary = ReversalTask.VOCABULARY;
        try (NativeScope scope = new NativeScope()) {
            Tensors.noGrad(() -> {
                // Rows swapped before the first step: select must carry the encoder's output along.
                float[] forced = Tensors.toFloats(torch.log_softmax(model.forward(ids(sources[1], sources[0]),
                        ids(targets[1], targets[0]), false).logits(), -1)); // (2, 5, V)
                try (IncrementalDecoder decoder = model.startDecoding(ids(sources))) {
                    decoder.select(Tensors.fromLongs(new long[] {1, 0}, 2));
                    for (int t = 0; t < 5; t++) {
                        try (NativeScope step = new NativeScope()) {
                            float[] stepped = Tensors.toFloats(decoder.step(Tensors.fromLongs(
                                    new long[] {targets[1][t], targets[0][t]}, 2)));
                            for (int row = 0; row < 2; row++) {
                                for (int v = 0; v < vocabulary; v++) {
                                    assertEquals(forced[(row * 5 + t) * vocabulary + v], stepped[row * vocabulary + v], 1e-5,
                                            "row " + row + " step " + t);
                                }
                            }
                        }
                    }
                }
            });
        }
    }

    @Test
    void beamOfOneIsGreedy() {
        RnnAttention.Model model = tiny("multiplicative");
        Tensor sources = ids(new long[] {5, 6, 7, 8, 9}, new long[] {3, 4}, new long[] {12, 11, 10});
        try (NativeScope scope = new NativeScope()) {
            List<Decoding.Hypothesis> greedy = Decoding.greedy(model, sources, 8);
            List<List<Decoding.Hypothesis>> beam = Decoding.beam(model, sources, new Decoding.Options(1, 0.0, 8));
            for (int i = 0; i < greedy.size(); i++) {
                assertArrayEquals(greedy.get(i).tokens(), beam.get(i).get(0).tokens(), "sentence " + i);
                assertEquals(greedy.get(i).logProbability(), beam.get(i).get(0).logProbability(), 1e-4);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"additive", "multiplicative"})
    void aTinyModelLearnsToReverseAndBothSearchesSayExactlyThat(String attention) {
        ReversalTask task = new ReversalTask(24, 3);
        torch.manual_seed(19);
        RnnAttention.Model model = new RnnAttention.Model(RnnAttentionConfig.tiny(ReversalTask.VOCABULARY, attention, SPECIAL));
        double loss = task.train(model, (s, i, o) -> model.loss(s, i, o, 0.0), 1e-2, 600, 0.01);
        assertTrue(loss < 0.05, "training loss " + loss);
        task.assertAllReversed(sources -> Decoding.greedy(model, sources, 10), attention + " greedy");
        task.assertAllReversed(sources -> Decoding.beam(model, sources, new Decoding.Options(3, 0.6, 10)).stream()
                .map(list -> list.get(0)).toList(), attention + " beam 3");
    }

    @Test
    void savesLoadsAndRejectsWhatItCannotRead() throws IOException {
        RnnAttention.Model model = tiny("additive");
        model.save(dir);
        assertEquals(RnnAttentionConfig.MODEL_TYPE, HfConfig.read(dir).get("model_type").asText());
        RnnAttention.Model loaded = RnnAttention.Model.load(dir);
        assertEquals(model.config, loaded.config);
        try (NativeScope scope = new NativeScope()) {
            Tensor source = ids(new long[] {5, 6, 7});
            Tensor target = ids(new long[] {1, 7});
            assertArrayEquals(Tensors.toFloats(Tensors.noGrad(() -> model.forward(source, target, false).logits())),
                    Tensors.toFloats(Tensors.noGrad(() -> loaded.forward(source, target, false).logits())));
            GlossaException empty = assertThrows(GlossaException.class,
                    () -> Tensors.noGrad(() -> model.encode(ids(new long[] {5}, new long[] {}))));
            assertTrue(empty.getMessage().contains("no tokens"), empty.getMessage());
        }
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"glossa-transformer\"}");
        GlossaException other = assertThrows(GlossaException.class, () -> RnnAttention.Model.load(dir));
        assertTrue(other.getMessage().contains("model_type is 'glossa-transformer'"), other.getMessage());
    }
}
