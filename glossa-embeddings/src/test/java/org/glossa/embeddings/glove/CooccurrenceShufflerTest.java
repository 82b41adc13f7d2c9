package org.glossa.embeddings.glove;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class CooccurrenceShufflerTest {
    private static final int RECORDS = 10_000;

    @TempDir
    Path dir;

    /** Records (i mod 97, i / 97, i + 0.5): every one distinct, in sorted order. */
    private Path input() {
        Path file = dir.resolve("in.bin");
        int[][] pairs = new int[RECORDS][];
        double[] values = new double[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            pairs[i] = new int[] {i / 97, i % 97};
            values[i] = i + 0.5;
        }
        GloveFixtures.write(file, pairs, values);
        return file;
    }

    private List<String> shuffled(Path input, long seed, long memoryBytes) {
        Path out = dir.resolve("out-" + seed + "-" + memoryBytes + ".bin");
        CooccurrenceShuffler.Stats stats = CooccurrenceShuffler.shuffle(input, out, seed, memoryBytes,
                dir.resolve("tmp"), false);
        assertEquals(RECORDS, stats.records());
        List<String> records = new ArrayList<>();
        try (CooccurrenceFile.Reader reader = new CooccurrenceFile.Reader(out, 200)) {
            while (reader.next()) {
                records.add(reader.word1() + " " + reader.word2() + " " + reader.value());
            }
        }
        return records;
    }

    @Test
    void isASeededPermutationInMemoryAndOutOfCore() throws IOException {
        Path input = input();
        List<String> original = new ArrayList<>(GloveFixtures.records(input, 200).entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList());
        for (long memory : new long[] {1 << 20, 16 * 1000}) { // all at once; 10 chunks of 1000 records
            List<String> first = shuffled(input, 42, memory);
            assertEquals(original.stream().sorted().toList(), first.stream().sorted().toList(), "a permutation");
            assertFalse(first.equals(original), "order changed");
            assertEquals(first, shuffled(input, 42, memory), "same seed, same order");
            assertFalse(first.equals(shuffled(input, 43, memory)), "another seed, another order");
            // Well mixed: records from the end of the input reach the start of the output.
            long lateAmongFirst = first.subList(0, 1000).stream()
                    .filter(r -> Double.parseDouble(r.split(" ")[2]) > RECORDS / 2.0).count();
            assertTrue(lateAmongFirst > 350 && lateAmongFirst < 650, "second half among the first 1000: " + lateAmongFirst);
        }
        try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.toList(), "temporary chunks left behind");
        }
    }

    @Test
    void keepsBytesExactly() throws IOException {
        Path input = input();
        Path out = dir.resolve("out.bin");
        CooccurrenceShuffler.shuffle(input, out, 1, 1 << 20, null, false);
        byte[] in = Files.readAllBytes(input);
        byte[] shuffled = Files.readAllBytes(out);
        assertEquals(in.length, shuffled.length);
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < in.length; i += 16) {
            a.add(java.util.HexFormat.of().formatHex(in, i, i + 16));
            b.add(java.util.HexFormat.of().formatHex(shuffled, i, i + 16));
        }
        assertArrayEquals(a.stream().sorted().toArray(), b.stream().sorted().toArray());
    }

    @Test
    void rejectsATruncatedFile() throws IOException {
        Path input = input();
        byte[] bytes = Files.readAllBytes(input);
        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        GlossaException e = assertThrows(GlossaException.class,
                () -> CooccurrenceShuffler.shuffle(truncated, dir.resolve("x.bin"), 1, 1 << 20, null, false));
        assertTrue(e.getMessage().contains("truncated.bin") && e.getMessage().contains("16-byte records"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.bin")));
    }
}
