package org.glossa.models.bert;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.nn.Embedding;
import org.glossa.nn.LayerNorm;
import org.glossa.nn.Linear;
import org.glossa.nn.Module;
import org.glossa.nn.Ops;
import org.glossa.nn.Weights;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.SafeTensorsFile;

/**
 * BERT (Devlin et al., 2019, "BERT: Pre-training of Deep Bidirectional Transformers for Language
 * Understanding"), the encoder as HuggingFace's {@code BertModel} lays it out, so that its parameter
 * names and its outputs are those of {@code transformers}:
 *
 * <pre>
 * word + position + token-type embeddings → LayerNorm → dropout
 * N × [ self-attention (padding mask) → dense → dropout → add &amp; LayerNorm
 *       → intermediate dense → GELU → output dense → dropout → add &amp; LayerNorm ]
 * optional pooler: tanh(dense(h[CLS]))
 * </pre>
 *
 * Post-LN as in the paper; {@link BertConfig#preLayerNorm()} moves each LayerNorm before its sub-layer
 * (Xiong et al., 2020), with a final LayerNorm after the stack.
 */
public final class Bert {
    private Bert() {}

    /** The prefix HF's task models ({@code BertForQuestionAnswering}, …) put before the encoder's names. */
    public static final String PREFIX = "bert.";

    /** What a forward pass returns. */
    public record Output(
            Tensor lastHiddenState, // (B, T, H)
            Tensor pooledOutput // (B, H), or null when the model has no pooler
    ) {}

    /** Token, position and segment embeddings, summed and normalised. */
    public static final class Embeddings extends Module {
        final Embedding wordEmbeddings;
        final Embedding positionEmbeddings;
        final Embedding tokenTypeEmbeddings;
        final LayerNorm layerNorm;
        private final double dropout;

        Embeddings(BertConfig config) {
            double std = config.initializerRange();
            wordEmbeddings = child("word_embeddings", new Embedding(config.vocabSize(), config.hiddenSize(), std));
            positionEmbeddings = child("position_embeddings",
                    new Embedding(config.maxPositionEmbeddings(), config.hiddenSize(), std));
            tokenTypeEmbeddings = child("token_type_embeddings",
                    new Embedding(config.typeVocabSize(), config.hiddenSize(), std));
            layerNorm = child("LayerNorm", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
            dropout = config.hiddenDropoutProb();
        }

        /** ids, typeIds: int64 (B, T) → (B, T, H) */
        Tensor forward(Tensor inputIds, Tensor tokenTypeIds) {
            long length = inputIds.size(1);
            Tensor positions = torch.arange(new org.bytedeco.pytorch.Scalar(length),
                    new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long)); // (T)
            Tensor x = wordEmbeddings.forward(inputIds) // (B, T, H)
                    .add(positionEmbeddings.forward(positions)) // (T, H) broadcast over B
                    .add(tokenTypeEmbeddings.forward(tokenTypeIds));
            return torch.dropout(layerNorm.forward(x), dropout, isTraining());
        }
    }

    /** Multi-head scaled dot-product self-attention: {@code attention.self.{query,key,value}}. */
    public static final class SelfAttention extends Module {
        final Linear query;
        final Linear key;
        final Linear value;
        private final long heads;
        private final double dropout;

        SelfAttention(BertConfig config) {
            long h = config.hiddenSize();
            query = child("query", new Linear(h, h, config.initializerRange()));
            key = child("key", new Linear(h, h, config.initializerRange()));
            value = child("value", new Linear(h, h, config.initializerRange()));
            heads = config.numAttentionHeads();
            dropout = config.attentionProbsDropoutProb();
        }

