package org.glossa.models.bert;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;

/**
 * BERT hyper-parameters, with the JSON keys of HuggingFace's {@code BertConfig} so that a
 * {@code config.json} written by {@code transformers} loads here and ours loads there.
 * {@code pre_layer_norm} is Glossa's own key (absent from HF configs, where it is false).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BertConfig(
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("num_hidden_layers") int numHiddenLayers,
        @JsonProperty("num_attention_heads") int numAttentionHeads,
        @JsonProperty("intermediate_size") int intermediateSize,
        @JsonProperty("hidden_act") String hiddenAct,
        @JsonProperty("hidden_dropout_prob") double hiddenDropoutProb,
        @JsonProperty("attention_probs_dropout_prob") double attentionProbsDropoutProb,
        @JsonProperty("max_position_embeddings") int maxPositionEmbeddings,
        @JsonProperty("type_vocab_size") int typeVocabSize,
        @JsonProperty("initializer_range") double initializerRange,
        @JsonProperty("layer_norm_eps") double layerNormEps,
        @JsonProperty("pad_token_id") int padTokenId,
        @JsonProperty("position_embedding_type") String positionEmbeddingType,
        @JsonProperty("pre_layer_norm") boolean preLayerNorm) {

    private static final Set<String> ACTIVATIONS = Set.of("gelu", "gelu_new", "gelu_pytorch_tanh", "relu");

    public BertConfig {
        HfConfig.checkPositive("vocab_size", vocabSize);
        HfConfig.checkPositive("hidden_size", hiddenSize);
        HfConfig.checkPositive("num_hidden_layers", numHiddenLayers);
        HfConfig.checkPositive("num_attention_heads", numAttentionHeads);
        HfConfig.checkPositive("intermediate_size", intermediateSize);
        HfConfig.checkPositive("max_position_embeddings", maxPositionEmbeddings);
        HfConfig.checkPositive("type_vocab_size", typeVocabSize);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads "
                    + numAttentionHeads);
        }
        hiddenAct = hiddenAct == null ? "gelu" : hiddenAct;
        if (!ACTIVATIONS.contains(hiddenAct)) {
            throw new IllegalArgumentException("hidden_act '" + hiddenAct + "' is not one of " + ACTIVATIONS);
        }
        positionEmbeddingType = positionEmbeddingType == null ? "absolute" : positionEmbeddingType;
        if (!positionEmbeddingType.equals("absolute")) {
            throw new IllegalArgumentException("position_embedding_type '" + positionEmbeddingType
                    + "' is not supported (only 'absolute')");
        }
        HfConfig.checkProbability("hidden_dropout_prob", hiddenDropoutProb);
        HfConfig.checkProbability("attention_probs_dropout_prob", attentionProbsDropoutProb);
        if (!(layerNormEps > 0)) {
            layerNormEps = 1e-12; // HF's default when the key is absent
        }
        if (!(initializerRange > 0)) {
            initializerRange = 0.02;
        }
        if (padTokenId < 0 || padTokenId >= vocabSize) {
            throw new IllegalArgumentException("pad_token_id " + padTokenId + " is outside the vocabulary of " + vocabSize);
        }
    }

    /** Keys a config.json must have; the others take HF's defaults. */
    private static final List<String> REQUIRED = List.of("vocab_size", "hidden_size", "num_hidden_layers",
            "num_attention_heads", "intermediate_size", "max_position_embeddings");

    /** Reads and validates {@code config.json} of an HF model directory. */
    public static BertConfig read(Path modelDir) {
        ObjectNode json = HfConfig.read(modelDir);
        String where = modelDir.resolve("config.json").toString();
        JsonNode type = json.get("model_type");
        if (type != null && !List.of("bert", "glossa-bert").contains(type.asText())) {
            throw new GlossaException(where + ": model_type '" + type.asText() + "' is not a BERT model");
        }
        ObjectNode withDefaults = json.deepCopy();
        withDefaults.putIfAbsent("type_vocab_size", withDefaults.numberNode(2));
        return HfConfig.toRecord(withDefaults, BertConfig.class, REQUIRED, where);
    }

    /** Writes this config as HF's {@code config.json}, with {@code model_type} and {@code architectures}. */
    public void write(Path modelDir, String architecture) {
        HfConfig.write(modelDir.resolve("config.json"), toJson(architecture));
    }

    /** What {@link #write} writes, for task models that add their own keys before writing. */
    public ObjectNode toJson(String architecture) {
        ObjectNode json = HfConfig.mapper().valueToTree(this);
        json.put("model_type", "bert");
        json.putArray("architectures").add(architecture);
        if (!preLayerNorm) {
            json.remove("pre_layer_norm"); // keep configs of standard BERTs identical to HF's
        }
        return json;
    }

    /** Size of one attention head. */
    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    /** bert-base-uncased. */
    public static BertConfig base() {
        return new BertConfig(30522, 768, 12, 12, 3072, "gelu", 0.1, 0.1, 512, 2, 0.02, 1e-12, 0, "absolute", false);
    }

    /** all-MiniLM-L6-v2: 6 layers of width 384 with 12 heads of 32. */
    public static BertConfig miniLmL6() {
        return new BertConfig(30522, 384, 6, 12, 1536, "gelu", 0.1, 0.1, 512, 2, 0.02, 1e-12, 0, "absolute", false);
    }

    /** A model small enough for unit tests. */
    public static BertConfig tiny() {
        return new BertConfig(100, 32, 2, 4, 64, "gelu", 0.0, 0.0, 64, 2, 0.02, 1e-12, 0, "absolute", false);
    }

    public BertConfig withPreLayerNorm(boolean pre) {
        return new BertConfig(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize, hiddenAct,
                hiddenDropoutProb, attentionProbsDropoutProb, maxPositionEmbeddings, typeVocabSize, initializerRange,
                layerNormEps, padTokenId, positionEmbeddingType, pre);
    }


}
