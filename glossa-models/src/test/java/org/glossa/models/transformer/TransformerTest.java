package org.glossa.models.transformer;

import static org.glossa.models.seq2seq.ReversalTask.SPECIAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.models.seq2seq.Decoding;
import org.glossa.models.seq2seq.IncrementalDecoder;
import org.glossa.models.seq2seq.ReversalTask;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny random (or briefly trained) Transformer: names, masks, the key/value cache, decoding, save → load. */
@Tag("model")
class TransformerTest {
    @TempDir Path dir;

    static Transformer.Model tiny(String positions, boolean preLn, boolean share, boolean tie) {
        torch.manual_seed(5);
        Transformer.Model model = new Transformer.Model(
                TransformerConfig.tiny(ReversalTask.VOCABULARY, SPECIAL).with(positions, preLn, share, tie));
        model.train(false);
        return model;
    }

    static Transformer.Model tiny() {
        return tiny("sinusoidal", false, true, true);
    }

    static Tensor ids(long[][] rows) {
        List<long[]> list = List.of(rows);
        return ReversalTask.padded(list, -1, -1);
    }

    static float[] logits(Transformer.Model model, Tensor source, Tensor target) {
        return Tensors.toFloats(Tensors.noGrad(() -> model.forward(source, target, false).logits()));
    }

    @Test
    void parameterNamesFollowHuggingFacesMarian() {
        Set<String> tied = tiny().namedParameters().keySet();
        assertTrue(tied.contains("model.shared.weight"));
        assertTrue(tied.contains("model.encoder.layers.1.self_attn.k_proj.weight"));
        assertTrue(tied.contains("model.decoder.layers.0.encoder_attn.out_proj.bias"));
        assertTrue(tied.contains("model.decoder.layers.1.encoder_attn_layer_norm.weight"));
        assertTrue(tied.contains("model.decoder.layers.1.fc2.weight"));
        assertFalse(tied.stream().anyMatch(n -> n.contains("embed_tokens") || n.contains("lm_head")
                || n.contains("embed_positions") || n.endsWith("decoder.layer_norm.weight")), tied.toString());
        // 1 shared embedding + 16 tensors per encoder layer + 26 per decoder layer.
        assertEquals(1 + 2 * 16 + 2 * 26, tied.size());

        Set<String> separate = tiny("learned", true, false, false).namedParameters().keySet();
        for (String name : List.of("model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight",
                "model.encoder.embed_positions.weight", "model.decoder.embed_positions.weight",
                "model.encoder.layer_norm.weight", "model.decoder.layer_norm.bias")) {
            assertTrue(separate.contains(name), name);
        }
        assertFalse(separate.contains("model.shared.weight"));
        assertEquals(1 + 2 * 16 + 2 * 26 + 1 + 1 + 2 + 4, separate.size());
    }

    @Test
    void paddingNeverChangesTheRealPositions() {
        for (Transformer.Model model : List.of(tiny(), tiny("learned", true, false, false))) {
            long[] source = {5, 6, 7, 8};
            long[] target = {1, 8, 7};
            float[] alone = logits(model, ids(new long[][] {source}), ids(new long[][] {target}));
            // The same pair in a batch beside longer ones: its source and target are padded.
            float[] batched = logits(model, ids(new long[][] {source, {3, 4, 5, 6, 7, 8, 9}}),
                    ids(new long[][] {target, {1, 9, 8, 7, 6, 5}}));
            // Row 0 comes first in the batch, so its first 3 positions are the first 3·V logits of both.
            for (int i = 0; i < alone.length; i++) {
                assertEquals(alone[i], batched[i], 1e-5, "logit " + i);
            }
        }
    }

    @Test
    void futureTargetTokensNeverChangeThePast() {
        Transformer.Model model = tiny();
        Tensor source = ids(new long[][] {{5, 6, 7, 8}});
        float[] before = logits(model, source, ids(new long[][] {{1, 8, 7, 6, 5}}));
        float[] after = logits(model, source, ids(new long[][] {{1, 8, 7, 12, 11}}));
        int vocabulary = ReversalTask.VOCABULARY;
        for (int i = 0; i < 3 * vocabulary; i++) { // positions 0–2 see tokens 1, 8, 7 only
            assertEquals(before[i], after[i], 1e-6, "logit " + i);
        }
        double change = 0;
        for (int i = 3 * vocabulary; i < before.length; i++) {
            change = Math.max(change, Math.abs(before[i] - after[i]));
        }
        assertTrue(change > 1e-3, "the changed positions themselves do change");
    }

    /**
     * Decodes 9 steps with the cache, reordering the rows on the way as beam search does, and recomputes every
     * step's log-probabilities from scratch on the whole prefix: tokens equal, log-probabilities to 1e-5.
     */
    @Test
    void keyValueCacheGivesExactlyTheFullRecomputation() {
        for (Transformer.Model model : List.of(tiny(), tiny("learned", true, false, false))) {
            try (NativeScope scope = new NativeScope()) {
                Tensors.noGrad(() -> checkCache(model));
            }
        }
    }

