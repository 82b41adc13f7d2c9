package org.glossa.models.transformer;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.glossa.core.HfConfig;
import org.glossa.models.seq2seq.SpecialTokens;
import org.glossa.nn.transformer.Activation;
import org.glossa.nn.transformer.LayerOptions;

/**
 * Hyper-parameters of the encoder–decoder {@link Transformer}, written to {@code config.json} with the keys of HF's
 * {@code MarianConfig} (BART's family) where one exists, so that the file reads as a Marian config:
 * {@code vocab_size} (the source vocabulary, or the shared one), {@code decoder_vocab_size}, {@code d_model},
 * {@code encoder_layers}, {@code decoder_layers}, {@code encoder_attention_heads}, {@code decoder_attention_heads},
 * {@code encoder_ffn_dim}, {@code decoder_ffn_dim}, {@code activation_function}, {@code dropout},
 * {@code attention_dropout}, {@code activation_dropout}, {@code max_position_embeddings}, {@code scale_embedding},
 * {@code share_encoder_decoder_embeddings}, {@code tie_word_embeddings}, {@code pad_token_id}, {@code eos_token_id},
 * {@code decoder_start_token_id}. Two keys are Glossa's own: {@code position_embedding_type} ("sinusoidal", the
 * paper's and Marian's, or "learned", BART's kind) and {@code pre_layer_norm} (false: the paper's post-LN).
 * {@code model_type} is {@value #MODEL_TYPE}: the weights are not a Marian checkpoint's (see {@link Transformer}).
 *
 * <p>Defaults for absent keys: {@code decoder_vocab_size} = {@code vocab_size}; heads, FFN width and layer count
 * of the decoder = the encoder's; {@code activation_function} relu; {@code dropout} 0.1, the other dropouts 0;
 * {@code scale_embedding}, {@code share_encoder_decoder_embeddings} and {@code tie_word_embeddings} true;
 * sinusoidal positions; post-LN; {@code decoder_start_token_id} = {@code pad_token_id} (Marian's convention).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TransformerConfig(
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("decoder_vocab_size") Integer decoderVocabSize,
        @JsonProperty("d_model") int dModel,
        @JsonProperty("encoder_layers") int encoderLayers,
        @JsonProperty("decoder_layers") Integer decoderLayers,
        @JsonProperty("encoder_attention_heads") int encoderAttentionHeads,
        @JsonProperty("decoder_attention_heads") Integer decoderAttentionHeads,
        @JsonProperty("encoder_ffn_dim") int encoderFfnDim,
        @JsonProperty("decoder_ffn_dim") Integer decoderFfnDim,
        @JsonProperty("activation_function") String activationFunction,
        @JsonProperty("dropout") Double dropout,
        @JsonProperty("attention_dropout") double attentionDropout,
        @JsonProperty("activation_dropout") double activationDropout,
        @JsonProperty("max_position_embeddings") int maxPositionEmbeddings,
        @JsonProperty("scale_embedding") Boolean scaleEmbedding,
        @JsonProperty("share_encoder_decoder_embeddings") Boolean shareEncoderDecoderEmbeddings,
        @JsonProperty("tie_word_embeddings") Boolean tieWordEmbeddings,
        @JsonProperty("position_embedding_type") String positionEmbeddingType,
        @JsonProperty("pre_layer_norm") boolean preLayerNorm,
        @JsonProperty("pad_token_id") int padTokenId,
        @JsonProperty("eos_token_id") int eosTokenId,
        @JsonProperty("decoder_start_token_id") Integer decoderStartTokenId) {

    public static final String MODEL_TYPE = "glossa-transformer";
    public static final List<String> POSITION_TYPES = List.of("sinusoidal", "learned");
    /** Every LayerNorm's epsilon (PyTorch's and BART's default). */
    public static final double LAYER_NORM_EPS = 1e-5;

    public TransformerConfig {
        HfConfig.checkPositive("vocab_size", vocabSize);
        decoderVocabSize = decoderVocabSize == null ? vocabSize : decoderVocabSize;
        HfConfig.checkPositive("decoder_vocab_size", decoderVocabSize);
        HfConfig.checkPositive("d_model", dModel);
        HfConfig.checkPositive("encoder_layers", encoderLayers);
        decoderLayers = decoderLayers == null ? encoderLayers : decoderLayers;
        HfConfig.checkPositive("decoder_layers", decoderLayers);
        HfConfig.checkPositive("encoder_attention_heads", encoderAttentionHeads);
        decoderAttentionHeads = decoderAttentionHeads == null ? encoderAttentionHeads : decoderAttentionHeads;
        HfConfig.checkPositive("decoder_attention_heads", decoderAttentionHeads);
        for (int heads : new int[] {encoderAttentionHeads, decoderAttentionHeads}) {
            if (dModel % heads != 0) {
                throw new IllegalArgumentException("d_model " + dModel + " is not a multiple of " + heads + " attention heads");
            }
        }
        if (dModel % 2 != 0) {
            throw new IllegalArgumentException("d_model must be even (sine and cosine halves), got " + dModel);
        }
        HfConfig.checkPositive("encoder_ffn_dim", encoderFfnDim);
        decoderFfnDim = decoderFfnDim == null ? encoderFfnDim : decoderFfnDim;
        HfConfig.checkPositive("decoder_ffn_dim", decoderFfnDim);
        activationFunction = activationFunction == null ? "relu" : activationFunction.toLowerCase(Locale.ROOT);
        Activation.fromConfigName(activationFunction); // rejects unknown names
        dropout = dropout == null ? 0.1 : dropout;
        HfConfig.checkProbability("dropout", dropout);
        HfConfig.checkProbability("attention_dropout", attentionDropout);
        HfConfig.checkProbability("activation_dropout", activationDropout);
        HfConfig.checkPositive("max_position_embeddings", maxPositionEmbeddings);
        scaleEmbedding = scaleEmbedding == null || scaleEmbedding;
        shareEncoderDecoderEmbeddings = shareEncoderDecoderEmbeddings == null || shareEncoderDecoderEmbeddings;
        tieWordEmbeddings = tieWordEmbeddings == null || tieWordEmbeddings;
        if (shareEncoderDecoderEmbeddings && !decoderVocabSize.equals(vocabSize)) {
            throw new IllegalArgumentException("share_encoder_decoder_embeddings needs one vocabulary, but vocab_size is "
                    + vocabSize + " and decoder_vocab_size " + decoderVocabSize);
        }
        positionEmbeddingType = positionEmbeddingType == null ? "sinusoidal"
                : positionEmbeddingType.toLowerCase(Locale.ROOT);
        if (!POSITION_TYPES.contains(positionEmbeddingType)) {
            throw new IllegalArgumentException("position_embedding_type '" + positionEmbeddingType + "' is not one of "
                    + POSITION_TYPES);
        }
        decoderStartTokenId = decoderStartTokenId == null ? padTokenId : decoderStartTokenId;
        int smallest = Math.min(vocabSize, decoderVocabSize);
        checkId("pad_token_id", padTokenId, smallest);
        checkId("eos_token_id", eosTokenId, decoderVocabSize);
        checkId("decoder_start_token_id", decoderStartTokenId, decoderVocabSize);
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
     * "Attention Is All You Need"'s base model: 6 + 6 layers of width 512, 8 heads, feed-forward 2048 (ReLU),
     * dropout 0.1, sinusoidal positions, post-LN, one vocabulary shared by source, target and output layer.
     */
    public static TransformerConfig base(int sharedVocabSize, SpecialTokens special) {
        return new TransformerConfig(sharedVocabSize, sharedVocabSize, 512, 6, 6, 8, 8, 2048, 2048, "relu", 0.1, 0.0, 0.0,
                512, true, true, true, "sinusoidal", false, (int) special.pad(), (int) special.eos(),
                (int) special.decoderStart());
    }

    /**
     * A model for Multi30k-sized data (29,000 pairs): 3 + 3 layers of width 256, 8 heads, feed-forward 1024 (4×,
     * ReLU), dropout 0.1, sinusoidal positions, post-LN, 128 positions; separate source and target vocabularies
     * unless they are one ({@code sourceVocabSize == targetVocabSize} and {@code shared}), the output layer tied to
     * the target embedding either way.
     */
    public static TransformerConfig small(int sourceVocabSize, int targetVocabSize, boolean shared, SpecialTokens special) {
        return new TransformerConfig(sourceVocabSize, targetVocabSize, 256, 3, 3, 8, 8, 1024, 1024, "relu", 0.1, 0.0, 0.0,
                128, true, shared, true, "sinusoidal", false, (int) special.pad(), (int) special.eos(),
                (int) special.decoderStart());
    }

    /** A model small enough for tests: 2 + 2 layers of width 32, 4 heads, feed-forward 64, no dropout. */
    public static TransformerConfig tiny(int vocabSize, SpecialTokens special) {
        return new TransformerConfig(vocabSize, vocabSize, 32, 2, 2, 4, 4, 64, 64, "relu", 0.0, 0.0, 0.0, 64, true, true,
                true, "sinusoidal", false, (int) special.pad(), (int) special.eos(), (int) special.decoderStart());
    }

    /** This config with the given position type, pre-LN setting and embedding sharing (for variants in tests and CLIs). */
    public TransformerConfig with(String positions, boolean preLn, boolean shareSourceTarget, boolean tieOutput) {
        return new TransformerConfig(vocabSize, decoderVocabSize, dModel, encoderLayers, decoderLayers, encoderAttentionHeads,
                decoderAttentionHeads, encoderFfnDim, decoderFfnDim, activationFunction, dropout, attentionDropout,
                activationDropout, maxPositionEmbeddings, scaleEmbedding, shareSourceTarget, tieOutput, positions, preLn,
                padTokenId, eosTokenId, decoderStartTokenId);
    }

    /** This config with other dropout probabilities. */
    public TransformerConfig withDropout(double residual, double attention, double activation) {
        return new TransformerConfig(vocabSize, decoderVocabSize, dModel, encoderLayers, decoderLayers, encoderAttentionHeads,
                decoderAttentionHeads, encoderFfnDim, decoderFfnDim, activationFunction, residual, attention, activation,
                maxPositionEmbeddings, scaleEmbedding, shareEncoderDecoderEmbeddings, tieWordEmbeddings,
                positionEmbeddingType, preLayerNorm, padTokenId, eosTokenId, decoderStartTokenId);
    }

    @JsonIgnore
    public SpecialTokens specialTokens() {
        return new SpecialTokens(padTokenId, decoderStartTokenId, eosTokenId);
    }

    @JsonIgnore
    public LayerOptions encoderLayerOptions() {
        return new LayerOptions(dModel, encoderAttentionHeads, encoderFfnDim, Activation.fromConfigName(activationFunction),
                dropout, attentionDropout, activationDropout, preLayerNorm, LAYER_NORM_EPS);
    }

    @JsonIgnore
    public LayerOptions decoderLayerOptions() {
        return new LayerOptions(dModel, decoderAttentionHeads, decoderFfnDim, Activation.fromConfigName(activationFunction),
                dropout, attentionDropout, activationDropout, preLayerNorm, LAYER_NORM_EPS);
    }

    @JsonIgnore
    public boolean learnedPositions() {
        return positionEmbeddingType.equals("learned");
    }

    private static final List<String> REQUIRED = List.of("vocab_size", "d_model", "encoder_layers",
            "encoder_attention_heads", "encoder_ffn_dim", "max_position_embeddings", "pad_token_id", "eos_token_id");

    /** Reads and validates {@code config.json} of a model directory; another model type is a one-line error. */
    public static TransformerConfig read(Path modelDir) {
        ObjectNode json = HfConfig.readTyped(modelDir, MODEL_TYPE, "a Glossa Transformer");
        return HfConfig.toRecord(json, TransformerConfig.class, REQUIRED, modelDir.resolve(HfConfig.FILE_NAME).toString());
    }

    /** Writes this config as {@code config.json} with {@code model_type} and {@code architectures}. */
    public void write(Path modelDir) {
        HfConfig.writeTyped(modelDir, MODEL_TYPE, "TransformerForTranslation", this);
    }
}
