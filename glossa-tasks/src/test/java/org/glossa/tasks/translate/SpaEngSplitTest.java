package org.glossa.tasks.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SpaEngSplitTest {
    /** A data set of ../shared/data; the test is skipped (assumption) only where it is missing. */
    static Path shared(String dataSet) {
        String shared = System.getProperty("glossa.shared", "../../shared");
        Path path = Path.of(shared, "data", dataSet);
        assumeTrue(Files.exists(path), "../shared/data/" + dataSet + " is missing: test skipped");
        return path;
    }

    private static ParallelCorpus corpus;

    /** spa.txt, read once for all tests of the class. */
    private static synchronized ParallelCorpus corpus() {
        if (corpus == null) {
            corpus = SpaEng.read(shared("spa-eng").resolve("spa.txt"));
        }
        return corpus;
    }

    @Test
    void splitsTwoThousandTestPairsWithNoSpanishSentenceInTwoParts() {
        ParallelCorpus corpus = corpus();
        DataSplit split = SpaEng.split(corpus);
        assertEquals(2_000, split.test().size());
        assertEquals(2_000, split.validation().size());
        assertEquals(118_964 - 4_000, split.train().size());
        Set<String> trainSources = sources(split.train());
        Set<String> validationSources = sources(split.validation());
        for (SentencePair pair : split.test()) {
            assertTrue(!trainSources.contains(pair.source()) && !validationSources.contains(pair.source()),
                    "test source also elsewhere: " + pair.source());
        }
        for (SentencePair pair : split.validation()) {
            assertTrue(!trainSources.contains(pair.source()), "validation source in training: " + pair.source());
        }
        // Every pair is in exactly one part (as a multiset: spa.txt repeats some pairs).
        Map<SentencePair, Integer> counts = new HashMap<>();
        corpus.pairs().forEach(p -> counts.merge(p, 1, Integer::sum));
        for (List<SentencePair> part : List.of(split.train(), split.validation(), split.test())) {
            part.forEach(p -> counts.merge(p, -1, Integer::sum));
        }
        assertTrue(counts.values().stream().allMatch(c -> c == 0));
        // Each part keeps file order: the test part's first pair comes before its second in the file.
        assertTrue(corpus.pairs().indexOf(split.test().get(0)) < corpus.pairs().indexOf(split.test().get(1)));
    }

    /**
     * The split is fixed: these pairs and this checksum were recorded when the split was made; another run,
     * JVM or machine must reproduce them (it depends on no hash order, only on java.util.Random, whose
     * sequence the Java specification fixes).
     */
    @Test
    void theSplitIsTheRecordedOne() {
        DataSplit split = SpaEng.split(corpus());
        assertEquals(List.of("Abrázame. → Hug me.", "Renuncié. → I quit.", "¡Órale! → Awesome!"), firstPairs(split.test()));
        assertEquals(396_768_689L, checksum(split.test()));
        assertEquals(2_553_408_559L, checksum(split.validation()));
        assertEquals(split, SpaEng.split(corpus())); // a second split of the same pairs, in this JVM
        DataSplit reversed = split.reversed();
        assertEquals(split.test().get(0).target(), reversed.test().get(0).source());
    }

    private static List<String> firstPairs(List<SentencePair> pairs) {
        List<String> out = new ArrayList<>();
        for (SentencePair pair : pairs.subList(0, 3)) {
            out.add(pair.source() + " → " + pair.target());
        }
        return out;
    }

    private static long checksum(List<SentencePair> pairs) {
        CRC32 crc = new CRC32();
        for (SentencePair pair : pairs) {
            crc.update((pair.source() + "\t" + pair.target() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return crc.getValue();
    }

    private static Set<String> sources(List<SentencePair> pairs) {
        Set<String> sources = new HashSet<>();
        pairs.forEach(p -> sources.add(p.source()));
        return sources;
    }
}
