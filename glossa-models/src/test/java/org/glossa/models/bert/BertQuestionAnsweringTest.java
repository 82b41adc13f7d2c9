package org.glossa.models.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.TensorData;
import org.glossa.nn.Autocast;
import org.glossa.nn.Tensors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Bert.QuestionAnswering}: HF's names, HF's loss, the seeded head, and both ways of loading. */
@Tag("model")
class BertQuestionAnsweringTest {
    @TempDir Path dir;

    private static final long[] IDS = {2, 17, 33, 41, 3, 50, 51, 52, 3, 0, /* row 2 */ 2, 5, 6, 3, 7, 8, 9, 10, 11, 3};
    private static final long[] TYPES = {0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
    private static final long[] MASK = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

    private static Bert.QuestionAnswering tiny() {
        torch.manual_seed(11);
        Bert.QuestionAnswering model = new Bert.QuestionAnswering(BertConfig.tiny());
        model.train(false);
        return model;
    }

    /** Start then end logits of the two test rows, flattened. */
    private static float[] logits(Bert.QuestionAnswering model) {
        return Tensors.inference(() -> {
            Bert.QuestionAnswering.Logits out = model.forward(Tensors.fromLongs(IDS, 2, 10), Tensors.fromLongs(TYPES, 2, 10),
                    Tensors.fromLongs(MASK, 2, 10));
            assertArrayEquals(new long[] {2, 10}, Tensors.shape(out.start()));
            float[] start = Tensors.toFloats(out.start());
            float[] end = Tensors.toFloats(out.end());
            float[] both = Arrays.copyOf(start, start.length + end.length);
            System.arraycopy(end, 0, both, start.length, end.length);
            return both;
        });
    }

    private static Path tokenizerFile(Path dir) throws Exception {
        Path file = dir.resolve("source-tokenizer.json");
        Files.writeString(file, "{\"model\": {\"vocab\": {\"[PAD]\": 0}}}\n"); // copied byte for byte, never parsed here
        return file;
    }

    @Test
    void parameterNamesAreThoseOfHuggingFacesBertForQuestionAnswering() {
        // transformers' BertForQuestionAnswering(config).state_dict().keys() for 2 layers, in order (no pooler:
        // the model is built with add_pooling_layer=False; position_ids is a non-persistent buffer since 4.31).
        List<String> expected = new ArrayList<>(List.of("bert.embeddings.word_embeddings.weight",
                "bert.embeddings.position_embeddings.weight", "bert.embeddings.token_type_embeddings.weight",
                "bert.embeddings.LayerNorm.weight", "bert.embeddings.LayerNorm.bias"));
        for (int layer = 0; layer < 2; layer++) {
            for (String name : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense",
                    "output.LayerNorm")) {
                expected.add("bert.encoder.layer." + layer + "." + name + ".weight");
                expected.add("bert.encoder.layer." + layer + "." + name + ".bias");
            }
        }
        expected.add("qa_outputs.weight");
        expected.add("qa_outputs.bias");
        Map<String, Tensor> parameters = tiny().namedParameters();
        assertEquals(expected, List.copyOf(parameters.keySet()));
        assertArrayEquals(new long[] {2, 32}, Tensors.shape(parameters.get("qa_outputs.weight")));
    }

    @Test
    void lossIsTransformersLoss() {
        // Reference: /usr/bin/python3 with torch 1.13, as BertForQuestionAnswering computes it:
        //   T = 5; f = CrossEntropyLoss(ignore_index=T)
        //   (f(start, sp.clamp(0, T)) + f(end, ep.clamp(0, T))) / 2  → 1.3896042108535767
        // with the logits below, sp = [2, 0, 7] (7 is clamped to T and ignored) and ep = [3, -4, 1] (-4 → 0).
        float[] start = {0.5f, -1.0f, 2.0f, 0.1f, 0.3f, 1.5f, 0.2f, -0.7f, 0.9f, -2.0f, 0.0f, 0.4f, 0.8f, -0.3f, 1.1f};
        float[] end = {0.2f, 0.1f, -0.5f, 1.7f, 0.0f, -1.0f, 2.2f, 0.3f, 0.4f, 0.5f, 0.6f, -0.6f, 0.9f, 0.2f, -1.3f};
        double loss = Tensors.noGrad(() -> Bert.QuestionAnswering.loss(
                new Bert.QuestionAnswering.Logits(Tensors.fromFloats(start, 3, 5), Tensors.fromFloats(end, 3, 5)),
                Tensors.fromLongs(new long[] {2, 0, 7}, 3), Tensors.fromLongs(new long[] {3, -4, 1}, 3)).item_double());
        assertEquals(1.3896042108535767, loss, 1e-6);
    }

    @Test
    void logitsAreFp32UnderAutocast() {
        Bert.QuestionAnswering model = tiny();
        float[] fp32 = logits(model);
        ScalarType type = Autocast.bf16(() -> Tensors.inference(() -> model.forward(Tensors.fromLongs(IDS, 2, 10), null,
                Tensors.fromLongs(MASK, 2, 10)).start().scalar_type().intern()));
        assertEquals(ScalarType.Float, type);
        assertTrue(fp32.length == 40 && Float.isFinite(fp32[0]));
    }

