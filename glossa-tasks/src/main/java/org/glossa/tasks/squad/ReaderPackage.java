package org.glossa.tasks.squad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.core.onnx.MiniLm;
import org.glossa.core.safetensors.DType;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.SafeTensorsFile;
import org.glossa.core.safetensors.TensorData;
import org.glossa.models.bert.Bert;
import org.glossa.models.bert.BertConfig;
import org.glossa.nn.Engine;
import org.glossa.nn.Tensors;

/**
 * The compact shipped reader: a fine-tuned {@link Bert.QuestionAnswering} without its word embeddings, which
 * are the largest tensor (30,522 × 384) and are taken back from all-MiniLM-L6-v2 as {@link MiniLm} imports it
 * from its jar; every other weight is stored in 16 bits (F16 or BF16, whichever loses less on these weights).
 *
 * <p>A reader directory holds {@code config.json}, {@code model.safetensors} (16-bit, no word embeddings),
 * {@value #MANIFEST} (the null threshold to predict with, the storage dtype, the base whose word embeddings
 * complete the model, identified by the sha256 of their F32 bytes, and the sha256 of each other file) and a model
 * card {@code README.md}.
 * The tokenizer is the base's {@code tokenizer.json}; packing refuses a model whose tokenizer differs from it.
 *
 * <p>Caveat: fine-tuning updates the word embeddings too, so the loaded reader has the base's embeddings, not
 * the fine-tuned ones; {@link #pack} measures that difference and records it in the manifest
 * ({@code word_embeddings.fine_tuned_drift}), and the reader's scores must be measured on the loaded reader.
 */
public final class ReaderPackage {
    private ReaderPackage() {}

    /** The manifest file of a reader directory. */
    public static final String MANIFEST = "reader.json";
    public static final String FORMAT = "glossa-qa-reader";
    /** The same tensor's name in the imported MiniLM encoder directory (no {@code bert.} prefix). */
    static final String BASE_WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";
    private static final String WEIGHTS = "model.safetensors";
    static final String MODEL_CARD = "README.md";
    /** The files beside the manifest, whose sha256 it records under {@code files}. */
    static final List<String> PACKED_FILES = List.of(HfConfig.FILE_NAME, WEIGHTS, MODEL_CARD);
    private static final String TOKENIZER = "tokenizer.json";

    /**
     * What the package records beside the weights.
     *
     * @param nullThreshold predict "" when the null score beats the best span by more than this (utils_qa)
     * @param trainingData the model card's description of the training data
     * @param steps optimizer steps of the fine-tune, or -1 when not stated
     * @param scores the model card's scores (e.g. "SQuAD 2.0 dev: EM 62.1, F1 65.3"), free text
     * @param limitations the model card's known limitations, free text; "" for none stated
     */
    public record Options(double nullThreshold, String trainingData, long steps, String scores, String limitations) {
        public Options {
            if (!Double.isFinite(nullThreshold)) {
                throw new GlossaException("null threshold must be a finite number, got " + nullThreshold);
            }
            Objects.requireNonNull(trainingData, "trainingData");
            Objects.requireNonNull(scores, "scores");
            Objects.requireNonNull(limitations, "limitations");
        }

        public static Options defaults() {
            return new Options(0.0, "not stated", -1, "not measured", "");
        }

        public Options withNullThreshold(double threshold) {
            return new Options(threshold, trainingData, steps, scores, limitations);
        }
    }

    /** What {@link #pack} wrote: the storage dtype, both candidates' squared errors and the embeddings' drift. */
    public record Packed(DType dtype, double squaredErrorF16, double squaredErrorBf16, double embeddingDriftMaxAbs,
                         double embeddingDriftRms, long weightBytes) {}

    /** A loaded reader: the fp32 model (in evaluation mode), the tokenizer file and the null threshold. */
    public record Reader(Bert.QuestionAnswering model, Path tokenizerFile, double nullThreshold) {}

