package org.glossa.models.bert;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.glossa.core.GlossaException;
import org.glossa.nn.Autocast;
import org.glossa.nn.Engine;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.glossa.text.Batch;
import org.glossa.text.Encoding;
import org.glossa.text.HfTokenizer;
import org.glossa.text.Tokenizer;

/**
 * Sentence embeddings from a BERT encoder: mean pooling over the attention mask, then L2 normalisation,
 * as sentence-transformers models such as all-MiniLM-L6-v2 are meant to be used.
 *
 * <p>Texts are sorted by length and batched so that each batch is padded only to its own longest text
 * (dynamic padding); results come back in input order. Thread-safe: the model is only read.
 */
public final class SentenceEmbedder implements AutoCloseable {
    /** sentence-transformers' {@code max_seq_length} for all-MiniLM-L6-v2: longer texts are truncated. */
    public static final int DEFAULT_MAX_LENGTH = 256;
    public static final int DEFAULT_BATCH_SIZE = 32;

    /** Precision of the matrix products; pooling and normalisation are always fp32. */
    public enum Precision { FP32, BF16 }

    private final Bert.Model model;
    private final Tokenizer tokenizer;
    private final int maxLength;
    private final int batchSize;
    private final Precision precision;
    private String fingerprint; // identifies model files and settings when loaded from a directory

    public SentenceEmbedder(Bert.Model model, Tokenizer tokenizer, int maxLength, int batchSize, Precision precision) {
        if (maxLength < 2 || maxLength > model.config.maxPositionEmbeddings()) {
            throw new GlossaException("max length " + maxLength + " must be between 2 and the model's "
                    + model.config.maxPositionEmbeddings() + " positions");
        }
        if (batchSize < 1) {
            throw new GlossaException("batch size must be positive, got " + batchSize);
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.batchSize = batchSize;
        this.precision = precision;
        model.train(false);
    }

    /** Loads {@code config.json}, {@code model.safetensors} and {@code tokenizer.json} from an HF model directory. */
    public static SentenceEmbedder load(Path modelDir) {
        return load(modelDir, Precision.FP32);
    }

    public static SentenceEmbedder load(Path modelDir, Precision precision) {
        if (!Files.isDirectory(modelDir)) {
            throw new GlossaException(modelDir + ": no such model directory");
        }
        Engine.init();
        Bert.Model model = Bert.Model.load(modelDir);
        Tokenizer tokenizer = HfTokenizer.load(modelDir.resolve("tokenizer.json"));
        int maxLength = Math.min(DEFAULT_MAX_LENGTH, model.config.maxPositionEmbeddings());
        SentenceEmbedder embedder = new SentenceEmbedder(model, tokenizer, maxLength, DEFAULT_BATCH_SIZE, precision);
        embedder.fingerprint = fingerprint(modelDir, precision, maxLength);
        return embedder;
    }

    /**
     * A string that changes whenever the vectors this embedder computes could change (model files,
     * precision, truncation), for caches of embeddings; null when the model did not come from a directory.
     */
    public String fingerprint() {
        return fingerprint;
    }

    private static String fingerprint(Path modelDir, Precision precision, int maxLength) {
        StringBuilder key = new StringBuilder();
        try {
            key.append(modelDir.toRealPath());
            for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
                Path path = modelDir.resolve(file);
                key.append('|').append(file).append(':').append(Files.size(path)).append('@')
                        .append(Files.getLastModifiedTime(path).toMillis());
            }
        } catch (java.io.IOException e) {
            return null; // no fingerprint, no caching: never a wrong cache hit
        }
        return key.append("|precision=").append(precision).append("|max_length=").append(maxLength).toString();
    }

    /** Embedding size (384 for MiniLM). */
    public int dimension() {
        return model.config.hiddenSize();
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Unit-length embeddings, one row per text, in input order. */
    public float[][] embed(List<String> texts) {
        return embed(texts, done -> {});
    }

    /**
     * As {@link #embed(List)}; {@code progress} receives the number of texts finished after each batch.
     */
    public float[][] embed(List<String> texts, LongConsumer progress) {
        List<Encoding> encodings = new ArrayList<>(texts.size());
        for (String text : texts) {
            encodings.add(tokenizer.encode(text, maxLength));
        }
        // Longest first: similar lengths share a batch, and a memory problem shows at the first batch.
        List<Integer> order = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> encodings.get(i).length()).reversed());
        float[][] out = new float[texts.size()][];
        for (int start = 0; start < order.size(); start += batchSize) {
            List<Integer> rows = order.subList(start, Math.min(order.size(), start + batchSize));
            List<Encoding> batch = new ArrayList<>(rows.size());
            rows.forEach(i -> batch.add(encodings.get(i)));
            float[][] vectors = embedBatch(tokenizer.pad(batch));
            for (int r = 0; r < rows.size(); r++) {
                out[rows.get(r)] = vectors[r];
            }
            progress.accept(rows.size());
        }
        return out;
    }

    /** One padded batch → (B, H) unit vectors. */
    private float[][] embedBatch(Batch batch) {
        try (NativeScope scope = new NativeScope()) {
            Tensor pooled = Tensors.inference(() -> {
                Tensor ids = Tensors.fromLongs(batch.flatIds(), batch.shape()); // (B, T)
                Tensor types = Tensors.fromLongs(batch.flatTypeIds(), batch.shape());
                Tensor mask = Tensors.fromLongs(batch.flatAttentionMask(), batch.shape());
                Supplier<Tensor> encode = () -> model.forward(ids, types, mask).lastHiddenState();
                Tensor hidden = (precision == Precision.BF16 ? Autocast.bf16(encode) : encode.get())
                        .to(ScalarType.Float); // (B, T, H)
                return meanPoolNormalised(hidden, mask);
            });
            float[] flat = Tensors.toFloats(pooled);
            int dim = dimension();
            float[][] rows = new float[batch.batchSize()][];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = java.util.Arrays.copyOfRange(flat, r * dim, (r + 1) * dim);
            }
            return rows;
        }
    }

    /** Mean of the real tokens' vectors, scaled to unit length: hidden (B, T, H), mask (B, T) → (B, H). */
    static Tensor meanPoolNormalised(Tensor hidden, Tensor mask) {
        Tensor weights = mask.to(ScalarType.Float).unsqueeze(2); // (B, T, 1)
        Tensor sum = hidden.mul(weights).sum(1); // (B, H)
        Tensor count = weights.sum(1).clamp_min(new org.bytedeco.pytorch.Scalar(1e-9f)); // (B, 1)
        Tensor mean = sum.div(count);
        // As torch.nn.functional.normalize: x / max(‖x‖, 1e-12).
        Tensor norm = mean.norm(new org.bytedeco.pytorch.ScalarOptional(new org.bytedeco.pytorch.Scalar(2.0)),
                new long[] {1}, true).clamp_min(new org.bytedeco.pytorch.Scalar(1e-12f)); // (B, 1)
        return mean.div(norm);
    }

    @Override
    public void close() {}
}
