package org.glossa.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.io.VectorFiles;
import org.glossa.embeddings.io.VectorFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code glossa word2vec train|tokenize} end to end on a small corpus with planted word groups: the options
 * reach the trainer, the outputs are what they claim, bad input is one line.
 */
@Tag("unit")
class Word2VecCommandTest {
    static String[] concat(String[] head, String... tail) {
        return Stream.concat(Arrays.stream(head), Arrays.stream(tail)).toArray(String[]::new);
    }

    /**
     * Sentences of 8 words drawn from one of 5 groups of 6 words (group g chosen with weight g + 1), each word
     * replaced by a word of any group with probability {@code noise}, so that words of a group share most of
     * their contexts; two rare words occur twice each. The counts are kept here, independently of Glossa's
     * vocabulary code.
     */
    static final class PlantedCorpus {
        static final int GROUPS = 5;
        static final int GROUP_SIZE = 6;
        static final List<String> RARE = List.of("rarex", "rarey");
        final List<String> lines = new ArrayList<>();
        final Map<String, Long> counts = new LinkedHashMap<>();
        long tokens;

        PlantedCorpus(int sentences, long seed, double noise) {
            Random random = new Random(seed);
            int totalWeight = GROUPS * (GROUPS + 1) / 2;
            for (int s = 0; s < sentences; s++) {
                int pick = random.nextInt(totalWeight);
                int group = 0;
                while (pick >= group + 1) {
                    pick -= group + 1;
                    group++;
                }
                List<String> words = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    int from = random.nextDouble() < noise ? random.nextInt(GROUPS) : group;
                    words.add(word(from, random.nextInt(GROUP_SIZE)));
                }
                if (s < 2 * RARE.size()) {
                    words.add(RARE.get(s % RARE.size()));
                }
                for (String w : words) {
                    counts.merge(w, 1L, Long::sum);
                }
                tokens += words.size();
                lines.add(String.join(" ", words));
            }
        }

        static String word(int group, int i) {
            return "abcde".charAt(group) + "word" + "pqrstu".charAt(i);
        }

        static int groupOf(String word) {
            return "abcde".indexOf(word.charAt(0));
        }

