package org.glossa.models.transformer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.glossa.models.seq2seq.EncoderDecoder;
import org.glossa.models.seq2seq.IncrementalDecoder;
import org.glossa.models.seq2seq.SpecialTokens;
import org.glossa.nn.CarriedTensor;
import org.glossa.nn.Embedding;
import org.glossa.nn.LayerNorm;
import org.glossa.nn.Losses;
import org.glossa.nn.Masks;
import org.glossa.nn.Module;
import org.glossa.nn.Ops;
import org.glossa.nn.Weights;
import org.glossa.nn.transformer.DecoderLayer;
import org.glossa.nn.transformer.EncoderLayer;
import org.glossa.nn.transformer.Init;
import org.glossa.nn.transformer.Positions;

/**
 * The encoder–decoder Transformer of "Attention Is All You Need" (Vaswani et al., 2017) for translation:
 *
 * <pre>
 * source ids (B, S) → embedding·√d + positions → dropout → N × EncoderLayer (padding mask) → [LayerNorm if pre-LN] → memory (B, S, D)
 * target ids (B, T) → embedding·√d + positions → dropout → N × DecoderLayer (causal mask; cross-attention over memory)
 *                   → [LayerNorm if pre-LN] → output layer → logits (B, T, V)
 * </pre>
 *
 * Parameter names follow HF's {@code MarianMTModel}: {@code model.shared.weight} when source and target share
 * one embedding ({@code model.encoder.embed_tokens.weight} and {@code model.decoder.embed_tokens.weight}
 * otherwise), {@code model.encoder.embed_positions.weight} for learned positions, {@code model.encoder.layers.N.…}
 * and {@code model.decoder.layers.N.…} as in {@link EncoderLayer} and {@link DecoderLayer}, {@code
 * model.encoder.layer_norm} / {@code model.decoder.layer_norm} after a pre-LN stack (mBART's names), and
 * {@code lm_head.weight} when the output layer is not tied to the target embedding. A tied tensor is stored
 * once, as HF stores it. (Not a loadable Marian checkpoint: Marian has no pre-LN or learned-position variant,
 * stores its sinusoids and a {@code final_logits_bias}.)
 *
 * <p>Initialisation: Xavier-uniform projections with zero biases (the reference implementations'), embeddings
 * N(0, 1/d) so that after the √d scaling they have unit variance (fairseq's), learned positions N(0, ½), the
 * per-dimension variance of the sinusoids.
 */
public final class Transformer {
    private Transformer() {}

    /**
     * What a teacher-forced forward pass returns: the logits (B, T, V) and, when asked for, the attention
     * weights per layer: encoder self-attention (B, H, S, S), decoder self-attention (B, H, T, T) and
     * cross-attention (B, H, T, S); empty lists otherwise.
     */
    public record Output(Tensor logits, List<Tensor> encoderAttentions, List<Tensor> decoderAttentions,
                         List<Tensor> crossAttentions) {}

    /** The encoder's result: memory (B, S, D), its key mask (B, 1, 1, S) and the attention weights if asked for. */
    public record Encoded(Tensor memory, Tensor keep, List<Tensor> attentions) {}

    /** A numbered list of layers, named "0", "1", … as {@code nn.ModuleList} names them. */
    static final class Stack<L extends Module> extends Module {
        final List<L> layers = new ArrayList<>();

        L add(L layer) {
            layers.add(child(Integer.toString(layers.size()), layer));
            return layer;
        }
    }

    /** Token embedding scaled by √d (if configured) plus positions, then dropout: what both stacks start with. */
    private abstract static class EmbeddedStack extends Module {
        final TransformerConfig config;
        final Embedding embedTokens;
        final Embedding embedPositions; // learned positions only
        final Positions sinusoids; // sinusoidal positions only

        EmbeddedStack(TransformerConfig config, Embedding sharedTokens, int vocabulary) {
            this.config = config;
            embedTokens = sharedTokens != null ? sharedTokens
                    : child("embed_tokens", tokenEmbedding(vocabulary, config.dModel()));
            if (config.learnedPositions()) {
                embedPositions = child("embed_positions",
                        new Embedding(config.maxPositionEmbeddings(), config.dModel(), Math.sqrt(0.5)));
                sinusoids = null;
            } else {
                embedPositions = null;
                sinusoids = new Positions(config.maxPositionEmbeddings(), config.dModel());
            }
        }

