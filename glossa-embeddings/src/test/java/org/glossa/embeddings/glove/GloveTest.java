package org.glossa.embeddings.glove;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.glossa.core.GlossaException;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.Vocabulary;
import org.glossa.embeddings.corpus.SentenceSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class GloveTest {
    private static final int GROUPS = 4;
    private static final int GROUP_SIZE = 8;

    @TempDir
    Path dir;

    /**
     * Sentences of one group's words (g2w5 is word 5 of group 2), a fifth of them replaced by words of any
     * group. GloVe only fits the pairs that occur, so groups that never met could share one direction; the
     * weaker cross-group counts are what set them apart (Stanford GloVe puts all 160 nearest neighbours of
     * this corpus in the right group, seeds 1 to 3).
     */
    private static SentenceSource planted(long seed) {
        Random random = new Random(seed);
        List<List<String>> sentences = new ArrayList<>();
        for (int s = 0; s < 1500; s++) {
            int group = random.nextInt(GROUPS);
            List<String> sentence = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int from = random.nextInt(5) == 0 ? random.nextInt(GROUPS) : group;
                sentence.add("g" + from + "w" + random.nextInt(GROUP_SIZE));
            }
            sentences.add(sentence);
        }
        return SentenceSource.of(sentences);
    }

    private GloveOptions small() {
        return GloveOptions.defaults().withMinCount(1).withWindowSize(5).withVectorSize(16).withIterations(20)
                .withXMax(10).withMemoryBytes(1 << 20).withShowProgress(false).withTempDirectory(dir.resolve("tmp"));
    }

    @Test
    void plantedGroupsBecomeNeighboursAndNoTemporaryFileRemains() throws IOException {
        GloveResult result = Glove.train(planted(1), small().withThreads(2), GloveListener.NONE);
        KeyedVectors vectors = result.vectors();
        assertEquals(GROUPS * GROUP_SIZE, vectors.size());
        assertEquals(16, vectors.dimension());
        int same = 0;
        int total = 0;
        for (int g = 0; g < GROUPS; g++) {
            for (int w = 0; w < GROUP_SIZE; w++) {
                for (KeyedVectors.Neighbor neighbour : vectors.mostSimilar("g" + g + "w" + w, 5)) {
                    total++;
                    if (neighbour.word().startsWith("g" + g + "w")) {
                        same++;
                    }
                }
            }
        }
        // Random vectors put 7 of the 31 other words in the same group (about 23 %).
        assertTrue(same >= 0.95 * total, same + " of " + total + " nearest neighbours in the same group");
        assertTrue(result.finalCost() < result.iterations().get(0).cost());
        assertEquals(Set.of("vocabulary", "cooccurrence", "shuffle", "training"), result.stageSeconds().keySet());
        try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.toList(), "temporary files left behind");
        }
    }

    @Test
    void resumeSkipsFinishedStagesAndContinuesTraining() throws IOException {
        Path work = dir.resolve("work");
        GloveOptions options = small().withThreads(1).withWorkDirectory(work).withCheckpointEvery(2);
        Glove.train(planted(2), options.withIterations(4), GloveListener.NONE);
        for (String file : List.of("vocab.txt", "cooccurrence.bin", "cooccurrence.shuf.bin", "checkpoint.safetensors",
                "run.properties")) {
            assertTrue(Files.isRegularFile(work.resolve(file)), file + " kept in the work directory");
        }
        GloveResult resumed = Glove.train(planted(2), options.withIterations(8).withResume(true), GloveListener.NONE);
        assertEquals(Set.of("training"), resumed.stageSeconds().keySet());
        assertEquals(List.of(5, 6, 7, 8), resumed.iterations().stream().map(IterationReport::iteration).toList());

        GloveResult uninterrupted = Glove.train(planted(2), small().withThreads(1).withIterations(8), GloveListener.NONE);
        assertEquals(uninterrupted.vocabulary().words(), resumed.vocabulary().words());
        assertArrayEquals(uninterrupted.parameters().word, resumed.parameters().word);
        assertArrayEquals(uninterrupted.parameters().context, resumed.parameters().context);
        assertEquals(uninterrupted.finalCost(), resumed.finalCost(), 0.0);

        // Other counting settings would make the kept files wrong for this run.
        GlossaException e = assertThrows(GlossaException.class, () -> Glove.train(planted(2),
                options.withWindowSize(6).withResume(true), GloveListener.NONE));
        assertTrue(e.getMessage().contains("window-size 5") && e.getMessage().contains("6"), e.getMessage());
    }

    @Test
    void vocabularyFileIsVocabCountFormat() throws IOException {
        Vocabulary vocabulary = Vocabulary.of(List.of("b", "a", "c"), new long[] {5, 7, 5});
        Path file = dir.resolve("vocab.txt");
        Glove.writeVocabulary(vocabulary, file);
        assertEquals("a 7\nb 5\nc 5\n", Files.readString(file, StandardCharsets.UTF_8));
        Vocabulary read = Glove.readVocabulary(file);
        assertEquals(vocabulary.words(), read.words());
        assertArrayEquals(vocabulary.counts(), read.counts());
        Files.writeString(file, "a 7\nb five\n");
        GlossaException e = assertThrows(GlossaException.class, () -> Glove.readVocabulary(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void badInput() {
        GlossaException e = assertThrows(GlossaException.class,
                () -> Glove.train(SentenceSource.of(List.of()), small(), GloveListener.NONE));
        assertTrue(e.getMessage().contains("no words"), e.getMessage());
        e = assertThrows(GlossaException.class,
                () -> Glove.train(planted(3), small().withMinCount(100_000), GloveListener.NONE));
        assertTrue(e.getMessage().contains("min-count 100000"), e.getMessage());
        e = assertThrows(GlossaException.class, () -> small().withResume(true));
        assertTrue(e.getMessage().contains("work directory"), e.getMessage());
        e = assertThrows(GlossaException.class, () -> small().withCheckpointEvery(1));
        assertTrue(e.getMessage().contains("work directory"), e.getMessage());
        assertThrows(GlossaException.class, () -> small().withVectorSize(0));
        assertThrows(GlossaException.class, () -> small().withWindowSize(0));
        assertThrows(GlossaException.class, () -> small().withMemoryGb(-1));
        assertThrows(GlossaException.class, () -> OutputMode.ofModel(4));
    }
}
