package org.glossa.tasks.squad;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.GlossaHome;
import org.glossa.core.onnx.MiniLm;

/**
 * The question-answering reader that ships inside Glossa's jar: a {@link ReaderPackage} (all-MiniLM-L6-v2
 * fine-tuned on SQuAD, 16-bit weights without the word embeddings) under the class-path folder
 * {@value #RESOURCE_FOLDER}. {@link #ensureExtracted} copies it once into {@code $GLOSSA_HOME/models}, in a
 * folder named after the hash of its files, so a newer build's reader never meets an older copy.
 */
public final class ShippedReader {
    static final String RESOURCE_FOLDER = "/org/glossa/tasks/squad/reader/";
    static final List<String> FILES = List.of("config.json", "model.safetensors", ReaderPackage.MANIFEST, "README.md");
    public static final String NAME = MiniLm.MODEL_NAME + "-squad2-reader";

    private ShippedReader() {}

    /** Whether this build carries a reader (a build made before one was trained does not). */
    public static boolean isBundled() {
        return ShippedReader.class.getResource(RESOURCE_FOLDER + ReaderPackage.MANIFEST) != null;
    }

    /**
     * The shipped reader's directory under {@code $GLOSSA_HOME/models}, extracted from the class path the first
     * time; processes that start together wait on a lock file, and the directory appears complete or not at all.
     */
    public static synchronized Path ensureExtracted() {
        if (!isBundled()) {
            throw new GlossaException("this build of Glossa carries no question-answering reader: pass --model DIR (a model"
                    + " fine-tuned with 'glossa squad train', or a reader made with 'glossa squad pack')");
        }
        ByteBuffer[] contents = new ByteBuffer[FILES.size()];
        for (int i = 0; i < FILES.size(); i++) {
            contents[i] = ByteBuffer.wrap(resource(FILES.get(i)));
        }
        String version = ReaderPackage.sha256(contents).substring(0, 12);
        Path dir = GlossaHome.dir().resolve("models").resolve(NAME + "-" + version).toAbsolutePath();
        try {
            // The directory appears by a rename: a manifest means a complete copy.
            AtomicFiles.createOnce(dir, d -> Files.isRegularFile(d.resolve(ReaderPackage.MANIFEST)),
                    target -> AtomicFiles.writeDirectory(target, partial -> {
                        for (int i = 0; i < FILES.size(); i++) {
                            Files.write(partial.resolve(FILES.get(i)), contents[i].array());
                        }
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
