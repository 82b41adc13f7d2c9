package org.glossa.models.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.models.bert.Bert.SequenceClassification;
import org.glossa.models.bert.Bert.SequenceClassification.Head;
import org.glossa.models.bert.Bert.SequenceClassification.Pooling;
import org.glossa.nn.Tensors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Bert.SequenceClassification} on a tiny random BERT: HF names, what the head computes, losses, save/load, new heads. */
@Tag("model")
class SequenceClassificationTest {
    @TempDir Path dir;

    static final Head THREE = new Head(List.of("neg", "neutral", "pos"), false, Pooling.CLS, null);
    // Two rows, the first padded: the padding must not change anything.
    static final long[] IDS = {2, 17, 33, 41, 3, 0, 0, 2, 5, 6, 7, 8, 10, 3};
    static final long[] MASK = {1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1};

    static SequenceClassification tiny(Head head) {
        torch.manual_seed(11);
        SequenceClassification model = new SequenceClassification(BertConfig.tiny(), head);
        model.train(false);
        return model;
    }

    static float[] logits(SequenceClassification model) {
        return Tensors.noGrad(() -> Tensors.toFloats(model.forward(Tensors.fromLongs(IDS, 2, 7), null,
                Tensors.fromLongs(MASK, 2, 7))));
    }

    static float[] values(SequenceClassification model, String name) {
        return Tensors.toFloats(model.namedParameters().get(name));
    }

    @Test
    void parameterNamesAreThoseOfBertForSequenceClassification() {
        Map<String, Tensor> cls = tiny(THREE).namedParameters();
        // transformers' BertForSequenceClassification.state_dict(): bert.* with the pooler, classifier.*.
        assertEquals(5 + 2 * 16 + 2 + 2, cls.size());
        assertTrue(cls.containsKey("bert.embeddings.word_embeddings.weight"));
        assertTrue(cls.containsKey("bert.encoder.layer.1.output.LayerNorm.bias"));
        assertTrue(cls.containsKey("bert.pooler.dense.weight"));
        assertArrayEquals(new long[] {3, 32}, Tensors.shape(cls.get("classifier.weight")));
        assertArrayEquals(new long[] {3}, Tensors.shape(cls.get("classifier.bias")));
        Map<String, Tensor> mean = tiny(new Head(List.of("a", "b"), false, Pooling.MEAN, null)).namedParameters();
        assertFalse(mean.containsKey("bert.pooler.dense.weight"), "mean pooling has no pooler");
        assertEquals(5 + 2 * 16 + 2, mean.size());
    }

    /** The logits recomputed in plain Java from the encoder's hidden states and the head's weights. */
    @Test
    void logitsAreTheClassifierOfThePooledVector() {
        for (Pooling pooling : Pooling.values()) {
            SequenceClassification model = tiny(new Head(List.of("neg", "neutral", "pos"), false, pooling, null));
            float[] hidden = Tensors.noGrad(() -> Tensors.toFloats(model.bert.forward(Tensors.fromLongs(IDS, 2, 7), null,
                    Tensors.fromLongs(MASK, 2, 7)).lastHiddenState())); // (2, 7, 32)
            float[] wc = values(model, "classifier.weight");
            float[] bc = values(model, "classifier.bias");
            float[] actual = logits(model);
            for (int row = 0; row < 2; row++) {
                double[] sentence = new double[32];
                if (pooling == Pooling.CLS) {
                    float[] wp = values(model, "bert.pooler.dense.weight");
                    float[] bp = values(model, "bert.pooler.dense.bias");
                    for (int i = 0; i < 32; i++) {
                        double sum = bp[i];
                        for (int k = 0; k < 32; k++) {
                            sum += wp[i * 32 + k] * hidden[(row * 7) * 32 + k]; // position 0: [CLS]
                        }
                        sentence[i] = Math.tanh(sum);
                    }
                } else {
                    int real = 0;
                    for (int t = 0; t < 7; t++) {
                        if (MASK[row * 7 + t] == 1) {
                            real++;
                            for (int k = 0; k < 32; k++) {
                                sentence[k] += hidden[(row * 7 + t) * 32 + k];
                            }
                        }
                    }
                    for (int k = 0; k < 32; k++) {
                        sentence[k] /= real;
                    }
                }
                for (int label = 0; label < 3; label++) {
                    double expected = bc[label];
                    for (int k = 0; k < 32; k++) {
                        expected += wc[label * 32 + k] * sentence[k];
                    }
                    assertEquals(expected, actual[row * 3 + label], 1e-5, pooling + " row " + row + " label " + label);
                }
            }
        }
    }