        /** x (B, T, H), keep (B, 1, 1, T) boolean, true where a key may be attended to → (B, T, H) */
        Tensor forward(Tensor x, Tensor keep) {
            long batch = x.size(0);
            long length = x.size(1);
            long hidden = x.size(2);
            Tensor q = splitHeads(query.forward(x), batch, length); // (B, nh, T, hd)
            Tensor k = splitHeads(key.forward(x), batch, length);
            Tensor v = splitHeads(value.forward(x), batch, length);
            // softmax(q kᵀ / √hd + mask) v: one fused kernel for inference, the explicit form for training.
            Tensor context = Ops.attention(q, k, v, keep, dropout, isTraining()); // (B, nh, T, hd)
            return context.transpose(1, 2).reshape(batch, length, hidden); // (B, T, H)
        }

        private Tensor splitHeads(Tensor x, long batch, long length) {
            return x.view(batch, length, heads, -1).transpose(1, 2); // (B, T, H) → (B, nh, T, hd)
        }
    }

    /** {@code attention.output}: projection back to the residual stream, then add &amp; norm. */
    public static final class AttentionOutput extends Module {
        final Linear dense;
        final LayerNorm layerNorm;
        private final double dropout;

        AttentionOutput(BertConfig config) {
            dense = child("dense", new Linear(config.hiddenSize(), config.hiddenSize(), config.initializerRange()));
            layerNorm = child("LayerNorm", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
            dropout = config.hiddenDropoutProb();
        }
    }

    /** {@code attention}: self-attention and its output block. */
    public static final class Attention extends Module {
        final SelfAttention self;
        final AttentionOutput output;

        Attention(BertConfig config) {
            self = child("self", new SelfAttention(config));
            output = child("output", new AttentionOutput(config));
        }
    }

    /** {@code intermediate}: the feed-forward expansion with its activation. */
    public static final class Intermediate extends Module {
        final Linear dense;
        private final String activation;

        Intermediate(BertConfig config) {
            dense = child("dense", new Linear(config.hiddenSize(), config.intermediateSize(), config.initializerRange()));
            activation = config.hiddenAct();
        }

        /** (B, T, H) → (B, T, I) */
        Tensor forward(Tensor x) {
            Tensor h = dense.forward(x);
            return switch (activation) {
                case "gelu" -> torch.gelu(h); // exact: x Φ(x), with erf
                case "gelu_new", "gelu_pytorch_tanh" -> torch.gelu(h, "tanh");
                case "relu" -> torch.relu(h);
                default -> throw new IllegalStateException("unsupported hidden_act " + activation);
            };
        }
    }

    /** {@code output}: the feed-forward contraction, then add &amp; norm. */
    public static final class FeedForwardOutput extends Module {
        final Linear dense;
        final LayerNorm layerNorm;

        FeedForwardOutput(BertConfig config) {
            dense = child("dense", new Linear(config.intermediateSize(), config.hiddenSize(), config.initializerRange()));
            layerNorm = child("LayerNorm", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
        }
    }

    /** One Transformer encoder layer, {@code encoder.layer.N}. */
    public static final class Layer extends Module {
        final Attention attention;
        final Intermediate intermediate;
        final FeedForwardOutput output;
        private final boolean preLayerNorm;
        private final double dropout;

        Layer(BertConfig config) {
            attention = child("attention", new Attention(config));
            intermediate = child("intermediate", new Intermediate(config));
            output = child("output", new FeedForwardOutput(config));
            preLayerNorm = config.preLayerNorm();
            dropout = config.hiddenDropoutProb();
        }

        /** x (B, T, H), keep (B, 1, 1, T) → (B, T, H) */
        Tensor forward(Tensor x, Tensor keep) {
            boolean train = isTraining();
            AttentionOutput attnOut = attention.output;
            if (preLayerNorm) {
                // x + Attn(LN(x)), then x + FFN(LN(x)): the residual stream is never normalised.
                Tensor a = attention.self.forward(attnOut.layerNorm.forward(x), keep);
                x = x.add(torch.dropout(attnOut.dense.forward(a), dropout, train));
                Tensor f = output.dense.forward(intermediate.forward(output.layerNorm.forward(x)));
                return x.add(torch.dropout(f, dropout, train));
            }
            // BERT's post-LN: LN(x + Attn(x)), then LN(x + FFN(x)).
            Tensor a = attention.self.forward(x, keep);
            x = attnOut.layerNorm.forward(x.add(torch.dropout(attnOut.dense.forward(a), dropout, train)));
            Tensor f = output.dense.forward(intermediate.forward(x));
            return output.layerNorm.forward(x.add(torch.dropout(f, dropout, train)));
        }
    }