    private static void checkCache(Transformer.Model model) {
        long[][] sources = {{5, 6, 7, 8, 9}, {3, 4}, {12, 11, 10}};
        int vocabulary = ReversalTask.VOCABULARY;
        List<List<Long>> prefixes = new ArrayList<>();
        List<long[]> rowSources = new ArrayList<>();
        for (long[] source : sources) {
            prefixes.add(new ArrayList<>(List.of(SPECIAL.decoderStart())));
            rowSources.add(source);
        }
        List<List<float[]>> stepLogProbs = new ArrayList<>(List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
        try (IncrementalDecoder decoder = model.startDecoding(ids(sources))) {
            for (int step = 0; step < 9; step++) {
                if (step == 4) { // beam-style reordering: rows 2, 0, 0
                    int[] order = {2, 0, 0};
                    decoder.select(Tensors.fromLongs(new long[] {2, 0, 0}, 3));
                    List<List<Long>> p = new ArrayList<>();
                    List<long[]> s = new ArrayList<>();
                    List<List<float[]>> l = new ArrayList<>();
                    for (int row : order) {
                        p.add(new ArrayList<>(prefixes.get(row)));
                        s.add(rowSources.get(row));
                        l.add(new ArrayList<>(stepLogProbs.get(row)));
                    }
                    prefixes.clear();
                    prefixes.addAll(p);
                    rowSources.clear();
                    rowSources.addAll(s);
                    stepLogProbs.clear();
                    stepLogProbs.addAll(l);
                }
                long[] last = prefixes.stream().mapToLong(p -> p.get(p.size() - 1)).toArray();
                try (NativeScope stepScope = new NativeScope()) {
                    float[] logProbs = Tensors.toFloats(decoder.step(Tensors.fromLongs(last, 3)));
                    for (int row = 0; row < 3; row++) {
                        float[] own = java.util.Arrays.copyOfRange(logProbs, row * vocabulary, (row + 1) * vocabulary);
                        stepLogProbs.get(row).add(own);
                        prefixes.get(row).add((long) argmax(own));
                    }
                }
            }
        }
        for (int row = 0; row < 3; row++) {
            List<Long> prefix = prefixes.get(row);
            long[] input = prefix.subList(0, prefix.size() - 1).stream().mapToLong(Long::longValue).toArray();
            Tensor full = torch.log_softmax(model.forward(ids(new long[][] {rowSources.get(row)}),
                    Tensors.fromLongs(input, 1, input.length), false).logits(), -1); // (1, 9, V)
            float[] recomputed = Tensors.toFloats(full);
            for (int t = 0; t < input.length; t++) {
                float[] cached = stepLogProbs.get(row).get(t);
                for (int v = 0; v < vocabulary; v++) {
                    assertEquals(recomputed[t * vocabulary + v], cached[v], 1e-5, "row " + row + " step " + t + " token " + v);
                }
                float[] own = java.util.Arrays.copyOfRange(recomputed, t * vocabulary, (t + 1) * vocabulary);
                assertEquals((long) argmax(own), prefix.get(t + 1), "row " + row + " step " + t + " token");
            }
        }
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void beamOfOneIsGreedyAndBeamScoresAreTheModelsLogProbabilities() {
        Transformer.Model model = tiny("learned", true, true, true);
        Tensor sources = ids(new long[][] {{5, 6, 7, 8, 9}, {3, 4}, {12, 11, 10}, {7}});
        try (NativeScope scope = new NativeScope()) {
            List<Decoding.Hypothesis> greedy = Decoding.greedy(model, sources, 12);
            List<List<Decoding.Hypothesis>> beamOfOne = Decoding.beam(model, sources, new Decoding.Options(1, 0.0, 12));
            for (int i = 0; i < greedy.size(); i++) {
                assertArrayEquals(greedy.get(i).tokens(), beamOfOne.get(i).get(0).tokens(), "sentence " + i);
                assertEquals(greedy.get(i).logProbability(), beamOfOne.get(i).get(0).logProbability(), 1e-4);
                assertEquals(greedy.get(i).finished(), beamOfOne.get(i).get(0).finished());
            }
            List<List<Decoding.Hypothesis>> beams = Decoding.beam(model, sources, new Decoding.Options(4, 0.6, 12));
            for (int i = 0; i < beams.size(); i++) {
                assertFalse(beams.get(i).isEmpty());
                assertTrue(beams.get(i).size() <= 4);
                // The best of 4 beams scores at least as well as the greedy path under the same penalty (a search
                // error is possible in general, but not for this random model, whose greedy path is short).
                double greedyScore = greedy.get(i).logProbability()
                        / Decoding.lengthPenalty(greedy.get(i).tokens().length + (greedy.get(i).finished() ? 1 : 0), 0.6);
                assertTrue(beams.get(i).get(0).score() >= greedyScore - 1e-4, "sentence " + i);
                for (Decoding.Hypothesis hypothesis : beams.get(i)) {
                    int length = hypothesis.tokens().length + (hypothesis.finished() ? 1 : 0);
                    assertEquals(fullLogProbability(model, sources.select(0, i), hypothesis), hypothesis.logProbability(), 1e-4);
                    assertEquals(hypothesis.logProbability() / Decoding.lengthPenalty(length, 0.6), hypothesis.score(), 1e-9);
                }
            }
        }
    }

    /** The log-probability of a hypothesis computed from scratch, teacher-forced. */
    private static double fullLogProbability(Transformer.Model model, Tensor sourceRow, Decoding.Hypothesis hypothesis) {
        long[] tokens = hypothesis.tokens();
        long[] input = new long[tokens.length + (hypothesis.finished() ? 1 : 0)];
        input[0] = SPECIAL.decoderStart();
        System.arraycopy(tokens, 0, input, 1, input.length - 1);
        float[] logProbs = Tensors.toFloats(Tensors.noGrad(() -> torch.log_softmax(model.forward(sourceRow.unsqueeze(0),
                Tensors.fromLongs(input, 1, input.length), false).logits(), -1)));
        int vocabulary = ReversalTask.VOCABULARY;
        double sum = 0;
        for (int t = 0; t < input.length; t++) {
            long next = t < tokens.length ? tokens[t] : SPECIAL.eos();
            sum += logProbs[t * vocabulary + (int) next];
        }
        return sum;
    }

    @Test
    void aTinyModelLearnsToReverseAndBothSearchesSayExactlyThat() {
        ReversalTask task = new ReversalTask(24, 3);
        torch.manual_seed(17);
        Transformer.Model model = new Transformer.Model(TransformerConfig.tiny(ReversalTask.VOCABULARY, SPECIAL));
        double loss = task.train(model, (s, i, o) -> model.loss(s, i, o, 0.0), 3e-3, 600, 0.01);
        assertTrue(loss < 0.05, "training loss " + loss);
        task.assertAllReversed(sources -> Decoding.greedy(model, sources, 10), "greedy");
        task.assertAllReversed(sources -> Decoding.beam(model, sources, new Decoding.Options(4, 0.6, 10)).stream()
                .map(list -> list.get(0)).toList(), "beam 4");
    }

    @Test
    void savedModelsLoadWithTheirConfigAndGiveTheSameLogits() throws Exception {
        Transformer.Model model = tiny("learned", true, false, false);
        Tensor source = ids(new long[][] {{5, 6, 7}});
        Tensor target = ids(new long[][] {{1, 7, 6}});
        model.save(dir);
        JsonNode json = HfConfig.read(dir);
        assertEquals(TransformerConfig.MODEL_TYPE, json.get("model_type").asText());
        assertEquals(32, json.get("d_model").asInt());
        assertEquals("learned", json.get("position_embedding_type").asText());
        assertFalse(json.get("share_encoder_decoder_embeddings").asBoolean());
        Transformer.Model loaded = Transformer.Model.load(dir);
        assertEquals(model.config, loaded.config);
        assertArrayEquals(logits(model, source, target), logits(loaded, source, target));
    }

    @Test
    void badInputIsAOneLineError() throws Exception {
        // A directory of another architecture.
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"glossa-rnn-attention\"}");
        GlossaException other = assertThrows(GlossaException.class, () -> Transformer.Model.load(dir));
        assertTrue(other.getMessage().contains("model_type is 'glossa-rnn-attention'"), other.getMessage());
        // A value the config rejects, named with its file.
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"glossa-transformer\", \"vocab_size\": 10, "
                + "\"d_model\": 30, \"encoder_layers\": 1, \"encoder_attention_heads\": 4, \"encoder_ffn_dim\": 8, "
                + "\"max_position_embeddings\": 8, \"pad_token_id\": 0, \"eos_token_id\": 2}");
        GlossaException heads = assertThrows(GlossaException.class, () -> TransformerConfig.read(dir));
        assertTrue(heads.getMessage().contains("config.json") && heads.getMessage().contains("not a multiple of 4"),
                heads.getMessage());
        // Sharing embeddings between two vocabularies of different sizes.
        assertThrows(IllegalArgumentException.class, () -> TransformerConfig.small(100, 120, true, SPECIAL));
        // A source longer than the positions the model has.
        Transformer.Model model = tiny();
        long[] tooLong = new long[65];
        java.util.Arrays.fill(tooLong, 5);
        try (NativeScope scope = new NativeScope()) {
            GlossaException length = assertThrows(GlossaException.class,
                    () -> Decoding.greedy(model, Tensors.fromLongs(tooLong, 1, 65), 10));
            assertTrue(length.getMessage().contains("exceeds max_position_embeddings 64"), length.getMessage());
        }
    }
}
