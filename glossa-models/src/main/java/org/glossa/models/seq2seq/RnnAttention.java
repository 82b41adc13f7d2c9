package org.glossa.models.seq2seq;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.glossa.core.GlossaException;
import org.glossa.nn.CarriedTensor;
import org.glossa.nn.Embedding;
import org.glossa.nn.Linear;
import org.glossa.nn.Losses;
import org.glossa.nn.Masks;
import org.glossa.nn.Module;
import org.glossa.nn.Ops;
import org.glossa.nn.Weights;

/**
 * The recurrent encoder–decoder with attention of Bahdanau, Cho and Bengio (2015), "Neural Machine Translation by
 * Jointly Learning to Align and Translate", the model of the TensorFlow "NMT with attention" tutorial:
 *
 * <pre>
 * encoder: source ids (B, S) → embedding → dropout → bidirectional GRU, L layers → annotations h (B, S, 2·He)
 * decoder state s₀ = tanh(bridge([h→ last; h← first]))                         (Ld, B, Hd)
 * step t:  α_t = softmax_j(score(s_{t−1}, h_j)) over the real source tokens   (B, S)
 *          c_t = Σ_j α_tj h_j                                                  (B, 2·He)
 *          s_t = GRU([E y_{t−1}; c_t], s_{t−1})                               (Ld, B, Hd)
 *          logits_t = output(dropout([s_t; c_t; E y_{t−1}]))                   (B, V)
 * </pre>
 *
 * The score is additive, {@code vᵀ tanh(W s + U h)} (Bahdanau's), or multiplicative, {@code sᵀ W h} (Luong et
 * al.'s "general" score); only the score changes with the option, the attention is always computed from the
 * previous decoder state and fed into the GRU, as Bahdanau's. Training feeds the reference target (teacher
 * forcing) and masks padding out of the loss.
 *
 * <p>The encoder's GRUs are libtorch's fused {@code at::gru} over weights this module owns (as {@code CharRnn}'s):
 * each direction of each layer runs on its own, the backward one over each row reversed within its own length, so
 * padding at the end of a row never reaches the real tokens (what {@code pack_padded_sequence} achieves in
 * PyTorch); the annotations of padding positions are zero, as PyTorch's unpacked output. Parameters are named as
 * this PyTorch module's {@code state_dict()} (see the golden test's {@code make_golden.py}):
 *
 * <pre>
 * encoder.embedding          nn.Embedding(source_vocab_size, embedding_size)
 * encoder.rnn                nn.GRU(embedding_size, encoder_hidden_size, encoder_layers, bidirectional=True)
 * decoder.embedding          nn.Embedding(target_vocab_size, embedding_size)
 * decoder.bridge             nn.Linear(2·encoder_hidden_size, decoder_layers·decoder_hidden_size)
 * decoder.attention.query    nn.Linear(decoder_hidden_size, attention_size, bias=False)       additive only
 * decoder.attention.key      nn.Linear(2·encoder_hidden_size, attention_size)                 additive
 *                            nn.Linear(2·encoder_hidden_size, decoder_hidden_size, bias=False) multiplicative
 * decoder.attention.energy   nn.Linear(attention_size, 1, bias=False)                          additive only
 * decoder.rnn                nn.GRU(embedding_size + 2·encoder_hidden_size, decoder_hidden_size, decoder_layers)
 * decoder.output             nn.Linear(decoder_hidden_size + 2·encoder_hidden_size + embedding_size, target_vocab_size)
 * </pre>
 *
 * Initialisation is PyTorch's default for each of those modules.
 */
public final class RnnAttention {
    private RnnAttention() {}

    /** A teacher-forced forward pass: logits (B, T, V) and, when asked for, the attention weights (B, T, S). */
    public record Output(Tensor logits, Tensor attention) {}

    /**
     * The encoder's result: annotations (B, S, 2·He), zero at padding; the real-token mask (B, S); and the
     * top layer's last forward and first backward states side by side (B, 2·He), what the bridge starts from.
     */
    public record Encoded(Tensor annotations, Tensor keep, Tensor summary) {}

