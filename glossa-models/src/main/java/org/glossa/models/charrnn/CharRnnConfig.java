package org.glossa.models.charrnn;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;

/**
 * Hyper-parameters of the recurrent language model {@link CharRnn}, written to {@code config.json}. The keys
 * follow PyTorch's constructor arguments ({@code nn.Embedding(vocab_size, embedding_size)},
 * {@code nn.GRU(embedding_size, hidden_size, num_layers, dropout=dropout)}), so the file says how to rebuild
 * the same model in Python; {@code model_type} is {@value #MODEL_TYPE}.
 *
 * @param vocabSize tokens in the vocabulary (characters, or words for the word-level variant)
 * @param embeddingSize width of the token embedding
 * @param hiddenSize units of each recurrent layer
 * @param numLayers stacked recurrent layers
 * @param cellType {@code gru} or {@code lstm}
 * @param dropout dropout on the outputs of each recurrent layer but the last, while training (as {@code nn.GRU}'s)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CharRnnConfig(
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("embedding_size") int embeddingSize,
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("num_layers") int numLayers,
        @JsonProperty("cell_type") String cellType,
        @JsonProperty("dropout") double dropout) {

    public static final String MODEL_TYPE = "glossa-char-rnn";
    public static final List<String> CELL_TYPES = List.of("gru", "lstm");

    public CharRnnConfig {
        HfConfig.checkPositive("vocab_size", vocabSize);
        HfConfig.checkPositive("embedding_size", embeddingSize);
        HfConfig.checkPositive("hidden_size", hiddenSize);
        HfConfig.checkPositive("num_layers", numLayers);
        cellType = cellType == null ? "gru" : cellType.toLowerCase(Locale.ROOT);
        if (!CELL_TYPES.contains(cellType)) {
            throw new IllegalArgumentException("cell_type '" + cellType + "' is not one of " + CELL_TYPES);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    /** The TensorFlow text-generation tutorial's model: embedding 256, one GRU of 1024 units, no dropout. */
    public static CharRnnConfig tutorial(int vocabSize) {
        return new CharRnnConfig(vocabSize, 256, 1024, 1, "gru", 0.0);
    }

    /** A model small enough for tests. */
    public static CharRnnConfig tiny(int vocabSize, String cellType) {
        return new CharRnnConfig(vocabSize, 16, 32, 2, cellType, 0.0);
    }

    @JsonIgnore
    public boolean isLstm() {
        return cellType.equals("lstm");
    }

    /** Rows per gate block in the weight matrices: 3 (r, z, n) for a GRU, 4 (i, f, g, o) for an LSTM. */
    @JsonIgnore
    public int gates() {
        return isLstm() ? 4 : 3;
    }

    private static final List<String> REQUIRED = List.of("vocab_size", "embedding_size", "hidden_size", "num_layers");

    /** Reads and validates {@code config.json} of a model directory. */
    public static CharRnnConfig read(Path modelDir) {
        ObjectNode json = HfConfig.read(modelDir);
        String where = modelDir.resolve(HfConfig.FILE_NAME).toString();
        JsonNode type = json.get("model_type");
        if (type == null || !type.asText().equals(MODEL_TYPE)) {
            throw new GlossaException(where + ": model_type is " + (type == null ? "missing" : "'" + type.asText() + "'")
                    + ", expected '" + MODEL_TYPE + "'");
        }
        return HfConfig.toRecord(json, CharRnnConfig.class, REQUIRED, where);
    }

    /** Writes this config as {@code config.json} with {@code model_type} and {@code architectures}. */
    public void write(Path modelDir) {
        ObjectNode json = HfConfig.mapper().createObjectNode();
        json.put("model_type", MODEL_TYPE);
        json.putArray("architectures").add("CharRnnModel");
        json.setAll((ObjectNode) HfConfig.mapper().valueToTree(this));
        HfConfig.write(modelDir.resolve(HfConfig.FILE_NAME), json);
    }

}