    /** Packs the fine-tuned QA directory {@code qaModelDir} into {@code outDir} (replaced atomically). */
    public static Packed pack(Path qaModelDir, Path outDir, Options options) {
        for (String name : new String[] {HfConfig.FILE_NAME, WEIGHTS}) {
            if (!Files.isRegularFile(qaModelDir.resolve(name))) {
                throw new GlossaException(qaModelDir + ": no " + name + " (a fine-tuned question-answering directory needs one)");
            }
        }
        Engine.init();
        Bert.QuestionAnswering model = Bert.QuestionAnswering.load(qaModelDir);
        if (!model.newlyInitialised().isEmpty()) {
            throw new GlossaException(qaModelDir + ": not a question-answering model (no qa_outputs weights)");
        }
        Path base = MiniLm.ensureImported();
        checkSameTokenizer(qaModelDir.resolve(TOKENIZER), base.resolve(TOKENIZER));

        Map<String, Tensor> parameters = model.namedParameters();
        Tensor wordEmbeddings = parameters.get(SquadTraining.WORD_EMBEDDINGS);
        float[] fineTuned = Tensors.toFloats(wordEmbeddings);
        String baseHash;
        float[] original;
        try (SafeTensorsFile baseFile = SafeTensors.open(base.resolve(WEIGHTS))) {
            TensorData data = baseFile.get(BASE_WORD_EMBEDDINGS);
            if (!Arrays.equals(data.shape(), Tensors.shape(wordEmbeddings))) {
                throw new GlossaException(qaModelDir + ": word embeddings have shape " + Arrays.toString(Tensors.shape(wordEmbeddings))
                        + " but " + MiniLm.MODEL_NAME + "'s have " + Arrays.toString(data.shape()) + ": not fine-tuned from it");
            }
            baseHash = sha256(data.bytes());
            original = data.toFloats();
        }
        double maxDrift = 0;
        double squaredDrift = 0;
        for (int i = 0; i < original.length; i++) {
            double d = fineTuned[i] - original[i];
            maxDrift = Math.max(maxDrift, Math.abs(d));
            squaredDrift += d * d;
        }
        double rmsDrift = Math.sqrt(squaredDrift / original.length);

        // Both 16-bit candidates for every other weight; keep the one with the smaller total squared error.
        Map<String, TensorData> f16 = new LinkedHashMap<>();
        Map<String, TensorData> bf16 = new LinkedHashMap<>();
        double[] errors = new double[2];
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (var entry : parameters.entrySet()) {
                if (entry.getKey().equals(SquadTraining.WORD_EMBEDDINGS)) {
                    continue;
                }
                try (PointerScope scope = new PointerScope()) {
                    float[] exact = Tensors.toFloats(entry.getValue());
                    Tensor half = entry.getValue().to(torch.ScalarType.Half);
                    Tensor brain = entry.getValue().to(torch.ScalarType.BFloat16);
                    errors[0] += squaredError(exact, Tensors.toFloats(half.to(torch.ScalarType.Float)));
                    errors[1] += squaredError(exact, Tensors.toFloats(brain.to(torch.ScalarType.Float)));
                    f16.put(entry.getKey(), copy(Tensors.toTensorData(half)));
                    bf16.put(entry.getKey(), copy(Tensors.toTensorData(brain)));
                }
            }
        }
        DType dtype = errors[0] <= errors[1] ? DType.F16 : DType.BF16;
        Map<String, TensorData> chosen = dtype == DType.F16 ? f16 : bf16;
        long weightBytes = chosen.values().stream().mapToLong(t -> t.numel() * t.dtype().byteSize()).sum();