    /** {@code encoder}: the stack of layers ({@code encoder.layer.0} … {@code encoder.layer.N-1}). */
    public static final class Encoder extends Module {
        final List<Layer> layers = new ArrayList<>();
        final LayerNorm finalLayerNorm;

        Encoder(BertConfig config) {
            Stack stack = child("layer", new Stack());
            for (int i = 0; i < config.numHiddenLayers(); i++) {
                layers.add(stack.add(i, new Layer(config)));
            }
            // Pre-LN leaves the last residual un-normalised; one LayerNorm closes the stack.
            finalLayerNorm = config.preLayerNorm()
                    ? child("final_layer_norm", new LayerNorm(config.hiddenSize(), config.layerNormEps()))
                    : null;
        }

        Tensor forward(Tensor x, Tensor keep) {
            for (Layer layer : layers) {
                x = layer.forward(x, keep);
            }
            return finalLayerNorm == null ? x : finalLayerNorm.forward(x);
        }

        /** A numbered list of layers, named "0", "1", … as {@code nn.ModuleList} names them. */
        static final class Stack extends Module {
            Layer add(int index, Layer layer) {
                return child(Integer.toString(index), layer);
            }
        }
    }

    /** {@code pooler}: tanh(dense(h[CLS])), the sentence representation BERT's NSP head was trained on. */
    public static final class Pooler extends Module {
        final Linear dense;

        Pooler(BertConfig config) {
            dense = child("dense", new Linear(config.hiddenSize(), config.hiddenSize(), config.initializerRange()));
        }

        /** (B, T, H) → (B, H) */
        Tensor forward(Tensor hidden) {
            return torch.tanh(dense.forward(hidden.select(1, 0)));
        }
    }

    /** The encoder with its embeddings and optional pooler: HF's {@code BertModel}. */
    public static final class Model extends Module {
        public final BertConfig config;
        final Embeddings embeddings;
        final Encoder encoder;
        final Pooler pooler;

        public Model(BertConfig config, boolean addPoolingLayer) {
            this.config = config;
            embeddings = child("embeddings", new Embeddings(config));
            encoder = child("encoder", new Encoder(config));
            pooler = addPoolingLayer ? child("pooler", new Pooler(config)) : null;
        }

        /**
         * Loads an HF BERT directory ({@code config.json}, {@code model.safetensors}). The pooler is built
         * when the checkpoint has one; names may carry HF's {@code bert.} prefix of task models.
         */
        public static Model load(Path modelDir) {
            BertConfig config = BertConfig.read(modelDir);
            Path weights = modelDir.resolve("model.safetensors");
            boolean hasPooler;
            try (SafeTensorsFile file = SafeTensors.open(weights)) {
                hasPooler = file.names().contains("pooler.dense.weight") || file.names().contains("bert.pooler.dense.weight");
            }
            Model model = new Model(config, hasPooler);
            Weights.load(model, weights, PREFIX, Set.of());
            return model;
        }

        /** Writes {@code config.json} and {@code model.safetensors} (the tokenizer is the caller's). */
        public void save(Path modelDir) {
            config.write(modelDir, "BertModel");
            Weights.save(this, modelDir.resolve("model.safetensors"), Map.of("format", "pt"));
        }

        public boolean hasPooler() {
            return pooler != null;
        }

