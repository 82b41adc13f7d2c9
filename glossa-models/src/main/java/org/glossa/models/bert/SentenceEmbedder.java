package org.glossa.models.bert;

import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Sentence embeddings from a BERT encoder: mean pooling over the attention mask, then L2 normalisation,
 * as sentence-transformers models such as all-MiniLM-L6-v2 are meant to be used.
 *
 * <p>WORK IN PROGRESS: the API is fixed, the implementation lands with the BERT encoder.
 */
public final class SentenceEmbedder implements AutoCloseable {
    private SentenceEmbedder() {}

    /** Loads {@code config.json}, {@code model.safetensors} and {@code tokenizer.json} from an HF model directory. */
    public static SentenceEmbedder load(Path modelDir) {
        throw new UnsupportedOperationException("BERT encoder not implemented yet");
    }

    /** Embedding size (384 for MiniLM). */
    public int dimension() {
        throw new UnsupportedOperationException("BERT encoder not implemented yet");
    }

    /** Unit-length embeddings, one row per text, in input order. */
    public float[][] embed(List<String> texts) {
        return embed(texts, done -> {});
    }

    /**
     * As {@link #embed(List)}, batched with dynamic padding (texts sorted by length); {@code progress}
     * receives the number of texts finished after each batch.
     */
    public float[][] embed(List<String> texts, LongConsumer progress) {
        throw new UnsupportedOperationException("BERT encoder not implemented yet");
    }

    @Override
    public void close() {}
}
