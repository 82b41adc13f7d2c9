package org.glossa.nn.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The no-decay rule on real HF parameter names (BERT, GPT-2, T5-style). */
@Tag("unit")
class WeightDecayTest {
    @Test
    void matricesAndEmbeddingsDecay() {
        assertTrue(WeightDecay.appliesTo("encoder.layer.0.attention.self.query.weight"));
        assertTrue(WeightDecay.appliesTo("embeddings.word_embeddings.weight"));
        assertTrue(WeightDecay.appliesTo("h.0.mlp.c_fc.weight"));
        assertTrue(WeightDecay.appliesTo("weight"));
        assertTrue(WeightDecay.appliesTo("classifier.biased_head.weight")); // "bias" inside a word is not a bias
    }

    @Test
    void biasesAndNormalisationDoNot() {
        assertFalse(WeightDecay.appliesTo("encoder.layer.0.attention.self.query.bias"));
        assertFalse(WeightDecay.appliesTo("bias"));
        assertFalse(WeightDecay.appliesTo("encoder.layer.0.attention.output.LayerNorm.weight"));
        assertFalse(WeightDecay.appliesTo("embeddings.LayerNorm.weight"));
        assertFalse(WeightDecay.appliesTo("encoder.final_layer_norm.weight"));
        assertFalse(WeightDecay.appliesTo("h.0.ln_1.weight"));
        assertFalse(WeightDecay.appliesTo("ln_f.weight"));
    }
}
