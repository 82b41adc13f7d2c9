package org.glossa.tasks.squad;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.GlossaHome;
import org.glossa.core.HfConfig;
import org.glossa.core.onnx.MiniLm;

/**
 * The question-answering reader that ships inside Glossa's jar: a {@link ReaderPackage} (all-MiniLM-L6-v2
 * fine-tuned on SQuAD, 16-bit weights without the word embeddings) under the class-path folder
 * {@value #RESOURCE_FOLDER}. {@link #ensureExtracted} copies it once into {@code $GLOSSA_HOME/models}, in a
 * folder named after the hash of its files, so a newer build's reader never meets an older copy.
 */
public final class ShippedReader {
    static final String RESOURCE_FOLDER = "/org/glossa/tasks/squad/reader/";
    public static final String NAME = MiniLm.MODEL_NAME + "-squad2-reader";

    private ShippedReader() {}

    /** Whether this build carries a reader (a build made before one was trained does not). */
    public static boolean isBundled() {
        return ShippedReader.class.getResource(RESOURCE_FOLDER + ReaderPackage.MANIFEST) != null;
    }

    /**
     * The shipped reader's directory under {@code $GLOSSA_HOME/models}, extracted from the class path the first
     * time; processes that start together wait on a lock file, and the directory appears complete or not at all.
     * Only the small manifest is read when the copy exists: it records the other files' sha256, so its own hash
     * names the folder, and each file is checked against it as it is extracted.
     */
    public static synchronized Path ensureExtracted() {
        if (!isBundled()) {
            throw new GlossaException("this build of Glossa carries no question-answering reader: pass --model DIR (a model"
                    + " fine-tuned with 'glossa squad train', or a reader made with 'glossa squad pack')");
        }
        byte[] manifestBytes = resource(ReaderPackage.MANIFEST);
        String version = ReaderPackage.sha256(ByteBuffer.wrap(manifestBytes)).substring(0, 12);
        Path dir = GlossaHome.dir().resolve("models").resolve(NAME + "-" + version).toAbsolutePath();
        try {
            JsonNode fileHashes = HfConfig.mapper().readTree(manifestBytes).path("files");
            // The directory appears by a rename: a manifest means a complete copy.
            AtomicFiles.createOnce(dir, d -> Files.isRegularFile(d.resolve(ReaderPackage.MANIFEST)),
                    target -> AtomicFiles.writeDirectory(target, partial -> {
                        for (String name : ReaderPackage.PACKED_FILES) {
                            byte[] content = resource(name);
                            String want = fileHashes.path(name).asText();
                            if (!want.equals(ReaderPackage.sha256(ByteBuffer.wrap(content)))) {
                                throw new GlossaException("the shipped reader is corrupt: " + RESOURCE_FOLDER + name
                                        + " does not match the sha256 in its " + ReaderPackage.MANIFEST + " (a broken build: rebuild Glossa)");
                            }
                            Files.write(partial.resolve(name), content);
                        }
                        Files.write(partial.resolve(ReaderPackage.MANIFEST), manifestBytes);
                    }));
        } catch (IOException e) {
            throw new GlossaException("cannot extract the shipped reader into " + dir + ": " + AtomicFiles.describe(e), e);
        }
        return dir;
    }

    private static byte[] resource(String name) {
        try (InputStream in = ShippedReader.class.getResourceAsStream(RESOURCE_FOLDER + name)) {
            if (in == null) {
                throw new GlossaException("the shipped reader is incomplete: class-path resource " + RESOURCE_FOLDER + name
                        + " is missing (a broken build: rebuild Glossa)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new GlossaException("cannot read class-path resource " + RESOURCE_FOLDER + name + ": " + AtomicFiles.describe(e), e);
        }
    }
}
