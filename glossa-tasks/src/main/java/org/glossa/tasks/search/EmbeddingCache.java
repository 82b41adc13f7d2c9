package org.glossa.tasks.search;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.glossa.core.AtomicFiles;

/**
 * Corpus embeddings on disk, so that searching the same corpus again costs one file read. A file is named
 * by the SHA-256 of the embedder's fingerprint and the texts, and holds a magic, the row and column counts
 * and the little-endian float32 rows.
 */
final class EmbeddingCache {
    private static final int MAGIC = 0x474c5631; // "GLV1"
    private static final int HEADER_BYTES = 12;

    private EmbeddingCache() {}

    static String key(String fingerprint, List<String> texts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            update(sha, fingerprint);
            for (String text : texts) {
                update(sha, text);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Length-prefixed, so that no two different text lists hash the same bytes. */
    private static void update(MessageDigest sha, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    /** The cached rows, or null when the file is absent or does not hold exactly {@code rows × dim} floats. */
    static float[][] read(Path file, int rows, int dim) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            if (buffer.remaining() != HEADER_BYTES + (long) rows * dim * 4
                    || buffer.getInt() != MAGIC || buffer.getInt() != rows || buffer.getInt() != dim) {
                return null;
            }
            float[][] vectors = new float[rows][dim];
            for (float[] row : vectors) {
                buffer.asFloatBuffer().get(row);
                buffer.position(buffer.position() + dim * 4);
            }
            return vectors;
        } catch (IOException e) {
            return null; // unreadable cache: embed again
        }
    }

    static void write(Path file, float[][] vectors) {
        int dim = vectors.length == 0 ? 0 : vectors[0].length;
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES + vectors.length * dim * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(MAGIC).putInt(vectors.length).putInt(dim);
        for (float[] row : vectors) {
            buffer.asFloatBuffer().put(row);
            buffer.position(buffer.position() + dim * 4);
        }
        AtomicFiles.write(file, temporary -> Files.write(temporary, buffer.array()));
    }
}