    @Test
    void lossesAreCrossEntropyAndBinaryCrossEntropy() {
        SequenceClassification single = tiny(THREE);
        float[] z = logits(single);
        long[] labels = {2, 0};
        double expected = 0;
        for (int row = 0; row < 2; row++) {
            double logSum = 0;
            for (int k = 0; k < 3; k++) {
                logSum += Math.exp(z[row * 3 + k]);
            }
            expected += (Math.log(logSum) - z[row * 3 + (int) labels[row]]) / 2;
        }
        double ce = Tensors.noGrad(() -> single.loss(single.forward(Tensors.fromLongs(IDS, 2, 7), null,
                Tensors.fromLongs(MASK, 2, 7)), Tensors.fromLongs(labels, 2)).item_double());
        assertEquals(expected, ce, 1e-6);

        SequenceClassification multi = tiny(new Head(List.of("a", "b", "c"), true, Pooling.CLS, null));
        float[] m = logits(multi);
        float[] targets = {1, 0, 1, 0, 0, 1};
        double bce = 0;
        for (int i = 0; i < 6; i++) {
            double p = 1 / (1 + Math.exp(-m[i]));
            bce -= (targets[i] * Math.log(p) + (1 - targets[i]) * Math.log(1 - p)) / 6;
        }
        double actual = Tensors.noGrad(() -> multi.loss(multi.forward(Tensors.fromLongs(IDS, 2, 7), null,
                Tensors.fromLongs(MASK, 2, 7)), Tensors.fromFloats(targets, 2, 3)).item_double());
        assertEquals(bce, actual, 1e-6);
        float[] probabilities = Tensors.noGrad(() -> Tensors.toFloats(multi.probabilities(Tensors.fromFloats(m, 2, 3))));
        assertEquals(1 / (1 + Math.exp(-m[4])), probabilities[4], 1e-6, "sigmoid per label");
    }

    @Test
    void classifierDropoutDefaultsToHiddenDropoutAsInHf() {
        // tiny() has hidden_dropout_prob 0: without classifier_dropout, training-mode passes agree.
        SequenceClassification plain = tiny(THREE);
        plain.train(true);
        assertArrayEquals(logits(plain), logits(plain));
        SequenceClassification dropped = tiny(new Head(List.of("a", "b"), false, Pooling.CLS, 0.5));
        dropped.train(true);
        assertFalse(Arrays.equals(logits(dropped), logits(dropped)), "classifier_dropout 0.5 had no effect");
        dropped.train(false);
        assertArrayEquals(logits(dropped), logits(dropped));
    }

    @Test
    void savedDirectoryReloadsToIdenticalLogitsWithHfConfigKeys() {
        for (Head head : List.of(THREE, new Head(List.of("x", "y", "z", "w"), true, Pooling.MEAN, 0.25))) {
            SequenceClassification model = tiny(head);
            Path out = dir.resolve(head.pooling().key());
            model.save(out, null);
            SequenceClassification loaded = SequenceClassification.load(out);
            loaded.train(false);
            assertArrayEquals(logits(model), logits(loaded), head.toString());
            assertEquals(head, loaded.head);
            assertEquals(model.config, loaded.config);
            ObjectNode json = HfConfig.read(out);
            assertEquals("BertForSequenceClassification", json.get("architectures").get(0).asText());
            assertEquals(head.labels().get(1), json.get("id2label").get("1").asText());
            for (int id = 0; id < head.numLabels(); id++) {
                assertEquals(id, json.get("label2id").get(head.labels().get(id)).asInt());
            }
            assertEquals(head.problemType(), json.get("problem_type").asText());
            assertEquals(head.pooling().key(), json.get("classifier_pooling").asText());
        }
        JsonNode three = HfConfig.read(dir.resolve("cls"));
        assertTrue(three.get("classifier_dropout").isNull(), "unset classifier_dropout is written as null, as HF does");
        assertEquals("single_label_classification", three.get("problem_type").asText());
    }