    @Test
    void savedModelLoadsBackWithIdenticalLogits() throws Exception {
        Bert.QuestionAnswering model = tiny();
        float[] expected = logits(model);
        Path tokenizer = tokenizerFile(dir);
        Path saved = dir.resolve("qa");
        model.save(saved, tokenizer);

        var config = HfConfig.read(saved);
        assertEquals("BertForQuestionAnswering", config.get("architectures").get(0).asText());
        assertArrayEquals(Files.readAllBytes(tokenizer), Files.readAllBytes(saved.resolve("tokenizer.json")));
        try (var file = SafeTensors.open(saved.resolve("model.safetensors"))) {
            assertEquals(model.namedParameters().keySet(), Set.copyOf(file.names()));
        }
        Bert.QuestionAnswering loaded = Bert.QuestionAnswering.load(saved, 999);
        loaded.train(false);
        assertEquals(List.of(), loaded.newlyInitialised(), "a fine-tuned head must be loaded, not drawn");
        assertArrayEquals(expected, logits(loaded));
    }

    @Test
    void anEncoderLoadsWithASeededNewHeadAndSaysSo() throws Exception {
        torch.manual_seed(5);
        Bert.Model encoder = new Bert.Model(BertConfig.tiny(), true); // a pooler, as sentence encoders have
        Path base = dir.resolve("base");
        encoder.save(base);

        Bert.QuestionAnswering model = Bert.QuestionAnswering.load(base, 42);
        assertEquals(List.of("qa_outputs.weight", "qa_outputs.bias"), model.newlyInitialised());
        // The encoder's weights are the checkpoint's.
        assertArrayEquals(Tensors.toFloats(encoder.namedParameters().get("encoder.layer.1.output.dense.weight")),
                Tensors.toFloats(model.namedParameters().get("bert.encoder.layer.1.output.dense.weight")));
        // The head: N(0, 0.02) from a generator seeded with 42, bias 0. Reference (python3, torch 1.13):
        //   w = torch.empty(2, 32).normal_(0, 0.02, generator=torch.Generator().manual_seed(42))
        //   w[0, :4] = [0.03853830322623253, 0.02974568121135235, 0.018014343455433846, -0.042110417038202286]
        //   w[1, -3:] = [0.0368918776512146, -0.02369074709713459, 0.02767098695039749]
        float[] head = Tensors.toFloats(model.namedParameters().get("qa_outputs.weight"));
        assertArrayEquals(new float[] {0.03853830322623253f, 0.02974568121135235f, 0.018014343455433846f,
                -0.042110417038202286f}, Arrays.copyOfRange(head, 0, 4), 1e-7f);
        assertArrayEquals(new float[] {0.0368918776512146f, -0.02369074709713459f, 0.02767098695039749f},
                Arrays.copyOfRange(head, 61, 64), 1e-7f);
        assertArrayEquals(new float[2], Tensors.toFloats(model.namedParameters().get("qa_outputs.bias")));
        // Another seed, another head; the same seed, the same head whatever libtorch's global generator holds.
        torch.manual_seed(123);
        assertArrayEquals(head, Tensors.toFloats(Bert.QuestionAnswering.load(base, 42).namedParameters().get("qa_outputs.weight")));
        assertFalse(Arrays.equals(head, Tensors.toFloats(Bert.QuestionAnswering.load(base, 43).namedParameters()
                .get("qa_outputs.weight"))));
    }

    @Test
    void aQuestionAnsweringConfigWithoutTheHeadOrWeightsIsRefused() throws Exception {
        torch.manual_seed(5);
        Bert.Model encoder = new Bert.Model(BertConfig.tiny(), false);
        Path broken = dir.resolve("broken");
        encoder.save(broken);
        BertConfig.tiny().write(broken, "BertForQuestionAnswering");
        GlossaException headless = assertThrows(GlossaException.class, () -> Bert.QuestionAnswering.load(broken));
        assertEquals(broken.resolve("model.safetensors") + ": config.json says BertForQuestionAnswering but the weights have"
                + " no qa_outputs.weight", headless.getMessage());

        Files.delete(broken.resolve("model.safetensors"));
        GlossaException noWeights = assertThrows(GlossaException.class, () -> Bert.QuestionAnswering.load(broken));
        assertEquals(broken.resolve("model.safetensors") + ": no such file (a model directory needs its weights)",
                noWeights.getMessage());
    }

    @Test
    void aCheckpointOfOlderTransformersWithItsPositionIdsBufferLoads() throws Exception {
        // HF files of older transformers carry the position_ids buffer; it is not a parameter and is skipped.
        Bert.QuestionAnswering model = tiny();
        Path saved = dir.resolve("qa");
        model.save(saved, tokenizerFile(dir));
        Map<String, TensorData> tensors = new java.util.LinkedHashMap<>();
        try (var file = SafeTensors.open(saved.resolve("model.safetensors"))) {
            for (String name : file.names()) {
                tensors.put(name, file.get(name));
            }
            tensors.put("bert.embeddings.position_ids", Tensors.toTensorData(torch.arange(new org.bytedeco.pytorch.Scalar(64))
                    .reshape(1, 64)));
            SafeTensors.write(dir.resolve("with-buffer.safetensors"), tensors, Map.of());
        }
        Files.move(dir.resolve("with-buffer.safetensors"), saved.resolve("model.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertArrayEquals(logits(model), logits(Bert.QuestionAnswering.load(saved)));
    }
}