        Path write(Path file) throws IOException {
            return Files.write(file, lines, StandardCharsets.UTF_8);
        }
    }

    @TempDir static Path temp;
    static PlantedCorpus planted;
    static Path corpus;
    static String threadsBefore;

    @BeforeAll
    static void writeCorpus() throws IOException {
        planted = new PlantedCorpus(3000, 11, 0.1);
        corpus = planted.write(temp.resolve("planted.txt"));
    }

    /** {@code --threads} sets a system property for libtorch; keep it from reaching later tests in this JVM. */
    @AfterEach
    void restoreThreadsProperty() {
        System.clearProperty("glossa.threads");
    }

    /** Small, fast settings; {@link #train} replaces those given again (picocli rejects a repeated option). */
    static final Map<String, String> SMALL = Map.of("--dim", "20", "--window", "3", "--sample", "0", "--epochs", "4",
            "--threads", "1");

    /** Arguments of {@code word2vec train} on the planted corpus: {@link #SMALL} overridden by {@code more}. */
    static String[] train(Path out, String... more) {
        Map<String, String> options = new LinkedHashMap<>(new java.util.TreeMap<>(SMALL));
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < more.length; i++) {
            boolean hasValue = i + 1 < more.length && !more[i + 1].startsWith("--");
            if (hasValue) {
                options.put(more[i], more[++i]);
            } else {
                flags.add(more[i]);
            }
        }
        List<String> args = new ArrayList<>(List.of("word2vec", "train", "--corpus", corpus.toString(), "--out",
                out.toString(), "--no-progress"));
        options.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        args.addAll(flags);
        return args.toArray(String[]::new);
    }

    static double[] lossesOf(Path metrics) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        return Files.readAllLines(metrics).stream().mapToDouble(line -> {
            try {
                return mapper.readTree(line).get("loss").asDouble();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toArray();
    }

    @Test
    void trainLearnsThePlantedGroupsAndReportsEveryEpoch() throws IOException {
        Path out = temp.resolve("cbow.txt");
        Path metrics = temp.resolve("cbow.jsonl");
        Path vocab = temp.resolve("cbow.vocab");
        CliRun run = CliRun.of(train(out, "--metrics", metrics.toString(), "--save-vocab", vocab.toString()));
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.outLines();
        assertEquals("corpus: " + corpus + " (lines)", lines.get(0));
        long kept = planted.tokens - 4; // the two rare words, twice each, fall below min-count 5
        assertEquals(String.format("vocabulary: 30 words (min-count 5) of 32 distinct; %,d of %,d corpus words kept", kept,
                planted.tokens), lines.get(1));
        assertEquals("training: CBOW (mean), negative 5, 20 dimensions, window 3, sample 0, 4 epochs, alpha 0.05 → 0.000005,"
                + " 1 thread", lines.get(2));
        for (int epoch = 1; epoch <= 4; epoch++) {
            assertTrue(lines.get(2 + epoch).startsWith("epoch " + epoch + "/4: loss "), lines.get(2 + epoch));
            assertTrue(lines.get(2 + epoch).contains(" " + kept + " words (" + kept + " after subsampling)"), lines.get(2 + epoch));
        }
        assertTrue(lines.get(7).matches("trained in \\d+\\.\\d s: [\\d,]+ words/s \\(corpus words in the vocabulary, before"
                + " subsampling\\)"), lines.get(7));
        assertEquals("wrote 30 vectors × 20 to " + out + " (word2vec text)", lines.get(8));

        // The metrics: one line per epoch, the loss falling as the groups are learnt.
        List<String> records = Files.readAllLines(metrics);
        assertEquals(4, records.size());
        JsonNode first = new ObjectMapper().readTree(records.get(0));
        assertEquals(List.of("epoch", "epochs", "loss", "predictions", "words", "trained_words", "seconds",
                "words_per_second", "alpha"), iterableToList(first.fieldNames()));
        assertEquals(kept, first.get("words").asLong());
        double[] losses = lossesOf(metrics);
        assertTrue(losses[3] < losses[0] - 0.1, Arrays.toString(losses));

        // The vocabulary file: the corpus counts, most frequent first.
        List<String> vocabLines = Files.readAllLines(vocab);
        assertEquals(30, vocabLines.size());
        long previous = Long.MAX_VALUE;
        for (String line : vocabLines) {
            String[] wordCount = line.split(" ");
            long count = Long.parseLong(wordCount[1]);
            assertEquals(planted.counts.get(wordCount[0]), count, line);
            assertTrue(count <= previous, "sorted by count: " + line);
            previous = count;
        }

        // The vectors: a word2vec text file whose every word's nearest neighbour is of its own group.
        assertEquals(VectorFormat.WORD2VEC_TEXT, VectorFiles.detect(out));
        KeyedVectors vectors = VectorFiles.read(out);
        assertEquals(30, vectors.size());
        assertEquals(20, vectors.dimension());
        for (String word : vectors.words()) {
            String nearest = vectors.mostSimilar(word, 1).get(0).word();
            assertEquals(PlantedCorpus.groupOf(word), PlantedCorpus.groupOf(nearest), word + " → " + nearest);
        }
    }

    private static List<String> iterableToList(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void oneThreadAndASeedGiveTheSameBytesAndAnotherSeedDoesNot() throws IOException {
        Path a = temp.resolve("seed-a.bin");
        Path b = temp.resolve("seed-b.bin");
        Path c = temp.resolve("seed-c.bin");
        CliRun first = CliRun.of(train(a, "--seed", "7", "--epochs", "1"));
        assertEquals(0, first.exitCode(), first.err());
        // --threads before the command as well: the global option, wherever it is given.
        CliRun run = CliRun.of("--threads", "1", "word2vec", "train", "--corpus", corpus.toString(), "--out", b.toString(),
                "--dim", "20", "--window", "3", "--sample", "0", "--no-progress", "--seed", "7", "--epochs", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains(", 1 thread\n"), run.out());
        assertEquals(0, CliRun.of(train(c, "--seed", "8", "--epochs", "1")).exitCode());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertFalse(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)));
    }

    @Test
    void optionsReachTheTrainer() throws IOException {
        // Skip-gram with hierarchical softmax only, 7 dimensions, a binary file, the 10 most frequent words.
        Path sg = temp.resolve("sg.bin");
        CliRun run = CliRun.of(train(sg, "--sg", "--hs", "--negative", "0", "--dim", "7", "--max-vocab", "10", "--alpha", "0.03",
                "--min-alpha", "0.001", "--epochs", "1"));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("vocabulary: 10 words (min-count 5, max-vocab 10) of 32 distinct"), run.out());
        assertTrue(run.out().contains("training: skip-gram, hierarchical softmax, 7 dimensions, window 3, sample 0, 1 epoch,"
                + " alpha 0.03 → 0.001, 1 thread"), run.out());
        assertEquals(VectorFormat.WORD2VEC_BINARY, VectorFiles.detect(sg));
        KeyedVectors vectors = VectorFiles.read(sg);
        assertEquals(7, vectors.dimension());
        long eleventh = planted.counts.values().stream().sorted(Comparator.reverseOrder()).skip(10).findFirst().orElseThrow();
        for (String word : vectors.words()) {
            assertTrue(planted.counts.get(word) >= eleventh, word + " is not among the 10 most frequent");
        }

        // --binary, --output-format glove, CBOW summing the context.
        Path binary = temp.resolve("binary.vec");
        assertEquals(0, CliRun.of(train(binary, "--binary", "--epochs", "1")).exitCode());
        assertEquals(VectorFormat.WORD2VEC_BINARY, VectorFiles.detect(binary));
        Path glove = temp.resolve("glove.txt");
        CliRun sum = CliRun.of(train(glove, "--output-format", "glove", "--no-cbow-mean", "--epochs", "1"));
        assertEquals(0, sum.exitCode(), sum.err());
        assertTrue(sum.out().contains("training: CBOW (sum),"), sum.out());
        assertEquals(VectorFormat.GLOVE_TEXT, VectorFiles.detect(glove));
        assertEquals(30, Files.readAllLines(glove).size(), "no header line");

        // A higher min-count leaves fewer words.
        Path fewer = temp.resolve("fewer.txt");
        long threshold = planted.counts.values().stream().sorted().skip(20).findFirst().orElseThrow();
        assertEquals(0, CliRun.of(train(fewer, "--min-count", Long.toString(threshold), "--epochs", "1")).exitCode());
        long expected = planted.counts.values().stream().filter(c -> c >= threshold).count();
        assertEquals(expected, VectorFiles.read(fewer).size());
    }

    @Test
    void tokenizeWritesWhatTrainingReads() throws IOException {
        Path wiki = Files.writeString(temp.resolve("wiki.txt"), """
                <doc id="12" url="?curid=12" title="Anarchism">
                Anarchism

                Anarchism is a political philosophy, born in the 19th-century.
                It's "anti-authoritarian".
                </doc>
                <doc id="25" url="?curid=25" title="Autism">
                Autism
                Ünïcode ÉTÉ
                </doc>
                """);
        Path words = temp.resolve("words.txt");
        CliRun run = CliRun.of("word2vec", "tokenize", "--corpus", wiki.toString(), "--out", words.toString(), "--lowercase",
                "--token-pattern", "\\p{L}+|\\p{N}+");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("wrote 5 sentences, 19 tokens of " + wiki + " (wiki) to " + words + "\n", run.out());
        assertEquals("""
                anarchism
                anarchism is a political philosophy born in the 19 th century
                it s anti authoritarian
                autism
                ünïcode été
                """, Files.readString(words));

        // Whitespace tokens, case kept, and the <doc> lines read as text with --format lines; gzip output.
        Path gz = temp.resolve("lines.txt.gz");
        CliRun lines = CliRun.of("word2vec", "tokenize", "--corpus", wiki.toString(), "--out", gz.toString(), "--format", "lines");
        assertEquals(0, lines.exitCode(), lines.err());
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
            List<String> got = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertEquals(List.of("<doc id=\"12\" url=\"?curid=12\" title=\"Anarchism\">", "Anarchism",
                    "Anarchism is a political philosophy, born in the 19th-century.", "It's \"anti-authoritarian\".",
                    "</doc>", "<doc id=\"25\" url=\"?curid=25\" title=\"Autism\">", "Autism", "Ünïcode ÉTÉ", "</doc>"), got);
        }
    }

    @Test
    void badInputIsOneLine() throws IOException {
        Path out = temp.resolve("never.txt");
        Path empty = Files.writeString(temp.resolve("empty.txt"), "\n  \n");
        CliRun emptyRun = CliRun.of("word2vec", "train", "--corpus", empty.toString(), "--out", out.toString(), "--no-progress");
        assertEquals(1, emptyRun.exitCode());
        assertEquals(List.of("glossa: corpus " + empty + " has no words"), emptyRun.errLines());

        CliRun minCount = CliRun.of(train(out, "--min-count", "100000"));
        assertEquals(1, minCount.exitCode());
        assertEquals(1, minCount.errLines().size(), minCount.err());
        assertTrue(minCount.err().startsWith("glossa: min-count 100000 leaves no word of corpus " + corpus), minCount.err());

        Path bad = Files.write(temp.resolve("latin1.txt"), "caf\u00e9 ok\n".getBytes(StandardCharsets.ISO_8859_1));
        CliRun utf8 = CliRun.of("word2vec", "train", "--corpus", bad.toString(), "--out", out.toString(), "--no-progress");
        assertEquals(1, utf8.exitCode());
        assertEquals(1, utf8.errLines().size(), utf8.err());
        assertTrue(utf8.err().startsWith("glossa: corpus file " + bad + " is not valid UTF-8"), utf8.err());

        Path missing = temp.resolve("missing.txt");
        CliRun missingRun = CliRun.of("word2vec", "train", "--corpus", missing.toString(), "--out", out.toString());
        assertEquals(List.of("glossa: corpus file " + missing + " does not exist"), missingRun.errLines());
        assertEquals(1, missingRun.exitCode());
        assertFalse(Files.exists(out));

        // Usage errors: exit 2, before the corpus is read.
        for (String[] args : List.of(
                train(out, "--dim", "0"),
                train(out, "--negative", "0"),            // neither negative sampling nor hierarchical softmax
                train(out, "--sg", "--cbow"),
                train(out, "--alpha", "0.01", "--min-alpha", "0.1"),
                train(out, "--binary", "--output-format", "text"),
                train(out, "--format", "xml"),
                train(out, "--output-format", "hdf5"),
                train(temp, "--epochs", "1"),              // --out names a directory
                new String[] {"word2vec", "train", "--corpus", corpus.toString()},
                new String[] {"word2vec"})) {
            CliRun usage = CliRun.of(args);
            assertEquals(2, usage.exitCode(), String.join(" ", args) + "\n" + usage.err());
            assertTrue(usage.err().startsWith("glossa: "), usage.err());
            assertTrue(usage.errLines().size() <= 3, usage.err());
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void helpFormatsCleanly() {
        java.io.PrintStream systemErr = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (List<String> command : List.of(List.of("word2vec", "train"), List.of("word2vec", "tokenize"),
                    List.of("glove", "train"), List.of("vectors", "similar"), List.of("vectors", "analogy"),
                    List.of("vectors", "eval"), List.of("vectors", "convert"), List.of("vectors", "plot"))) {
                CliRun help = CliRun.of(concat(command.toArray(String[]::new), "--help"));
                assertEquals(0, help.exitCode());
                assertEquals("", help.err());
                assertTrue(help.out().startsWith("Usage: glossa " + String.join(" ", command)), help.out());
            }
        } finally {
            System.setErr(systemErr);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8), "picocli complained about a help text");
        assertTrue(CliRun.of("--help").out().contains("word2vec"));
        assertNotEquals(0, CliRun.of("vectors").exitCode());
    }
}
