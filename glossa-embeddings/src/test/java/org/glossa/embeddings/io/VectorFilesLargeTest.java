package org.glossa.embeddings.io;

import org.glossa.embeddings.KeyedVectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** 100,000 × 300 vectors through every format, timed (about half a minute in all on a quiet machine). */
@Tag("slow")
class VectorFilesLargeTest {
    @TempDir
    Path temp;

    @Test
    void largeFilesRoundTripExactly() {
        int n = 100_000;
        int d = 300;
        Random random = new Random(5);
        float[] values = new float[n * d];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 0.3);
        }
        List<String> words = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            words.add(i % 10 == 0 ? "wörd" + i : "word" + i);
        }
        KeyedVectors kv = KeyedVectors.adopt(words, values, d, null);
        for (VectorFormat format : VectorFormat.values()) {
            Path file = temp.resolve("large-" + format);
            long start = System.nanoTime();
            VectorFiles.write(kv, file, format);
            long written = System.nanoTime();
            KeyedVectors back = VectorFiles.read(file);
            long read = System.nanoTime();
            System.out.printf("%s: %d MB, write %.2f s, read %.2f s%n", format, size(file) >> 20,
                    (written - start) / 1e9, (read - written) / 1e9);
            assertEquals(words, back.words());
            for (int row = 0; row < n; row += 997) {
                assertArrayEquals(kv.vector(row), back.vector(row));
            }
            assertArrayEquals(kv.vector(n - 1), back.vector(n - 1));
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
