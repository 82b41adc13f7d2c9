package org.glossa.models.seq2seq;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.glossa.core.HfConfig;

/**
 * Hyper-parameters of the recurrent encoder–decoder with attention ({@link RnnAttention}), written to
 * {@code config.json} under Glossa's own keys (no HF model has this architecture); {@code model_type} is
 * {@value #MODEL_TYPE}. Sizes follow the PyTorch constructor arguments of the modules they build.
 *
 * @param sourceVocabSize tokens of the source vocabulary
 * @param targetVocabSize tokens of the target vocabulary
 * @param embeddingSize width of the source and of the target embedding
 * @param encoderHiddenSize units of each direction of the bidirectional encoder GRU (its outputs are twice as wide)
 * @param encoderLayers stacked bidirectional encoder layers
 * @param decoderHiddenSize units of the decoder GRU
 * @param decoderLayers stacked decoder layers (default 1)
 * @param attention {@code additive} (Bahdanau et al., 2015: vᵀ tanh(W s + U h), the default) or
 *     {@code multiplicative} (Luong et al., 2015, "general": sᵀ W h)
 * @param attentionSize width of the additive attention's hidden layer (default: decoder_hidden_size); unused by
 *     multiplicative attention
 * @param dropout on the embeddings, between stacked layers and before the output layer, while training
 * @param padTokenId padding, in both vocabularies
 * @param eosTokenId end of sentence, in the target vocabulary
 * @param decoderStartTokenId the decoder's first input, in the target vocabulary
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RnnAttentionConfig(
        @JsonProperty("source_vocab_size") int sourceVocabSize,
        @JsonProperty("target_vocab_size") int targetVocabSize,
        @JsonProperty("embedding_size") int embeddingSize,
        @JsonProperty("encoder_hidden_size") int encoderHiddenSize,
        @JsonProperty("encoder_layers") Integer encoderLayers,
        @JsonProperty("decoder_hidden_size") int decoderHiddenSize,
        @JsonProperty("decoder_layers") Integer decoderLayers,
        @JsonProperty("attention") String attention,
        @JsonProperty("attention_size") Integer attentionSize,
        @JsonProperty("dropout") double dropout,
        @JsonProperty("pad_token_id") int padTokenId,
        @JsonProperty("eos_token_id") int eosTokenId,
        @JsonProperty("decoder_start_token_id") int decoderStartTokenId) {

    public static final String MODEL_TYPE = "glossa-rnn-attention";
    public static final List<String> ATTENTIONS = List.of("additive", "multiplicative");

    public RnnAttentionConfig {
        HfConfig.checkPositive("source_vocab_size", sourceVocabSize);
        HfConfig.checkPositive("target_vocab_size", targetVocabSize);
        HfConfig.checkPositive("embedding_size", embeddingSize);
        HfConfig.checkPositive("encoder_hidden_size", encoderHiddenSize);
        encoderLayers = encoderLayers == null ? 1 : encoderLayers;
        HfConfig.checkPositive("encoder_layers", encoderLayers);
        HfConfig.checkPositive("decoder_hidden_size", decoderHiddenSize);
        decoderLayers = decoderLayers == null ? 1 : decoderLayers;
        HfConfig.checkPositive("decoder_layers", decoderLayers);
        attention = attention == null ? "additive" : attention.toLowerCase(Locale.ROOT);
        if (!ATTENTIONS.contains(attention)) {
            throw new IllegalArgumentException("attention '" + attention + "' is not one of " + ATTENTIONS);
        }
        attentionSize = attentionSize == null ? decoderHiddenSize : attentionSize;
        HfConfig.checkPositive("attention_size", attentionSize);
        HfConfig.checkProbability("dropout", dropout);
        checkId("pad_token_id", padTokenId, Math.min(sourceVocabSize, targetVocabSize));
        checkId("eos_token_id", eosTokenId, targetVocabSize);
        checkId("decoder_start_token_id", decoderStartTokenId, targetVocabSize);
        if (eosTokenId == padTokenId || eosTokenId == decoderStartTokenId) {
            throw new IllegalArgumentException("eos_token_id " + eosTokenId + " must differ from pad_token_id and "
                    + "decoder_start_token_id");
        }
    }

    private static void checkId(String key, int id, int vocabulary) {
        if (id < 0 || id >= vocabulary) {
            throw new IllegalArgumentException(key + " " + id + " is outside the vocabulary of " + vocabulary);
        }
    }

    /**
     * A model for Multi30k-sized data, in the proportions of the PyTorch tutorials of Bahdanau attention:
     * embeddings 256, encoder 256 units per direction, decoder 512, additive attention of 512, dropout 0.3.
     */
    public static RnnAttentionConfig small(int sourceVocabSize, int targetVocabSize, SpecialTokens special) {
        return new RnnAttentionConfig(sourceVocabSize, targetVocabSize, 256, 256, 1, 512, 1, "additive", 512, 0.3,
                (int) special.pad(), (int) special.eos(), (int) special.decoderStart());
    }

    /** A model small enough for tests: embeddings 16, encoder 2 × 16 per direction, decoder 32, no dropout. */
    public static RnnAttentionConfig tiny(int vocabSize, String attention, SpecialTokens special) {
        return new RnnAttentionConfig(vocabSize, vocabSize, 16, 16, 2, 32, 1, attention, 24, 0.0, (int) special.pad(),
                (int) special.eos(), (int) special.decoderStart());
    }

    @JsonIgnore
    public SpecialTokens specialTokens() {
        return new SpecialTokens(padTokenId, decoderStartTokenId, eosTokenId);
    }

    @JsonIgnore
    public boolean additive() {
        return attention.equals("additive");
    }

    private static final List<String> REQUIRED = List.of("source_vocab_size", "target_vocab_size", "embedding_size",
            "encoder_hidden_size", "decoder_hidden_size", "pad_token_id", "eos_token_id", "decoder_start_token_id");

    /** Reads and validates {@code config.json} of a model directory; another model type is a one-line error. */
    public static RnnAttentionConfig read(Path modelDir) {
        ObjectNode json = HfConfig.readTyped(modelDir, MODEL_TYPE, "a Glossa RNN with attention");
        return HfConfig.toRecord(json, RnnAttentionConfig.class, REQUIRED, modelDir.resolve(HfConfig.FILE_NAME).toString());
    }

    /** Writes this config as {@code config.json} with {@code model_type} and {@code architectures}. */
    public void write(Path modelDir) {
        HfConfig.writeTyped(modelDir, MODEL_TYPE, "RnnAttentionForTranslation", this);
    }
}
