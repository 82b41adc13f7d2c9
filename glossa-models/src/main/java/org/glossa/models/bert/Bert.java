package org.glossa.models.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.SafeTensorsFile;
import org.glossa.nn.Embedding;
import org.glossa.nn.LayerNorm;
import org.glossa.nn.Linear;
import org.glossa.nn.Module;
import org.glossa.nn.Ops;
import org.glossa.nn.Weights;

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

    /** Whether a checkpoint holds a pooler, named as in BertModel or under a task model's {@code bert.} prefix. */
    static boolean hasPoolerWeights(SafeTensorsFile file) {
        return file.names().contains("pooler.dense.weight") || file.names().contains(PREFIX + "pooler.dense.weight");
    }

    /** {@code modelDir/model.safetensors}, or a one-line error when it is missing. */
    static Path weightsFile(Path modelDir) {
        Path weights = modelDir.resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) {
            throw new GlossaException(weights + ": no such file (a model directory needs its weights)");
        }
        return weights;
    }

    /** A new head layer as HF initialises one: weight ~ N(0, std) drawn from {@code generator}, bias 0. */
    static void initialiseLinear(Linear layer, double std, GeneratorOptional generator) {
        layer.weight.normal_(0.0, std, generator);
        layer.bias.zero_();
    }

    /** Copies {@code tokenizerJson} into {@code modelDir} atomically; nothing when it is null. */
    static void copyTokenizer(Path tokenizerJson, Path modelDir) {
        if (tokenizerJson != null) {
            AtomicFiles.write(modelDir.resolve("tokenizer.json"), temporary -> Files.copy(tokenizerJson, temporary));
        }
    }

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
            Tensor positions = torch.arange(new Scalar(length),
                    new TensorOptions(torch.ScalarType.Long)); // (T)
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
                hasPooler = hasPoolerWeights(file);
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
     * HF's {@code BertForSequenceClassification}: the encoder ({@code bert.*}), a sentence vector, dropout and one
     * linear layer ({@code classifier}, hidden → labels). The sentence vector is BERT's: the pooler's
     * tanh(dense(h[CLS])) ({@code bert.pooler.*}); or, as an option of ours, the mean of the real tokens' hidden
     * states (then the model has no pooler), which suits encoders trained for mean pooling such as
     * all-MiniLM-L6-v2. Single-label problems use softmax and cross-entropy, multi-label ones a sigmoid per label
     * and binary cross-entropy, as {@code transformers} does for each {@code problem_type}.
     */
    public static final class SequenceClassification extends Module {
        /** The {@code architectures} entry of config.json. */
        public static final String ARCHITECTURE = "BertForSequenceClassification";
        /** Our config.json key for the sentence vector: "cls" (the pooler, HF's behaviour) or "mean". */
        public static final String POOLING_KEY = "classifier_pooling";
        public static final String SINGLE_LABEL = "single_label_classification";
        public static final String MULTI_LABEL = "multi_label_classification";
        private static final List<String> HEAD_PARAMETERS = List.of("classifier.weight", "classifier.bias");
        private static final List<String> POOLER_PARAMETERS = List.of("bert.pooler.dense.weight", "bert.pooler.dense.bias");

        /** How the sequence becomes one vector. */
        public enum Pooling {
            /** tanh(dense(h[CLS])) through {@code bert.pooler}: BERT's and HF's. */
            CLS,
            /** The mean of the hidden states of the real (unmasked) tokens; no pooler. */
            MEAN;

            public String key() {
                return name().toLowerCase(Locale.ROOT);
            }

            public static Pooling parse(String value, String where) {
                for (Pooling pooling : values()) {
                    if (pooling.key().equals(value)) {
                        return pooling;
                    }
                }
                throw new GlossaException(where + "'" + value + "' is not a pooling: use cls or mean");
            }
        }

        /**
         * What the head predicts, kept in config.json under HF's keys ({@code id2label}, {@code label2id},
         * {@code problem_type}, {@code classifier_dropout}) and ours ({@value #POOLING_KEY}).
         *
         * @param labels the label names by id
         * @param multiLabel independent yes/no decisions per label (sigmoid, BCE) instead of one label per text
         * @param pooling the sentence vector
         * @param classifierDropout dropout before the classifier; null for the encoder's hidden_dropout_prob (HF's rule)
         */
        public record Head(List<String> labels, boolean multiLabel, Pooling pooling, Double classifierDropout) {
            public Head {
                labels = List.copyOf(labels);
                if (labels.size() < (multiLabel ? 1 : 2)) {
                    throw new IllegalArgumentException((multiLabel ? "multi-label classification needs at least 1 label"
                            : "single-label classification needs at least 2 labels") + ", got " + labels);
                }
                if (new HashSet<>(labels).size() != labels.size()) {
                    throw new IllegalArgumentException("label names must be unique, got " + labels);
                }
                if (pooling == null) {
                    pooling = Pooling.CLS;
                }
                if (classifierDropout != null) {
                    HfConfig.checkProbability("classifier_dropout", classifierDropout);
                }
            }

            public int numLabels() {
                return labels.size();
            }

            public String problemType() {
                return multiLabel ? MULTI_LABEL : SINGLE_LABEL;
            }

            /** Adds this head's keys to a config.json tree. */
            void writeTo(ObjectNode json) {
                ObjectNode id2label = json.putObject("id2label");
                ObjectNode label2id = json.putObject("label2id");
                for (int id = 0; id < labels.size(); id++) {
                    id2label.put(Integer.toString(id), labels.get(id));
                    label2id.put(labels.get(id), id);
                }
                json.put("problem_type", problemType());
                if (classifierDropout == null) {
                    json.putNull("classifier_dropout");
                } else {
                    json.put("classifier_dropout", classifierDropout);
                }
                json.put(POOLING_KEY, pooling.key());
            }

            /**
             * Reads the head from config.json as HF does: without {@code id2label} there are {@code num_labels}
             * labels (default 2) called LABEL_0, LABEL_1, …; without {@code problem_type}, single-label.
             */
            static Head read(JsonNode json, String where) {
                List<String> labels = new ArrayList<>();
                JsonNode id2label = json.get("id2label");
                if (id2label != null && !id2label.isNull()) {
                    if (!id2label.isObject() || id2label.isEmpty()) {
                        throw new GlossaException(where + ": 'id2label' must be a non-empty object of id → label");
                    }
                    for (int id = 0; id < id2label.size(); id++) {
                        JsonNode name = id2label.get(Integer.toString(id));
                        if (name == null || !name.isTextual()) {
                            throw new GlossaException(where + ": 'id2label' has no label name for id " + id
                                    + " (ids must be 0 to " + (id2label.size() - 1) + ")");
                        }
                        labels.add(name.textValue());
                    }
                } else {
                    int count = HfConfig.optInt(json, "num_labels", 2);
                    for (int id = 0; id < count; id++) {
                        labels.add("LABEL_" + id);
                    }
                }
                JsonNode label2id = json.get("label2id");
                if (label2id != null && label2id.isObject() && id2label != null && !id2label.isNull()) {
                    for (int id = 0; id < labels.size(); id++) {
                        JsonNode stored = label2id.get(labels.get(id));
                        if (stored == null || !stored.canConvertToInt() || stored.asInt() != id) {
                            throw new GlossaException(where + ": 'label2id' does not map '" + labels.get(id)
                                    + "' to " + id + " as 'id2label' does");
                        }
                    }
                }
                String problem = HfConfig.optString(json, "problem_type", SINGLE_LABEL);
                if (!problem.equals(SINGLE_LABEL) && !problem.equals(MULTI_LABEL)) {
                    throw new GlossaException(where + ": 'problem_type' '" + problem + "' is not supported (only "
                            + SINGLE_LABEL + " and " + MULTI_LABEL + ")");
                }
                Pooling pooling = Pooling.parse(HfConfig.optString(json, POOLING_KEY, "cls"),
                        where + ": '" + POOLING_KEY + "' ");
                Double dropout = json.hasNonNull("classifier_dropout")
                        ? HfConfig.optDouble(json, "classifier_dropout", 0) : null;
                try {
                    return new Head(labels, problem.equals(MULTI_LABEL), pooling, dropout);
                } catch (IllegalArgumentException e) {
                    throw new GlossaException(where + ": " + e.getMessage(), e);
                }
            }
        }

        public final BertConfig config;
        public final Head head;
        final Model bert;
        final Linear classifier;
        private final double dropout;
        private List<String> newlyInitialised = List.of();

        /** Random weights throughout, from libtorch's generator as the caller seeded it. */
        public SequenceClassification(BertConfig config, Head head) {
            this.config = config;
            this.head = head;
            bert = child("bert", new Model(config, head.pooling() == Pooling.CLS));
            classifier = child("classifier", new Linear(config.hiddenSize(), head.numLabels(), config.initializerRange()));
            dropout = head.classifierDropout() != null ? head.classifierDropout() : config.hiddenDropoutProb();
        }

        /** Whether the BERT directory's weights include a trained [CLS] pooler ({@code [bert.]pooler.dense.weight}). */
        public static boolean encoderHasPooler(Path encoderDir) {
            try (SafeTensorsFile file = SafeTensors.open(weightsFile(encoderDir))) {
                return hasPoolerWeights(file);
            }
        }

        /**
         * A new classifier on a pretrained encoder: any BERT directory, names with or without {@code bert.}, its
         * task head if it has one (e.g. {@code classifier.*}) dropped. The classifier, and the pooler when the
         * encoder has none and {@code head} pools by [CLS], are drawn from N(0, initializer_range) by a
         * generator seeded with {@code seed}, biases 0; {@link #newlyInitialised} names them.
         */
        public static SequenceClassification fromPretrained(Path encoderDir, Head head, long seed) {
            BertConfig config = BertConfig.read(encoderDir);
            Path weights = weightsFile(encoderDir);
            Set<String> others = new HashSet<>();
            boolean hasPooler;
            try (SafeTensorsFile file = SafeTensors.open(weights)) {
                for (String name : file.names()) {
                    String bare = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
                    if (!bare.startsWith("embeddings.") && !bare.startsWith("encoder.") && !bare.startsWith("pooler.")) {
                        others.add(bare);
                    }
                }
                hasPooler = hasPoolerWeights(file);
            }
            boolean newPooler = head.pooling() == Pooling.CLS && !hasPooler;
            if (hasPooler && head.pooling() == Pooling.MEAN) {
                others.addAll(List.of("pooler.dense.weight", "pooler.dense.bias"));
            }
            SequenceClassification model = new SequenceClassification(config, head);
            if (newPooler) {
                // Load everything but the pooler into a pooler-less view of the same tensors.
                Model encoder = new Model(config, false);
                Weights.load(encoder, weights, PREFIX, others);
                Map<String, Tensor> ours = model.bert.namedParameters();
                try (NoGradGuard noGrad = new NoGradGuard()) {
                    encoder.namedParameters().forEach((name, tensor) -> ours.get(name).copy_(tensor));
                }
            } else {
                Weights.load(model.bert, weights, PREFIX, others);
            }
            model.initialiseNew(seed, newPooler);
            return model;
        }

        /** Draws the classifier (and the pooler when {@code pooler}) from N(0, initializer_range) with its own generator, biases 0. */
        private void initialiseNew(long seed, boolean pooler) {
            List<String> names = new ArrayList<>();
            try (NoGradGuard noGrad = new NoGradGuard();
                 GeneratorOptional generator = new GeneratorOptional(torch.createCPUGenerator(seed))) {
                if (pooler) {
                    initialiseLinear(bert.pooler.dense, config.initializerRange(), generator);
                    names.addAll(POOLER_PARAMETERS);
                }
                initialiseLinear(classifier, config.initializerRange(), generator);
                names.addAll(HEAD_PARAMETERS);
            }
            newlyInitialised = List.copyOf(names);
        }

        /** The parameters {@link #fromPretrained} had to initialise; empty for a model loaded whole. */
        public List<String> newlyInitialised() {
            return newlyInitialised;
        }

        /** Loads a sequence-classification directory: config.json with the head's keys, every weight present. */
        public static SequenceClassification load(Path modelDir) {
            BertConfig config = BertConfig.read(modelDir);
            String where = modelDir.resolve("config.json").toString();
            Head head = Head.read(HfConfig.read(modelDir), where);
            SequenceClassification model = new SequenceClassification(config, head);
            Weights.load(model, modelDir.resolve("model.safetensors"), "", Set.of());
            return model;
        }

        /** config.json: the encoder's keys, architectures [{@value #ARCHITECTURE}], and the head's. */
        public void writeConfig(Path modelDir) {
            ObjectNode json = config.toJson(ARCHITECTURE);
            head.writeTo(json);
            HfConfig.write(modelDir.resolve("config.json"), json);
        }

        /** Writes {@code config.json} and {@code model.safetensors}, and a copy of {@code tokenizerJson} unless null. */
        public void save(Path modelDir, Path tokenizerJson) {
            writeConfig(modelDir);
            Weights.save(this, modelDir.resolve("model.safetensors"), Map.of("format", "pt"));
            copyTokenizer(tokenizerJson, modelDir);
        }

        public boolean hasPooler() {
            return bert.hasPooler();
        }

        /**
         * ids, typeIds (may be null), attentionMask (may be null): int64 (B, T) → logits (B, numLabels), fp32
         * whatever precision computed them.
         */
        public Tensor forward(Tensor inputIds, Tensor tokenTypeIds, Tensor attentionMask) {
            Output out = bert.forward(inputIds, tokenTypeIds, attentionMask);
            Tensor sentence = head.pooling() == Pooling.CLS ? out.pooledOutput() // (B, H)
                    : meanPool(out.lastHiddenState(), attentionMask != null ? attentionMask : torch.ones_like(inputIds));
            Tensor logits = classifier.forward(torch.dropout(sentence, dropout, isTraining())); // (B, L)
            return logits.to(torch.ScalarType.Float);
        }

        /** Mean of the real tokens' vectors: hidden (B, T, H), mask (B, T) → (B, H). */
        static Tensor meanPool(Tensor hidden, Tensor mask) {
            Tensor weights = mask.to(hidden.scalar_type()).unsqueeze(2); // (B, T, 1)
            Tensor count = weights.sum(1).clamp_min(new Scalar(1e-9f)); // (B, 1)
            return hidden.mul(weights).sum(1).div(count);
        }

        /**
         * The training loss, as HF computes it for the problem type: single-label, the mean cross-entropy with
         * {@code labels} int64 (B) holding label ids; multi-label, the mean binary cross-entropy with logits over
         * all B × L entries, {@code labels} (B, L) holding 0 or 1 (any dtype).
         */
        public Tensor loss(Tensor logits, Tensor labels) {
            if (head.multiLabel()) {
                return torch.binary_cross_entropy_with_logits(logits, labels.to(torch.ScalarType.Float));
            }
            return torch.cross_entropy(logits, labels);
        }

        /** Logits (B, L) → probabilities: softmax over the labels, or a sigmoid per label when multi-label. */
        public Tensor probabilities(Tensor logits) {
            return head.multiLabel() ? torch.sigmoid(logits) : torch.softmax(logits, 1);
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
            Scalar low = new Scalar(0L);
            Scalar high = new Scalar(ignored);
            try (TensorOptional noWeights = new TensorOptional()) {
                long mean = 1; // at::Reduction::Mean
                Tensor start = torch.cross_entropy_loss(logits.start(), startPositions.clamp_min(low).clamp_max(high), noWeights, mean,
                        ignored, 0.0);
                Tensor end = torch.cross_entropy_loss(logits.end(), endPositions.clamp_min(low).clamp_max(high), noWeights, mean,
                        ignored, 0.0);
                return start.add(end).div(new Scalar(2.0));
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
            Path weights = weightsFile(modelDir);
            boolean hasHead;
            try (SafeTensorsFile file = SafeTensors.open(weights)) {
                hasHead = file.names().contains(HEAD_PARAMETERS.get(0));
            }
            boolean saysQa = false;
            for (var architecture : HfConfig.read(modelDir).path("architectures")) {
                saysQa |= architecture.asText().equals(ARCHITECTURE);
            }
            if (saysQa && !hasHead) {
                throw new GlossaException(weights + ": config.json says " + ARCHITECTURE
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
            try (NoGradGuard noGrad = new NoGradGuard();
                 GeneratorOptional generator = new GeneratorOptional(torch.createCPUGenerator(seed))) {
                initialiseLinear(qaOutputs, config.initializerRange(), generator);
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
            copyTokenizer(tokenizerJson, modelDir);
        }
    }
}