    @Test
    void newHeadOnAnEncoderWithoutPoolerIsSeededAndKeepsTheEncoder() {
        torch.manual_seed(3);
        Bert.Model encoder = new Bert.Model(BertConfig.tiny(), false); // as all-MiniLM-L6-v2: no pooler
        Path base = dir.resolve("base");
        encoder.save(base);
        SequenceClassification a = SequenceClassification.fromPretrained(base, THREE, 5);
        SequenceClassification b = SequenceClassification.fromPretrained(base, THREE, 5);
        SequenceClassification c = SequenceClassification.fromPretrained(base, THREE, 6);
        assertEquals(List.of("bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight", "classifier.bias"),
                a.newlyInitialised());
        encoder.namedParameters().forEach((name, tensor) ->
                assertArrayEquals(Tensors.toFloats(tensor), values(a, "bert." + name), name));
        for (String name : a.newlyInitialised()) {
            assertArrayEquals(values(a, name), values(b, name), "same seed, same " + name);
        }
        assertFalse(Arrays.equals(values(a, "bert.pooler.dense.weight"), values(c, "bert.pooler.dense.weight")));
        assertFalse(Arrays.equals(values(a, "classifier.weight"), values(c, "classifier.weight")));
        // N(0, initializer_range), biases 0.
        float[] pooler = values(a, "bert.pooler.dense.weight");
        double sumSquares = 0;
        for (float v : pooler) {
            sumSquares += v * v;
        }
        assertEquals(0.02, Math.sqrt(sumSquares / pooler.length), 0.003);
        assertArrayEquals(new float[32], values(a, "bert.pooler.dense.bias"));
        assertArrayEquals(new float[3], values(a, "classifier.bias"));
    }

    @Test
    void newHeadOnAFineTunedClassifierKeepsItsPoolerAndReplacesItsClassifier() {
        SequenceClassification first = tiny(THREE);
        Path tuned = dir.resolve("tuned");
        first.save(tuned, null);
        SequenceClassification second = SequenceClassification.fromPretrained(tuned,
                new Head(List.of("yes", "no"), false, Pooling.CLS, null), 1);
        assertEquals(List.of("classifier.weight", "classifier.bias"), second.newlyInitialised());
        assertArrayEquals(values(first, "bert.pooler.dense.weight"), values(second, "bert.pooler.dense.weight"));
        assertArrayEquals(new long[] {2, 32}, Tensors.shape(second.namedParameters().get("classifier.weight")));
        SequenceClassification mean = SequenceClassification.fromPretrained(tuned,
                new Head(List.of("yes", "no"), false, Pooling.MEAN, null), 1);
        assertFalse(mean.hasPooler(), "mean pooling drops the checkpoint's pooler");
    }

    @Test
    void badHeadConfigsGetOneLineNamingTheKey() throws Exception {
        tiny(THREE).save(dir, null);
        ObjectNode json = HfConfig.read(dir);
        ((ObjectNode) json.get("id2label")).remove("1");
        HfConfig.write(dir.resolve("config.json"), json);
        String gap = assertThrows(GlossaException.class, () -> SequenceClassification.load(dir)).getMessage();
        assertEquals(dir.resolve("config.json") + ": 'id2label' has no label name for id 1 (ids must be 0 to 1)", gap);

        tiny(THREE).save(dir, null);
        json = HfConfig.read(dir);
        json.put("problem_type", "regression");
        HfConfig.write(dir.resolve("config.json"), json);
        String regression = assertThrows(GlossaException.class, () -> SequenceClassification.load(dir)).getMessage();
        assertTrue(regression.endsWith("'problem_type' 'regression' is not supported (only single_label_classification and"
                + " multi_label_classification)"), regression);

        tiny(THREE).save(dir, null);
        json = HfConfig.read(dir);
        ((ObjectNode) json.get("label2id")).put("pos", 0);
        HfConfig.write(dir.resolve("config.json"), json);
        String mismatch = assertThrows(GlossaException.class, () -> SequenceClassification.load(dir)).getMessage();
        assertTrue(mismatch.endsWith("'label2id' does not map 'neg' to 0 as 'id2label' does")
                || mismatch.endsWith("'label2id' does not map 'pos' to 2 as 'id2label' does"), mismatch);

        // A classifier whose config lost its pooler's weights: the strict load names the parameter.
        tiny(new Head(List.of("a", "b"), false, Pooling.MEAN, null)).save(dir, null);
        json = HfConfig.read(dir);
        json.put("classifier_pooling", "cls");
        HfConfig.write(dir.resolve("config.json"), json);
        String missing = assertThrows(GlossaException.class, () -> SequenceClassification.load(dir)).getMessage();
        assertTrue(missing.endsWith("parameter 'bert.pooler.dense.weight' is missing"), missing);
    }
}