        /**
         * @param inputIds int64 (B, T)
         * @param tokenTypeIds int64 (B, T), or null for all zeros
         * @param attentionMask int64 or bool (B, T), 1 for real tokens, 0 for padding; or null for no padding
         */
        public Output forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) {
            if (inputIds.dim() != 2) {
                throw new IllegalArgumentException("input_ids must be (batch, length), got " + inputIds.dim() + " dims");
            }
            long length = inputIds.size(1);
            if (length > config.maxPositionEmbeddings()) {
                throw new IllegalArgumentException("sequence of " + length + " tokens exceeds max_position_embeddings "
                        + config.maxPositionEmbeddings());
            }
            Tensor types = tokenTypeIds != null ? tokenTypeIds : torch.zeros_like(inputIds);
            Tensor mask = attentionMask != null ? attentionMask : torch.ones_like(inputIds);
            Tensor keep = mask.to(torch.ScalarType.Bool).unsqueeze(1).unsqueeze(2); // (B, 1, 1, T)
            Tensor x = embeddings.forward(inputIds, types); // (B, T, H)
            Tensor hidden = encoder.forward(x, keep); // (B, T, H)
            return new Output(hidden, pooler == null ? null : pooler.forward(hidden));
        }
    }

    /**
     * HF's {@code BertForQuestionAnswering}: the encoder without pooler ({@code bert.*}) and one linear layer
     * ({@code qa_outputs}, hidden → 2) that gives every token a logit for starting and one for ending the
     * answer span (Devlin et al., 2019, §4.2). SQuAD 2.0's "no answer" is the span [CLS]..[CLS] at position 0.
     */
    public static final class QuestionAnswering extends Module {
        /** The {@code architectures} entry of a fine-tuned model's config.json. */
        public static final String ARCHITECTURE = "BertForQuestionAnswering";
        /** The head's parameters, which an encoder checkpoint does not have. */
        public static final List<String> HEAD_PARAMETERS = List.of("qa_outputs.weight", "qa_outputs.bias");
        /**
         * Tensors of HF checkpoints that are not parameters here: an encoder's pooler, which this model does not
         * use (HF drops it the same way), and the position_ids buffer that transformers before 4.31 saved.
         */
        private static final Set<String> IGNORED = Set.of("pooler.dense.weight", "pooler.dense.bias",
                "embeddings.position_ids", "bert.embeddings.position_ids");

        public final BertConfig config;
        public final Model bert;
        final Linear qaOutputs;
        private List<String> newlyInitialised = List.of();

        /** Random weights throughout, from libtorch's generator as the caller seeded it. */
        public QuestionAnswering(BertConfig config) {
            this.config = config;
            bert = child("bert", new Model(config, false));
            qaOutputs = child("qa_outputs", new Linear(config.hiddenSize(), 2, config.initializerRange()));
        }

        /** Start and end logits of every token, fp32 whatever precision computed them. */
        public record Logits(
                Tensor start, // (B, T)
                Tensor end // (B, T)
        ) {}

        /** ids, typeIds (may be null), attentionMask (may be null): int64 (B, T) → start and end logits (B, T). */
        public Logits forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) {
            Tensor hidden = bert.forward(inputIds, tokenTypeIds, attentionMask).lastHiddenState(); // (B, T, H)
            // Under bf16 autocast the projection comes out in bf16; the loss and the post-processing want fp32.
            Tensor logits = qaOutputs.forward(hidden).to(torch.ScalarType.Float); // (B, T, 2)
            return new Logits(logits.select(2, 0).contiguous(), logits.select(2, 1).contiguous());
        }

        /**
         * HF's loss: the mean of the cross-entropies of the start and of the end position. Positions are
         * clamped to [0, T] and a position of T (beyond the sequence) is ignored, as {@code transformers} does.
         *
         * @param startPositions int64 (B), token index of the answer's first token (0 for no answer)
         * @param endPositions int64 (B), token index of its last token
         */
        public static Tensor loss(Logits logits, Tensor startPositions, Tensor endPositions) {
            long ignored = logits.start().size(1);
            org.bytedeco.pytorch.Scalar low = new org.bytedeco.pytorch.Scalar(0L);
            org.bytedeco.pytorch.Scalar high = new org.bytedeco.pytorch.Scalar(ignored);
            try (org.bytedeco.pytorch.TensorOptional noWeights = new org.bytedeco.pytorch.TensorOptional()) {
                long mean = 1; // at::Reduction::Mean
                Tensor start = torch.cross_entropy_loss(logits.start(), startPositions.clamp_min(low).clamp_max(high), noWeights, mean,
                        ignored, 0.0);
                Tensor end = torch.cross_entropy_loss(logits.end(), endPositions.clamp_min(low).clamp_max(high), noWeights, mean,
                        ignored, 0.0);
                return start.add(end).div(new org.bytedeco.pytorch.Scalar(2.0));
            }
        }