    private static void uniform(List<Tensor> tensors, double bound) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (Tensor tensor : tensors) {
                torch.uniform_(tensor, -bound, bound);
            }
        }
    }

    /** nn.Linear's default initialisation, U(±1/√in) for weight and bias. */
    private static Linear linear(long in, long out) {
        Linear linear = new Linear(in, out, 1.0);
        uniform(List.of(linear.weight, linear.bias), 1.0 / Math.sqrt(in));
        return linear;
    }

    /** Modules that register GRU weights under nn.GRU's flat names. */
    abstract static class Recurrent extends Module {
        /**
         * Registers one GRU layer's weights in PyTorch's layout and order: {@code weight_ih_<suffix>} (3H, in),
         * {@code weight_hh_<suffix>} (3H, H), {@code bias_ih_<suffix>} (3H), {@code bias_hh_<suffix>} (3H), gate
         * blocks r, z, n; initialised as nn.GRU's reset_parameters(), U(±1/√H).
         */
        List<Tensor> gruWeights(String suffix, long input, long hidden) {
            List<Tensor> weights = List.of(parameter("weight_ih_" + suffix, 3 * hidden, input),
                    parameter("weight_hh_" + suffix, 3 * hidden, hidden),
                    parameter("bias_ih_" + suffix, 3 * hidden),
                    parameter("bias_hh_" + suffix, 3 * hidden));
            uniform(weights, 1.0 / Math.sqrt(hidden));
            return weights;
        }
    }

    /** A bias-free projection, {@code nn.Linear(in, out, bias=False)}: weight (out, in). */
    public static final class Projection extends Module {
        final Tensor weight;

        Projection(long in, long out) {
            weight = parameter("weight", out, in);
            uniform(List.of(weight), 1.0 / Math.sqrt(in));
        }

        /** (..., in) → (..., out) */
        Tensor forward(Tensor x) {
            return Ops.linear(x, weight, null);
        }
    }

    /** {@code encoder.rnn}: a bidirectional GRU stack, one fused single-direction call per direction and layer. */
    public static final class BidirectionalGru extends Recurrent {
        private final List<List<Tensor>> forwardWeights = new ArrayList<>();
        private final List<List<Tensor>> backwardWeights = new ArrayList<>();
        private final long hidden;
        private final double dropout;

        BidirectionalGru(RnnAttentionConfig config) {
            hidden = config.encoderHiddenSize();
            dropout = config.dropout();
            for (int layer = 0; layer < config.encoderLayers(); layer++) {
                long input = layer == 0 ? config.embeddingSize() : 2 * hidden;
                forwardWeights.add(gruWeights("l" + layer, input, hidden));
                backwardWeights.add(gruWeights("l" + layer + "_reverse", input, hidden));
            }
        }

        /**
         * @param x (B, S, E) embedded source
         * @param keep (B, S) bool, true at real tokens (each row's real tokens first)
         * @param reverse (B, S) int64: the position each position maps to when a row is reversed within its length
         * @return the top layer's outputs (B, S, 2H), zero at padding, and its summary (B, 2H)
         */
        Tensor[] forward(Tensor x, Tensor keep, Tensor reverse, Tensor lastReal) {
            long batch = x.size(0);
            Tensor zeroState = torch.zeros(1, batch, hidden); // (1, B, H)
            Tensor realMask = keep.unsqueeze(2).to(x.scalar_type()); // (B, S, 1)
            Tensor outputs = null;
            Tensor forwardOut = null;
            Tensor backwardOut = null;
            for (int layer = 0; layer < forwardWeights.size(); layer++) {
                if (layer > 0) {
                    x = Ops.dropout(outputs, dropout, isTraining());
                }
                forwardOut = run(x, zeroState, forwardWeights.get(layer)); // (B, S, H)
                Tensor reversed = run(reorder(x, reverse), zeroState, backwardWeights.get(layer));
                backwardOut = reorder(reversed, reverse); // back to source order (B, S, H)
                outputs = cat(forwardOut, backwardOut, 2).mul(realMask); // (B, S, 2H)
            }
            // The forward direction ends at each row's last real token, the backward one at its first token.
            Tensor forwardLast = forwardOut.gather(1, lastReal.view(batch, 1, 1).expand(batch, 1, hidden)).squeeze(1);
            Tensor summary = cat(forwardLast, backwardOut.select(1, 0), 1); // (B, 2H)
            return new Tensor[] {outputs, summary};
        }

        private Tensor run(Tensor x, Tensor state, List<Tensor> weights) {
            try (TensorVector flat = new TensorVector(weights.toArray(new Tensor[0]))) {
                // A handle of our own: get0() points into the returned tuple, which nothing else keeps alive.
                return new Tensor(torch.gru(x, state, flat, true, 1, 0.0, isTraining(), false, true).get0());
            }
        }

        /** Rows of (B, S, C) permuted along S by index (B, S). */
        private static Tensor reorder(Tensor x, Tensor index) {
            return x.gather(1, index.unsqueeze(2).expand(x.size(0), x.size(1), x.size(2)));
        }
    }

    /** {@code encoder}. */
    public static final class Encoder extends Module {
        final Embedding embedding;
        final BidirectionalGru rnn;
        private final RnnAttentionConfig config;

        Encoder(RnnAttentionConfig config) {
            this.config = config;
            embedding = child("embedding", new Embedding(config.sourceVocabSize(), config.embeddingSize(), 1.0));
            rnn = child("rnn", new BidirectionalGru(config));
        }

        /** source ids (B, S), padded at the end of rows → annotations, mask and summary. */
        public Encoded forward(Tensor sourceIds) {
            long length = sourceIds.size(1);
            Tensor keep = Masks.notPadding(sourceIds, config.padTokenId()); // (B, S)
            Tensor lengths = keep.sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional(ScalarType.Long)); // (B)
            long shortest = lengths.min().item_long();
            if (shortest == 0) {
                throw new GlossaException("a source sentence has no tokens (only padding): an RNN cannot encode it");
            }
            Tensor positions = torch.arange(new Scalar(length), new TensorOptions(ScalarType.Long)).unsqueeze(0); // (1, S)
            Tensor rowLengths = lengths.unsqueeze(1); // (B, 1)
            // Reversal within each row's length: t → len−1−t for real positions, padding stays where it is.
            Tensor reverse = torch.where(positions.lt(rowLengths), rowLengths.sub(new Scalar(1)).sub(positions), positions)
                    .expand(sourceIds.size(0), length).contiguous(); // (B, S)
            Tensor x = Ops.dropout(embedding.forward(sourceIds), config.dropout(), isTraining()); // (B, S, E)
            Tensor[] result = rnn.forward(x, keep, reverse, lengths.sub(new Scalar(1)));
            return new Encoded(result[0], keep, result[1]);
        }
    }

    /** {@code decoder.attention}: the additive or multiplicative score, and the weights over the source. */
    public static final class Attention extends Module {
        final Projection query; // additive only
        final Module key;       // Linear (additive) or Projection (multiplicative)
        final Projection energy; // additive only
        private final boolean additive;

        Attention(RnnAttentionConfig config) {
            additive = config.additive();
            long annotations = 2L * config.encoderHiddenSize();
            if (additive) {
                query = child("query", new Projection(config.decoderHiddenSize(), config.attentionSize()));
                key = child("key", linear(annotations, config.attentionSize()));
                energy = child("energy", new Projection(config.attentionSize(), 1));
            } else {
                query = null;
                key = child("key", new Projection(annotations, config.decoderHiddenSize()));
                energy = null;
            }
        }

        /** The annotations' part of the score, computed once per sentence: (B, S, 2He) → (B, S, A) or (B, S, Hd). */
        Tensor keys(Tensor annotations) {
            return additive ? ((Linear) key).forward(annotations) : ((Projection) key).forward(annotations);
        }

        /** state s_{t−1} (N, Hd), keys (N, S, ·), keep (N, S) → weights (N, S), zero at padding. */
        Tensor weights(Tensor state, Tensor keys, Tensor keep) {
            Tensor scores; // (N, S)
            if (additive) {
                Tensor hidden = torch.tanh(keys.add(query.forward(state).unsqueeze(1))); // (N, S, A)
                scores = energy.forward(hidden).squeeze(2);
            } else {
                scores = torch.bmm(keys, state.unsqueeze(2)).squeeze(2); // sᵀ W h_j
            }
            scores = scores.masked_fill(keep.logical_not(), new Scalar(-1e9f));
            return torch.softmax(scores, -1);
        }
    }

    /** {@code decoder.rnn}: a unidirectional GRU stack advanced one step at a time through the fused kernel. */
    public static final class DecoderGru extends Recurrent {
        private final List<Tensor> flatWeights = new ArrayList<>();
        private final int layers;
        private final double dropout;

        DecoderGru(RnnAttentionConfig config) {
            layers = config.decoderLayers();
            dropout = config.dropout();
            long hidden = config.decoderHiddenSize();
            for (int layer = 0; layer < layers; layer++) {
                long input = layer == 0 ? config.embeddingSize() + 2L * config.encoderHiddenSize() : hidden;
                flatWeights.addAll(gruWeights("l" + layer, input, hidden));
            }
        }

        /** x (N, in), state (L, N, H) → the new state (L, N, H); its top layer is the output. */
        Tensor step(Tensor x, Tensor state) {
            try (TensorVector flat = new TensorVector(flatWeights.toArray(new Tensor[0]))) {
                T_TensorTensor_T out = torch.gru(x.unsqueeze(1), state, flat, true, layers, isTraining() ? dropout : 0.0,
                        isTraining(), false, true);
                return new Tensor(out.get1()); // a handle of our own, not a pointer into the tuple
            }
        }
    }

    /** What one decoder step produces: the output layer's input (N, F), the new state and the attention (N, S). */
    record Step(Tensor features, Tensor state, Tensor weights) {}

    /** {@code decoder}. */
    public static final class Decoder extends Module {
        final Embedding embedding;
        final Linear bridge;
        final Attention attention;
        final DecoderGru rnn;
        final Linear output;
        private final RnnAttentionConfig config;

        Decoder(RnnAttentionConfig config) {
            this.config = config;
            long annotations = 2L * config.encoderHiddenSize();
            embedding = child("embedding", new Embedding(config.targetVocabSize(), config.embeddingSize(), 1.0));
            bridge = child("bridge", linear(annotations, (long) config.decoderLayers() * config.decoderHiddenSize()));
            attention = child("attention", new Attention(config));
            rnn = child("rnn", new DecoderGru(config));
            output = child("output", linear(config.decoderHiddenSize() + annotations + config.embeddingSize(),
                    config.targetVocabSize()));
        }

        /** s₀ = tanh(bridge(summary)): (B, 2He) → (Ld, B, Hd) */
        Tensor initialState(Tensor summary) {
            Tensor flat = torch.tanh(bridge.forward(summary)); // (B, Ld·Hd)
            return flat.view(summary.size(0), config.decoderLayers(), config.decoderHiddenSize()).transpose(0, 1).contiguous();
        }

        /** One step from the embedded previous token (N, E) and the state (Ld, N, Hd). */
        Step step(Tensor embedded, Tensor state, Tensor annotations, Tensor keys, Tensor keep) {
            Tensor previous = state.select(0, state.size(0) - 1); // s_{t−1}, top layer (N, Hd)
            Tensor weights = attention.weights(previous, keys, keep); // (N, S)
            Tensor context = torch.bmm(weights.unsqueeze(1), annotations).squeeze(1); // (N, 2He)
            Tensor next = rnn.step(cat(embedded, context, 1), state); // (Ld, N, Hd)
            Tensor top = next.select(0, next.size(0) - 1); // s_t (N, Hd)
            return new Step(cat(cat(top, context, 1), embedded, 1), next, weights);
        }

        /** features (..., F) → logits (..., V) */
        Tensor logits(Tensor features) {
            return output.forward(Ops.dropout(features, config.dropout(), isTraining()));
        }
    }

    /** The whole model: {@code encoder}, {@code decoder}. */
    public static final class Model extends Module implements EncoderDecoder {
        public final RnnAttentionConfig config;
        final Encoder encoder;
        final Decoder decoder;

        /** A freshly initialised model (draws from libtorch's default generator: seed it first). */
        public Model(RnnAttentionConfig config) {
            this.config = config;
            encoder = child("encoder", new Encoder(config));
            decoder = child("decoder", new Decoder(config));
        }

        /** Loads a model directory: {@code config.json} and {@code model.safetensors}, strictly by name and shape. */
        public static Model load(Path modelDir) {
            RnnAttentionConfig config = RnnAttentionConfig.read(modelDir);
            Model loaded = new Model(config);
            Weights.load(loaded, modelDir.resolve("model.safetensors"), "", Set.of());
            loaded.train(false);
            return loaded;
        }

        /** Writes {@code config.json} and {@code model.safetensors} (vocabularies are the caller's). */
        public void save(Path modelDir) {
            config.write(modelDir);
            Weights.save(this, modelDir.resolve("model.safetensors"), Map.of("format", "pt"));
        }

        /** source ids (B, S) → annotations, mask and summary. */
        public Encoded encode(Tensor sourceIds) {
            checkIds(sourceIds, "source");
            return encoder.forward(sourceIds);
        }

        /**
         * Teacher forcing: the logits of every target position given the source and the reference's previous tokens.
         *
         * @param sourceIds int64 (B, S), padded with {@code pad_token_id}
         * @param targetInputIds int64 (B, T): the decoder start token, then the target shifted right (padded)
         * @param needAttention whether to return the attention weights (B, T, S)
         */
        public Output forward(Tensor sourceIds, Tensor targetInputIds, boolean needAttention) {
            checkIds(targetInputIds, "target");
            Encoded encoded = encode(sourceIds);
            Tensor keys = decoder.attention.keys(encoded.annotations()); // (B, S, ·)
            Tensor state = decoder.initialState(encoded.summary()); // (Ld, B, Hd)
            Tensor embedded = Ops.dropout(decoder.embedding.forward(targetInputIds), config.dropout(), isTraining()); // (B, T, E)
            List<Tensor> features = new ArrayList<>();
            List<Tensor> weights = new ArrayList<>();
            for (long t = 0; t < targetInputIds.size(1); t++) {
                Step step = decoder.step(embedded.select(1, t), state, encoded.annotations(), keys, encoded.keep());
                features.add(step.features());
                weights.add(step.weights());
                state = step.state();
            }
            Tensor logits = decoder.logits(stack(features)); // (B, T, V)
            return new Output(logits, needAttention ? stack(weights) : null);
        }

        /**
         * The label-smoothed cross-entropy of the targets (ε = 0 for plain cross-entropy), averaged over their
         * non-padding tokens.
         *
         * @param targetOutputIds int64 (B, T): the tokens each position predicts (the input shifted left, ending
         *     in end-of-sentence, then padding)
         */
        public Tensor loss(Tensor sourceIds, Tensor targetInputIds, Tensor targetOutputIds, double labelSmoothing) {
            Tensor logits = forward(sourceIds, targetInputIds, false).logits();
            return Losses.labelSmoothedCrossEntropy(logits, targetOutputIds, config.padTokenId(), labelSmoothing);
        }

        @Override
        public SpecialTokens specialTokens() {
            return config.specialTokens();
        }

        @Override
        public int maxTargetLength() {
            return Integer.MAX_VALUE;
        }

        @Override
        public IncrementalDecoder startDecoding(Tensor sourceIds) {
            return new StepDecoder(this, encode(sourceIds));
        }

        private static void checkIds(Tensor ids, String what) {
            if (ids.dim() != 2) {
                throw new IllegalArgumentException(what + " ids must be (batch, length), got " + ids.dim() + " dims");
            }
        }
    }

    /** Decoding one token at a time: the state (Ld, N, Hd) and the sentence's annotations carried between steps. */
    static final class StepDecoder implements IncrementalDecoder {
        private final Model model;
        private final CarriedTensor state;
        private final CarriedTensor annotations; // (N, S, 2He)
        private final CarriedTensor keys; // (N, S, ·)
        private final CarriedTensor keep; // (N, S)

        StepDecoder(Model model, Encoded encoded) {
            this.model = model;
            state = new CarriedTensor(model.decoder.initialState(encoded.summary()));
            annotations = new CarriedTensor(encoded.annotations());
            keys = new CarriedTensor(model.decoder.attention.keys(encoded.annotations()));
            keep = new CarriedTensor(encoded.keep());
        }

        @Override
        public Tensor step(Tensor tokens) {
            Decoder decoder = model.decoder;
            Step step = decoder.step(decoder.embedding.forward(tokens), state.get(), annotations.get(), keys.get(), keep.get());
            state.set(step.state());
            return torch.log_softmax(decoder.logits(step.features()).to(ScalarType.Float), -1); // (N, V)
        }

        @Override
        public void select(Tensor rows) {
            state.set(state.get().index_select(1, rows));
            annotations.set(annotations.get().index_select(0, rows));
            keys.set(keys.get().index_select(0, rows));
            keep.set(keep.get().index_select(0, rows));
        }

        @Override
        public void close() {
            state.close();
            annotations.close();
            keys.close();
            keep.close();
        }
    }

    private static Tensor cat(Tensor a, Tensor b, long dim) {
        try (TensorVector both = new TensorVector(a, b)) {
            return torch.cat(both, dim);
        }
    }

    /** T tensors (N, ...) → (N, T, ...) */
    private static Tensor stack(List<Tensor> steps) {
        try (TensorVector all = new TensorVector(steps.toArray(new Tensor[0]))) {
            return torch.stack(all, 1);
        }
    }
}