        /** ids (B, T) at positions offset … offset+T−1 → (B, T, D) */
        Tensor embed(Tensor ids, long offset) {
            long length = ids.size(1);
            if (offset + length > config.maxPositionEmbeddings()) {
                throw new GlossaException("a sequence of " + (offset + length) + " tokens exceeds max_position_embeddings "
                        + config.maxPositionEmbeddings() + " of this Transformer (shorten or split the input)");
            }
            Tensor x = embedTokens.forward(ids); // (B, T, D)
            if (config.scaleEmbedding()) {
                x = x.mul(new Scalar(Math.sqrt(config.dModel())));
            }
            Tensor positions = config.learnedPositions()
                    ? embedPositions.forward(torch.arange(new Scalar(offset), new Scalar(offset + length),
                            new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long))) // (T, D)
                    : sinusoids.forward(offset, length);
            return Ops.dropout(x.add(positions), config.dropout(), isTraining());
        }
    }

    static Embedding tokenEmbedding(int vocabulary, int dModel) {
        return new Embedding(vocabulary, dModel, 1.0 / Math.sqrt(dModel));
    }

    /** {@code model.encoder}. */
    public static final class Encoder extends EmbeddedStack {
        final Stack<EncoderLayer> layers;
        final LayerNorm layerNorm; // pre-LN only

        Encoder(TransformerConfig config, Embedding sharedTokens) {
            super(config, sharedTokens, config.vocabSize());
            layers = child("layers", new Stack<>());
            for (int i = 0; i < config.encoderLayers(); i++) {
                layers.add(new EncoderLayer(config.encoderLayerOptions()));
            }
            layerNorm = config.preLayerNorm()
                    ? child("layer_norm", new LayerNorm(config.dModel(), TransformerConfig.LAYER_NORM_EPS)) : null;
        }

        /** source ids (B, S) → memory (B, S, D), with the padding mask it was computed under. */
        public Encoded forward(Tensor sourceIds, boolean needWeights) {
            Tensor keep = Masks.keys(Masks.notPadding(sourceIds, config.padTokenId())); // (B, 1, 1, S)
            Tensor x = embed(sourceIds, 0);
            List<Tensor> attentions = new ArrayList<>();
            for (EncoderLayer layer : layers.layers) {
                EncoderLayer.Result result = layer.forward(x, keep, needWeights);
                x = result.output();
                if (needWeights) {
                    attentions.add(result.selfAttention());
                }
            }
            return new Encoded(layerNorm == null ? x : layerNorm.forward(x), keep, attentions);
        }
    }

    /** {@code model.decoder}. */
    public static final class Decoder extends EmbeddedStack {
        final Stack<DecoderLayer> layers;
        final LayerNorm layerNorm; // pre-LN only

        Decoder(TransformerConfig config, Embedding sharedTokens) {
            super(config, sharedTokens, config.decoderVocabSize());
            layers = child("layers", new Stack<>());
            for (int i = 0; i < config.decoderLayers(); i++) {
                layers.add(new DecoderLayer(config.decoderLayerOptions()));
            }
            layerNorm = config.preLayerNorm()
                    ? child("layer_norm", new LayerNorm(config.dModel(), TransformerConfig.LAYER_NORM_EPS)) : null;
        }

        /**
         * Target ids (B, T) that follow {@code offset} positions already in {@code caches} (0 and null caches
         * for teacher forcing over a whole sentence) → hidden states (B, T, D).
         */
        Tensor forward(Tensor targetIds, long offset, Encoded encoded, List<DecoderLayer.Cache> caches,
                       List<Tensor> selfWeights, List<Tensor> crossWeights) {
            long length = targetIds.size(1);
            // One new position after a cache sees everything: no mask needed.
            Tensor causal = length == 1 ? null : Masks.causal(length, offset + length); // (1, 1, T, t + T)
            boolean needWeights = selfWeights != null;
            Tensor x = embed(targetIds, offset);
            for (int i = 0; i < layers.layers.size(); i++) {
                DecoderLayer.Result result = layers.layers.get(i).forward(x, causal, encoded.memory(), encoded.keep(),
                        caches == null ? null : caches.get(i), needWeights);
                x = result.output();
                if (needWeights) {
                    selfWeights.add(result.selfAttention());
                    crossWeights.add(result.crossAttention());
                }
            }
            return layerNorm == null ? x : layerNorm.forward(x);
        }
    }

    /** {@code model}: HF's {@code MarianModel}, the shared embedding (if any), the encoder and the decoder. */
    public static final class Core extends Module {
        final Embedding shared;
        final Encoder encoder;
        final Decoder decoder;

        Core(TransformerConfig config) {
            shared = config.shareEncoderDecoderEmbeddings()
                    ? child("shared", tokenEmbedding(config.vocabSize(), config.dModel())) : null;
            encoder = child("encoder", new Encoder(config, shared));
            decoder = child("decoder", new Decoder(config, shared));
        }
    }

    /** {@code lm_head}: the output layer when it is not tied to the target embedding; weight (V, D), no bias. */
    static final class LmHead extends Module {
        final Tensor weight;

        LmHead(int vocabulary, int dModel) {
            weight = parameter("weight", vocabulary, dModel);
            Init.xavierUniform(weight);
        }
    }

    /** The whole model: {@code model} and, untied, {@code lm_head}. */
    public static final class Model extends Module implements EncoderDecoder {
        public final TransformerConfig config;
        final Core model;
        final LmHead lmHead;

        /** A freshly initialised model (draws from libtorch's default generator: seed it first). */
        public Model(TransformerConfig config) {
            this.config = config;
            model = child("model", new Core(config));
            lmHead = config.tieWordEmbeddings() ? null : child("lm_head", new LmHead(config.decoderVocabSize(), config.dModel()));
        }

        /** Loads a model directory: {@code config.json} and {@code model.safetensors}, strictly by name and shape. */
        public static Model load(Path modelDir) {
            TransformerConfig config = TransformerConfig.read(modelDir);
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

        /** source ids (B, S) → the encoder's output. */
        public Encoded encode(Tensor sourceIds, boolean needWeights) {
            checkIds(sourceIds, "source");
            return model.encoder.forward(sourceIds, needWeights);
        }

        /**
         * Teacher forcing: the logits of every target position given the source and the target's previous tokens.
         *
         * @param sourceIds int64 (B, S), padded with {@code pad_token_id}
         * @param targetInputIds int64 (B, T): the decoder start token, then the target shifted right (padded)
         * @param needAttention whether to return the attention weights of every layer
         */
        public Output forward(Tensor sourceIds, Tensor targetInputIds, boolean needAttention) {
            checkIds(targetInputIds, "target");
            Encoded encoded = encode(sourceIds, needAttention);
            List<Tensor> selfWeights = needAttention ? new ArrayList<>() : null;
            List<Tensor> crossWeights = needAttention ? new ArrayList<>() : null;
            Tensor hidden = model.decoder.forward(targetInputIds, 0, encoded, null, selfWeights, crossWeights);
            return new Output(project(hidden), encoded.attentions(),
                    needAttention ? selfWeights : List.of(), needAttention ? crossWeights : List.of());
        }

        /**
         * The label-smoothed cross-entropy of the targets, averaged over their non-padding tokens.
         *
         * @param targetOutputIds int64 (B, T): the target tokens each position predicts (the input shifted left,
         *     ending in end-of-sentence, then padding)
         */
        public Tensor loss(Tensor sourceIds, Tensor targetInputIds, Tensor targetOutputIds, double labelSmoothing) {
            Tensor logits = forward(sourceIds, targetInputIds, false).logits();
            return Losses.labelSmoothedCrossEntropy(logits, targetOutputIds, config.padTokenId(), labelSmoothing);
        }

        /** hidden (..., D) → logits (..., V): the tied target embedding or {@code lm_head}. */
        Tensor project(Tensor hidden) {
            Tensor weight = lmHead != null ? lmHead.weight : model.decoder.embedTokens.weight;
            return Ops.linear(hidden, weight, null);
        }

        @Override
        public SpecialTokens specialTokens() {
            return config.specialTokens();
        }

        @Override
        public int maxTargetLength() {
            return config.maxPositionEmbeddings();
        }

        @Override
        public IncrementalDecoder startDecoding(Tensor sourceIds) {
            return new CachedDecoder(this, encode(sourceIds, false));
        }

        private void checkIds(Tensor ids, String what) {
            if (ids.dim() != 2) {
                throw new IllegalArgumentException(what + " ids must be (batch, length), got " + ids.dim() + " dims");
            }
        }
    }

    /**
     * Step-by-step decoding with a key/value cache per decoder layer: each step embeds one token per row at the next
     * position, attends over the cached keys and values of the earlier positions, and appends its own.
     */
    static final class CachedDecoder implements IncrementalDecoder {
        private final Model model;
        private final List<DecoderLayer.Cache> caches = new ArrayList<>();
        private final CarriedTensor memory; // (N, S, D), until the first step has cached its keys and values
        private final CarriedTensor memoryKeep; // (N, 1, 1, S)

        CachedDecoder(Model model, Encoded encoded) {
            this.model = model;
            memory = new CarriedTensor(encoded.memory());
            memoryKeep = new CarriedTensor(encoded.keep());
            for (int i = 0; i < model.config.decoderLayers(); i++) {
                caches.add(new DecoderLayer.Cache());
            }
        }

        @Override
        public Tensor step(Tensor tokens) {
            long offset = caches.get(0).length();
            Encoded encoded = new Encoded(memory.get(), memoryKeep.get(), List.of());
            Tensor hidden = model.model.decoder.forward(tokens.unsqueeze(1), offset, encoded, caches, null, null); // (N, 1, D)
            memory.set(null); // every layer's cache now holds the memory's keys and values
            return torch.log_softmax(model.project(hidden.squeeze(1)).to(torch.ScalarType.Float), -1); // (N, V)
        }

        @Override
        public void select(Tensor rows) {
            if (memory.get() != null) {
                memory.set(memory.get().index_select(0, rows));
            }
            memoryKeep.set(memoryKeep.get().index_select(0, rows));
            for (DecoderLayer.Cache cache : caches) {
                cache.select(rows);
            }
        }

        @Override
        public void close() {
            memory.close();
            memoryKeep.close();
            caches.forEach(DecoderLayer.Cache::close);
        }
    }
}
