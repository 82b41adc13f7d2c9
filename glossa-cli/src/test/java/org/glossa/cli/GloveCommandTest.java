package org.glossa.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glossa.cli.Word2VecCommandTest.PlantedCorpus;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.io.VectorFiles;
import org.glossa.embeddings.io.VectorFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code glossa glove train} end to end on the planted corpus of {@link Word2VecCommandTest}. */
@Tag("unit")
class GloveCommandTest {
    @TempDir static Path temp;
    static PlantedCorpus planted;
    static Path corpus;

    @BeforeAll
    static void writeCorpus() throws IOException {
        planted = new PlantedCorpus(2000, 5, 0.25);
        corpus = planted.write(temp.resolve("planted.txt"));
    }

    @AfterEach
    void restoreThreadsProperty() {
        System.clearProperty("glossa.threads");
    }

    static String[] train(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("glove", "train", "--corpus", corpus.toString(), "--out", out.toString(),
                "--dim", "10", "--window", "5", "--threads", "1", "--no-progress"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void trainRunsEveryStageAndLearnsTheGroups() throws IOException {
        Path out = temp.resolve("glove.txt");
        Path metrics = temp.resolve("glove.jsonl");
        CliRun run = CliRun.of(train(out, "--iter", "6", "--metrics", metrics.toString()));
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.outLines();
        assertEquals("corpus: " + corpus + " (lines)", lines.get(0));
        assertTrue(lines.get(1).startsWith("settings: min-count 5, window 5 (symmetric, 1/d), 10 dimensions, 6 iterations,"
                + " eta 0.05, alpha 0.75, x-max 10, memory "), lines.get(1));
        assertTrue(lines.get(1).endsWith(" GB, 1 thread"), lines.get(1));
        List<String> stages = lines.stream().filter(l -> l.startsWith("stage ")).map(l -> l.split(":")[0]).toList();
        assertEquals(List.of("stage vocabulary", "stage cooccurrence", "stage shuffle", "stage training"), stages);
        List<String> iterations = lines.stream().filter(l -> l.startsWith("iteration ")).toList();
        assertEquals(6, iterations.size());
        assertTrue(iterations.get(0).startsWith("iteration 1/6: cost "), iterations.get(0));
        assertTrue(lines.get(lines.size() - 2).matches("vocabulary 30 words, [\\d,]+ co-occurrence records; total \\d+\\.\\d s"
                + " \\(vocabulary \\d+\\.\\d s, cooccurrence \\d+\\.\\d s, shuffle \\d+\\.\\d s, training \\d+\\.\\d s\\)"),
                lines.get(lines.size() - 2));
        assertEquals("wrote 30 vectors × 10 to " + out + " (GloVe text)", lines.get(lines.size() - 1));

        // Metrics: four stages and six iterations, the cost falling.
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            records.add(mapper.readTree(line));
        }
        assertEquals(10, records.size());
        assertEquals("vocabulary", records.get(0).get("stage").asText());
        List<JsonNode> costs = records.stream().filter(r -> r.has("iteration")).toList();
        assertEquals(6, costs.size());
        assertTrue(costs.get(5).get("cost").asDouble() < costs.get(0).get("cost").asDouble() / 2, costs.toString());

        // A headerless GloVe file; every word's nearest neighbour in its own group.
        assertEquals(VectorFormat.GLOVE_TEXT, VectorFiles.detect(out));
        KeyedVectors vectors = VectorFiles.read(out);
        assertEquals(30, vectors.size());
        int right = 0;
        for (String word : vectors.words()) {
            String nearest = vectors.mostSimilar(word, 1).get(0).word();
            right += PlantedCorpus.groupOf(word) == PlantedCorpus.groupOf(nearest) ? 1 : 0;
        }
        assertTrue(right >= 28, right + " of 30 words have a nearest neighbour of their group");
    }

    @Test
    void outputModesAndFormats() throws IOException {
        Path sum = temp.resolve("sum.txt");
        Path word = temp.resolve("word.txt");
        Path all = temp.resolve("all.bin");
        Path unk = temp.resolve("unk.vec");
        assertEquals(0, CliRun.of(train(sum, "--iter", "2")).exitCode());
        assertEquals(0, CliRun.of(train(word, "--iter", "2", "--model", "1")).exitCode());
        CliRun allRun = CliRun.of(train(all, "--iter", "2", "--model", "0"));
        assertEquals(0, allRun.exitCode(), allRun.err());
        assertTrue(allRun.out().contains("wrote 30 vectors × 22 to " + all + " (word2vec binary)"), allRun.out());
        CliRun unkRun = CliRun.of(train(unk, "--iter", "2", "--unk", "--output-format", "text"));
        assertEquals(0, unkRun.exitCode(), unkRun.err());

        KeyedVectors w = VectorFiles.read(word);
        KeyedVectors s = VectorFiles.read(sum);
        KeyedVectors a = VectorFiles.read(all);
        assertEquals(VectorFormat.WORD2VEC_BINARY, VectorFiles.detect(all));
        // Same seed and one thread: model 0 holds [w, b, w̃, b̃]; model 1 is w; model 2 is w + w̃.
        for (int row = 0; row < 30; row++) {
            float[] full = a.vector(row);
            float[] wordOnly = w.vector(row);
            float[] summed = s.vector(row);
            for (int k = 0; k < 10; k++) {
                assertEquals(full[k], wordOnly[k], 0f);
                assertEquals(full[k] + full[11 + k], summed[k], 1e-6f);
            }
        }
        assertEquals(VectorFormat.WORD2VEC_TEXT, VectorFiles.detect(unk));
        KeyedVectors withUnk = VectorFiles.read(unk);
        assertEquals(31, withUnk.size());
        assertEquals("<unk>", withUnk.words().get(30));
    }

    @Test
    void resumeContinuesExactlyWhereTheCheckpointLeftOff() throws IOException {
        Path work = temp.resolve("work");
        Path first = temp.resolve("first.txt");
        CliRun started = CliRun.of(train(first, "--iter", "4", "--work", work.toString(), "--checkpoint-every", "2"));
        assertEquals(0, started.exitCode(), started.err());
        assertTrue(started.out().contains(", 1 thread, work directory " + work), started.out());
        for (String file : List.of("vocab.txt", "cooccurrence.bin", "cooccurrence.shuf.bin", "checkpoint.safetensors")) {
            assertTrue(Files.isRegularFile(work.resolve(file)), file);
        }
        // vocab.txt is vocab_count's "word count" lines: the corpus counts, most frequent first.
        for (String line : Files.readAllLines(work.resolve("vocab.txt"))) {
            String[] wordCount = line.split(" ");
            assertEquals(planted.counts.get(wordCount[0]), Long.parseLong(wordCount[1]), line);
        }

        Path resumed = temp.resolve("resumed.txt");
        CliRun more = CliRun.of(train(resumed, "--iter", "7", "--resume", work.toString(), "--checkpoint-every", "2"));
        assertEquals(0, more.exitCode(), more.err());
        assertTrue(more.out().contains(", resuming " + work), more.out());
        assertEquals(List.of("stage training"), more.outLines().stream().filter(l -> l.startsWith("stage "))
                .map(l -> l.split(":")[0]).toList());
        assertEquals(List.of("iteration 5/7", "iteration 6/7", "iteration 7/7"), more.outLines().stream()
                .filter(l -> l.startsWith("iteration ")).map(l -> l.split(":")[0]).toList());

        Path straight = temp.resolve("straight.txt");
        assertEquals(0, CliRun.of(train(straight, "--iter", "7")).exitCode());
        assertArrayEquals(Files.readAllBytes(straight), Files.readAllBytes(resumed));

        CliRun different = CliRun.of(train(temp.resolve("x.txt"), "--iter", "8", "--resume", work.toString(), "--min-count", "4"));
        assertEquals(1, different.exitCode());
        assertEquals(1, different.errLines().size(), different.err());
        assertTrue(different.err().startsWith("glossa: cannot resume the GloVe run in " + work), different.err());
    }

    @Test
    void badOptionsAreUsageErrors() {
        Path out = temp.resolve("never.txt");
        for (String[] args : List.of(
                train(out, "--checkpoint-every", "2"),
                train(out, "--model", "5"),
                train(out, "--x-max", "0"),
                train(out, "--memory", "-1"),
                train(out, "--iter", "0"),
                train(out, "--work", "a", "--resume", "b"))) {
            CliRun usage = CliRun.of(args);
            assertEquals(2, usage.exitCode(), String.join(" ", args) + "\n" + usage.err());
            assertTrue(usage.err().startsWith("glossa: "), usage.err());
        }
        assertFalse(Files.exists(out));
        Path empty = temp.resolve("empty.txt");
        CliRun emptyRun = CliRun.of("glove", "train", "--corpus", empty.toString(), "--out", out.toString());
        assertEquals(1, emptyRun.exitCode());
        assertEquals(List.of("glossa: corpus file " + empty + " does not exist"), emptyRun.errLines());
    }
}