        /** As {@link #load(Path, long)} with seed 42 for a head that has to be initialised. */
        public static QuestionAnswering load(Path modelDir) {
            return load(modelDir, 42);
        }

        /**
         * Loads a fine-tuned QA directory ({@code bert.*} and {@code qa_outputs.*}), or an encoder directory
         * (names with or without {@code bert.}, pooler ignored) whose new head is drawn from N(0,
         * initializer_range) by a generator seeded with {@code seed}, bias 0; {@link #newlyInitialised} then
         * names the head's parameters. A config.json that says {@value #ARCHITECTURE} requires the head.
         */
        public static QuestionAnswering load(Path modelDir, long seed) {
            BertConfig config = BertConfig.read(modelDir);
            Path weights = modelDir.resolve("model.safetensors");
            if (!java.nio.file.Files.isRegularFile(weights)) {
                throw new org.glossa.core.GlossaException(weights + ": no such file (a model directory needs its weights)");
            }
            boolean hasHead;
            try (SafeTensorsFile file = SafeTensors.open(weights)) {
                hasHead = file.names().contains(HEAD_PARAMETERS.get(0));
            }
            boolean saysQa = false;
            for (var architecture : org.glossa.core.HfConfig.read(modelDir).path("architectures")) {
                saysQa |= architecture.asText().equals(ARCHITECTURE);
            }
            if (saysQa && !hasHead) {
                throw new org.glossa.core.GlossaException(weights + ": config.json says " + ARCHITECTURE
                        + " but the weights have no " + HEAD_PARAMETERS.get(0));
            }
            QuestionAnswering model = new QuestionAnswering(config);
            if (hasHead) {
                Weights.load(model, weights, "", IGNORED);
                return model;
            }
            Weights.load(model.bert, weights, PREFIX, IGNORED);
            model.initialiseHead(seed);
            return model;
        }

        /** A fresh head: weight ~ N(0, initializer_range) from its own generator seeded with {@code seed}, bias 0. */
        public void initialiseHead(long seed) {
            try (org.bytedeco.pytorch.NoGradGuard noGrad = new org.bytedeco.pytorch.NoGradGuard();
                 org.bytedeco.pytorch.GeneratorOptional generator =
                         new org.bytedeco.pytorch.GeneratorOptional(torch.createCPUGenerator(seed))) {
                qaOutputs.weight.normal_(0.0, config.initializerRange(), generator);
                qaOutputs.bias.zero_();
            }
            newlyInitialised = HEAD_PARAMETERS;
        }

        /** The parameters that did not come from the checkpoint (the head, when loaded from an encoder); empty otherwise. */
        public List<String> newlyInitialised() {
            return newlyInitialised;
        }

        /** Writes {@code config.json} with architectures [{@value #ARCHITECTURE}]. */
        public void writeConfig(Path modelDir) {
            config.write(modelDir, ARCHITECTURE);
        }

        /** Writes an HF QA directory: {@code config.json}, {@code model.safetensors} and a copy of {@code tokenizerJson}. */
        public void save(Path modelDir, Path tokenizerJson) {
            writeConfig(modelDir);
            Weights.save(this, modelDir.resolve("model.safetensors"), Map.of("format", "pt"));
            Path target = modelDir.resolve("tokenizer.json");
            org.glossa.core.AtomicFiles.write(target, temporary -> java.nio.file.Files.copy(tokenizerJson, temporary));
        }
    }
}