        ObjectNode manifest = HfConfig.mapper().createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("null_threshold", options.nullThreshold());
        manifest.put("dtype", dtype.name());
        ObjectNode embeddings = manifest.putObject("word_embeddings");
        embeddings.put("parameter", SquadTraining.WORD_EMBEDDINGS);
        embeddings.put("base", MiniLm.MODEL_NAME);
        embeddings.put("base_parameter", BASE_WORD_EMBEDDINGS);
        embeddings.put("sha256", baseHash);
        embeddings.put("fine_tuned_drift_max_abs", maxDrift);
        embeddings.put("fine_tuned_drift_rms", rmsDrift);
        ObjectNode quantisation = manifest.putObject("squared_error");
        quantisation.put("F16", errors[0]);
        quantisation.put("BF16", errors[1]);

        String card = modelCard(model.config, options, dtype, weightBytes, maxDrift, rmsDrift);
        AtomicFiles.writeDirectory(outDir, dir -> {
            model.writeConfig(dir);
            SafeTensors.write(dir.resolve(WEIGHTS), chosen, Map.of("format", "pt"));
            Files.writeString(dir.resolve(MODEL_CARD), card, StandardCharsets.UTF_8);
            // The manifest names the other files' hashes, so that its own hash identifies the whole reader.
            ObjectNode files = manifest.putObject("files");
            for (String name : PACKED_FILES) {
                files.put(name, sha256(ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name)))));
            }
            HfConfig.write(dir.resolve(MANIFEST), manifest);
        });
        return new Packed(dtype, errors[0], errors[1], maxDrift, rmsDrift, weightBytes);
    }

    /** Loads a reader: its 16-bit weights in fp32, the word embeddings from the imported MiniLM after checking their hash. */
    public static Reader load(Path readerDir) {
        for (String name : new String[] {HfConfig.FILE_NAME, WEIGHTS, MANIFEST}) {
            if (!Files.isRegularFile(readerDir.resolve(name))) {
                throw new GlossaException(readerDir + ": no " + name + " (not a packed reader; make one with 'glossa squad pack')");
            }
        }
        Path manifestFile = readerDir.resolve(MANIFEST);
        JsonNode manifest = HfConfig.read(manifestFile);
        if (!FORMAT.equals(manifest.path("format").asText())) {
            throw new GlossaException(manifestFile + ": format is '" + manifest.path("format").asText() + "', expected '" + FORMAT + "'");
        }
        double nullThreshold = HfConfig.requireDouble(manifest, "null_threshold");
        JsonNode embeddings = manifest.path("word_embeddings");
        String baseName = HfConfig.requireString(embeddings, "base");
        String wantHash = HfConfig.requireString(embeddings, "sha256");
        if (!baseName.equals(MiniLm.MODEL_NAME)) {
            throw new GlossaException(manifestFile + ": word_embeddings.base is '" + baseName + "', but only "
                    + MiniLm.MODEL_NAME + " can supply them");
        }
        Engine.init();
        Path base = MiniLm.ensureImported();
        BertConfig config = BertConfig.read(readerDir);
        Bert.QuestionAnswering model = new Bert.QuestionAnswering(config);
        Map<String, Tensor> parameters = model.namedParameters();
        try (SafeTensorsFile baseFile = SafeTensors.open(base.resolve(WEIGHTS));
             SafeTensorsFile weights = SafeTensors.open(readerDir.resolve(WEIGHTS));
             NoGradGuard noGrad = new NoGradGuard()) {
            TensorData baseEmbeddings = baseFile.get(BASE_WORD_EMBEDDINGS);
            String haveHash = sha256(baseEmbeddings.bytes());
            if (!haveHash.equals(wantHash)) {
                throw new GlossaException(manifestFile + ": word_embeddings.sha256 is " + wantHash + " but " + base
                        + " has " + haveHash + ": this reader was packed from a different base");
            }
            for (String stored : weights.names()) {
                if (!parameters.containsKey(stored) || stored.equals(SquadTraining.WORD_EMBEDDINGS)) {
                    throw new GlossaException(readerDir.resolve(WEIGHTS) + ": unexpected parameter '" + stored + "'");
                }
            }
            for (var entry : parameters.entrySet()) {
                boolean fromBase = entry.getKey().equals(SquadTraining.WORD_EMBEDDINGS);
                if (!fromBase && !weights.contains(entry.getKey())) {
                    throw new GlossaException(readerDir.resolve(WEIGHTS) + ": parameter '" + entry.getKey() + "' is missing");
                }
                TensorData data = fromBase ? baseEmbeddings : weights.get(entry.getKey());
                long[] want = Tensors.shape(entry.getValue());
                if (!Arrays.equals(data.shape(), want)) {
                    throw new GlossaException((fromBase ? base.resolve(WEIGHTS) : readerDir.resolve(WEIGHTS)) + ": parameter '"
                            + entry.getKey() + "' has shape " + Arrays.toString(data.shape()) + " but config.json implies "
                            + Arrays.toString(want));
                }
                try (PointerScope scope = new PointerScope()) {
                    entry.getValue().copy_(Tensors.fromTensorData(data)); // F16/BF16 → the parameter's fp32
                }
            }
        }
        model.train(false);
        return new Reader(model, base.resolve(TOKENIZER), nullThreshold);
    }

    private static void checkSameTokenizer(Path modelTokenizer, Path baseTokenizer) {
        if (!Files.isRegularFile(modelTokenizer)) {
            return; // the run directory may omit it; the reader uses the base's in any case
        }
        try {
            if (Files.mismatch(modelTokenizer, baseTokenizer) != -1) {
                throw new GlossaException(modelTokenizer + " differs from " + baseTokenizer + " (" + MiniLm.MODEL_NAME
                        + "'s): a reader can only use the base's tokenizer");
            }
        } catch (IOException e) {
            throw new GlossaException("cannot compare " + modelTokenizer + " with " + baseTokenizer + ": " + AtomicFiles.describe(e), e);
        }
    }

    private static double squaredError(float[] exact, float[] rounded) {
        double sum = 0;
        for (int i = 0; i < exact.length; i++) {
            double d = exact[i] - rounded[i];
            sum += d * d;
        }
        return sum;
    }

    /** A heap copy, as the tensor a {@link TensorData} came from is freed with its scope. */
    private static TensorData copy(TensorData data) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(data.numel() * data.dtype().byteSize()));
        bytes.put(data.bytes()).flip();
        return new TensorData(data.dtype(), data.shape(), bytes);
    }

    /** The SHA-256 of the bytes of {@code parts}, one after the other, in hex. */
    static String sha256(ByteBuffer... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (ByteBuffer part : parts) {
                digest.update(part.duplicate()); // the caller's position stays where it was
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String modelCard(BertConfig config, Options options, DType dtype, long weightBytes, double maxDrift,
                                    double rmsDrift) {
        String limitations = options.limitations().isBlank() ? "" : "\n## Limitations\n\n" + options.limitations().strip() + "\n";
        return String.format(Locale.ROOT, """
                # Glossa extractive QA reader (%s fine-tuned on SQuAD)

                A BertForQuestionAnswering (%d layers, hidden size %d) that finds the answer span of a question in a
                passage, or says there is none (SQuAD 2.0).

                ## Evaluation

                Scores: %s

                Null threshold: %s (predict no answer when the null score beats the best span by more than this).

                ## Training

                Training data: %s

                Optimizer steps: %s
                %s
                ## Files

                - Base: %s (word embeddings taken from it at load time, checked by sha256; see reader.json)
                - Stored weights: %s, %,d bytes, without the word embeddings
                - Fine-tuned word embeddings vs the base's: max |difference| %.3g, RMS %.3g (the reader uses the base's)

                Load with `ReaderPackage.load(dir)`; packed with `glossa squad pack`.
                """, MiniLm.MODEL_NAME, config.numHiddenLayers(), config.hiddenSize(), options.scores(),
                options.nullThreshold(), options.trainingData(),
                options.steps() < 0 ? "not stated" : Long.toString(options.steps()), limitations, MiniLm.MODEL_NAME,
                dtype, weightBytes, maxDrift, rmsDrift);
    }
}
