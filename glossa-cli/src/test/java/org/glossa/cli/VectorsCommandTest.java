package org.glossa.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.eval.Analogies;
import org.glossa.embeddings.io.VectorFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glossa vectors ...} against what gensim and numpy computed on the same files (see
 * {@code src/test/resources/org/glossa/cli/vectors/README.md}).
 */
@Tag("unit")
class VectorsCommandTest {
    static Path dir;
    static Path text;
    static Path binary;
    static JsonNode reference;
    @TempDir static Path temp;

    @BeforeAll
    static void fixtures() throws URISyntaxException, IOException {
        dir = Path.of(VectorsCommandTest.class.getResource("vectors/vectors.txt").toURI()).getParent();
        text = dir.resolve("vectors.txt");
        binary = dir.resolve("vectors.bin");
        reference = new ObjectMapper().readTree(dir.resolve("gensim-reference.json").toFile());
    }

    /** Lines "rank  similarity  word" against gensim's [word, similarity] pairs (printed to 4 decimals). */
    static void assertNeighbors(JsonNode expected, List<String> lines) {
        assertEquals(expected.size(), lines.size(), String.join("\n", lines));
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = lines.get(i).strip().split("\\s+");
            assertEquals(Integer.toString(i + 1), fields[0], lines.get(i));
            assertEquals(expected.get(i).get(0).asText(), fields[2], lines.get(i));
            assertEquals(expected.get(i).get(1).asDouble(), Double.parseDouble(fields[1]), 5.1e-5, lines.get(i));
        }
    }

    @Test
    void similarMatchesGensim() {
        CliRun run = CliRun.of("vectors", "similar", text.toString(), "Greece", "--top-n", "5");
        assertEquals(0, run.exitCode(), run.err());
        assertNeighbors(reference.get("similar Greece"), run.outLines());

        CliRun negative = CliRun.of("vectors", "similar", binary.toString(), "Paris", "Germany", "--negative", "France", "-n", "5");
        assertEquals(0, negative.exitCode(), negative.err());
        assertNeighbors(reference.get("similar Paris Germany -France"), negative.outLines());

        CliRun cosMul = CliRun.of("vectors", "similar", text.toString(), "Paris", "Germany", "--negative", "France", "-n", "5", "--cosmul");
        assertEquals(0, cosMul.exitCode(), cosMul.err());
        assertNeighbors(reference.get("cosmul Paris Germany -France"), cosMul.outLines());

        CliRun restricted = CliRun.of("vectors", "similar", text.toString(), "Greece", "-n", "5", "--restrict", "20");
        assertEquals(0, restricted.exitCode(), restricted.err());
        assertNeighbors(reference.get("similar Greece restrict 20"), restricted.outLines());
    }

    @Test
    void analogyMatchesGensim() {
        CliRun run = CliRun.of("vectors", "analogy", binary.toString(), "quick", "quickly", "slow", "--top-n", "3");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.outLines();
        assertEquals("quick : quickly :: slow : ?", lines.get(0));
        assertNeighbors(reference.get("analogy quick quickly slow"), lines.subList(1, lines.size()));
    }

    @Test
    void evalMatchesGensimPerSection() throws IOException {
        for (int restrict : new int[] {300000, 30}) {
            CliRun run = CliRun.of("vectors", "eval", text.toString(), "--analogies", dir.resolve("questions.txt").toString(),
                    "--restrict", Integer.toString(restrict), "--json");
            assertEquals(0, run.exitCode(), run.err());
            JsonNode result = new ObjectMapper().readTree(run.out());
            JsonNode analogies = result.get("analogies");
            assertEquals("gensim", analogies.get("mode").asText());
            assertEquals(Math.min(restrict, 59), analogies.get("restrict_vocab").asInt());
            JsonNode expected = reference.get("analogies " + restrict).get("sections");
            JsonNode sections = analogies.get("sections");
            assertEquals(2, sections.size());
            int skipped = 0;
            for (int s = 0; s < 2; s++) {
                String name = expected.get(s).get("section").asText();
                int correct = expected.get(s).get("correct").asInt();
                int evaluated = correct + expected.get(s).get("incorrect").asInt();
                int asked = reference.get("section_questions").get(name).asInt();
                assertEquals(name, sections.get(s).get("name").asText());
                assertEquals(correct, sections.get(s).get("correct").asInt(), name);
                assertEquals(evaluated, sections.get(s).get("evaluated").asInt(), name);
                assertEquals(asked - evaluated, sections.get(s).get("skipped").asInt(), name);
                skipped += asked - evaluated;
            }
            // One semantic section (capitals) and one syntactic (gram1): they are the semantic/syntactic totals.
            assertEquals(sections.get(0).get("correct"), analogies.get("semantic").get("correct"));
            assertEquals(sections.get(1).get("evaluated"), analogies.get("syntactic").get("evaluated"));
            JsonNode total = expected.get(2);
            assertEquals(total.get("correct").asInt(), analogies.get("total").get("correct").asInt());
            assertEquals(total.get("correct").asInt() + total.get("incorrect").asInt(),
                    analogies.get("total").get("evaluated").asInt());
            assertEquals(reference.get("analogies " + restrict).get("score").asDouble(),
                    analogies.get("total").get("accuracy").asDouble(), 1e-12);
            assertEquals(skipped, analogies.get("skipped").asInt());
        }

        // The same figures for people.
        CliRun people = CliRun.of("vectors", "eval", text.toString(), "--analogies", dir.resolve("questions.txt").toString(),
                "--no-progress");
        assertEquals(0, people.exitCode(), people.err());
        List<String> lines = people.outLines();
        assertEquals("vectors: " + text + " (59 words × 12)", lines.get(0));
        assertEquals("analogies: " + dir.resolve("questions.txt") + " (gensim: 59 most frequent words, case-insensitive, 3CosAdd)",
                lines.get(1));
        assertEquals("capital-common-countries      96.43%  (54 / 56, 16 skipped)", lines.get(2));
        assertEquals("gram1-adjective-to-adverb     83.33%  (25 / 30, 12 skipped)", lines.get(3));
        assertTrue(lines.get(6).startsWith("total "), lines.get(6));
        assertEquals("questions: 114, skipped (out of vocabulary): 28 (24.6%)", lines.get(7));
    }

    @Test
    void evalWordPairsMatchesGensim() throws IOException {
        CliRun run = CliRun.of("vectors", "eval", text.toString(), "--pairs", dir.resolve("pairs.tsv").toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertFalse(result.has("analogies"), "only --pairs: no analogies");
        JsonNode pairs = result.get("pairs").get(0);
        JsonNode expected = reference.get("pairs");
        assertEquals(expected.get("pearson").asDouble(), pairs.get("pearson").asDouble(), 1e-7);
        assertEquals(expected.get("spearman").asDouble(), pairs.get("spearman").asDouble(), 1e-7);
        assertEquals(expected.get("pearson_p").asDouble(), pairs.get("pearson_p").asDouble(), 1e-7);
        assertEquals(expected.get("spearman_p").asDouble(), pairs.get("spearman_p").asDouble(), 1e-7);
        assertEquals(expected.get("oov_percent").asDouble(), 100 * pairs.get("oov_ratio").asDouble(), 1e-9);
        assertEquals(13, pairs.get("pairs").asInt());
        assertEquals(1, pairs.get("oov_pairs").asInt());
    }

    @Test
    void evalFindsTheSharedQuestionsAndHasTheC30kMode() {
        // Without --analogies: ../shared/data/word-analogy/questions-words.txt (here through glossa.shared).
        Path questions = Path.of(System.getProperty("glossa.shared"), "data/word-analogy/questions-words.txt").normalize();
        CliRun run = CliRun.of("vectors", "eval", text.toString(), "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("analogies: " + questions + " (gensim: 59 most frequent words"), run.out());
        assertTrue(run.out().contains("questions: 19544, skipped (out of vocabulary): "), run.out());

        // word2vec.c's compute-accuracy: the CLI prints what the library's evaluation (tested against
        // compute-accuracy itself in glossa-embeddings) returns.
        CliRun c = CliRun.of("vectors", "eval", text.toString(), "--analogies", dir.resolve("questions.txt").toString(),
                "--mode", "c30k");
        assertEquals(0, c.exitCode(), c.err());
        Analogies.Result expected = Analogies.evaluateLikeWord2vecC(VectorFiles.read(text), dir.resolve("questions.txt"), 30000);
        assertTrue(c.out().contains("(word2vec.c: 59 most frequent words,"), c.out());
        String totalLine = c.outLines().stream().filter(l -> l.startsWith("total ")).findFirst().orElseThrow();
        assertTrue(totalLine.endsWith("(" + expected.total().correct() + " / " + expected.total().evaluated() + ", "
                + expected.total().skipped() + " skipped)"), totalLine);
    }

    @Test
    void convertWritesGensimsBytes() throws IOException {
        // gensim's binary (rows without line breaks) → text: byte for byte gensim's own text file.
        Path toText = temp.resolve("from-bin.txt");
        CliRun run = CliRun.of("vectors", "convert", binary.toString(), toText.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("read 59 vectors × 12 from " + binary + " (word2vec binary), wrote " + toText + " (word2vec text)\n",
                run.out());
        assertArrayEquals(Files.readAllBytes(text), Files.readAllBytes(toText));

        Path glove = temp.resolve("glove.txt");
        assertEquals(0, CliRun.of("vectors", "convert", text.toString(), glove.toString(), "--to", "glove").exitCode());
        assertArrayEquals(Files.readAllBytes(dir.resolve("vectors-noheader.txt")), Files.readAllBytes(glove));

        Path gensimBinary = temp.resolve("gensim-layout.bin");
        assertEquals(0, CliRun.of("vectors", "convert", glove.toString(), gensimBinary.toString(), "--no-line-breaks").exitCode());
        assertArrayEquals(Files.readAllBytes(binary), Files.readAllBytes(gensimBinary));

        // word2vec.c's binary layout (a line break after each row) reads back to the same vectors.
        Path cBinary = temp.resolve("c-layout.bin");
        assertEquals(0, CliRun.of("vectors", "convert", text.toString(), cBinary.toString()).exitCode());
        assertEquals(Files.size(binary) + 59, Files.size(cBinary));
        Path back = temp.resolve("back.txt");
        assertEquals(0, CliRun.of("vectors", "convert", cBinary.toString(), back.toString(), "--to", "text").exitCode());
        assertArrayEquals(Files.readAllBytes(text), Files.readAllBytes(back));

        Path limited = temp.resolve("limited.txt");
        assertEquals(0, CliRun.of("vectors", "convert", text.toString(), limited.toString(), "--limit", "10").exitCode());
        List<String> expected = Files.readAllLines(text).subList(1, 11);
        List<String> got = Files.readAllLines(limited);
        assertEquals("10 12", got.get(0));
        assertEquals(expected, got.subList(1, got.size()));
    }

    @Test
    void plotMatchesNumpyPcaAndWritesBothImageFormats() throws IOException {
        JsonNode pca = reference.get("pca");
        List<String> words = new ArrayList<>();
        pca.get("words").forEach(w -> words.add(w.asText()));
        Path svg = temp.resolve("map.svg");
        List<String> args = new ArrayList<>(List.of("vectors", "plot", text.toString()));
        args.addAll(words);
        args.addAll(List.of("--out", svg.toString(), "--title", "capitals & adverbs"));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.outLines();
        assertEquals(String.format(java.util.Locale.ROOT, "wrote %s: PC1 %.1f%%, PC2 %.1f%% of the variance", svg,
                100 * pca.get("variance_ratio").get(0).asDouble(), 100 * pca.get("variance_ratio").get(1).asDouble()), lines.get(0));
        for (int i = 0; i < words.size(); i++) {
            String[] fields = lines.get(i + 1).strip().split("\\s+");
            assertEquals(words.get(i), fields[2]);
            assertEquals(pca.get("points").get(i).get(0).asDouble(), Double.parseDouble(fields[0]), 5.1e-5, lines.get(i + 1));
            assertEquals(pca.get("points").get(i).get(1).asDouble(), Double.parseDouble(fields[1]), 5.1e-5, lines.get(i + 1));
        }
        String image = Files.readString(svg);
        assertTrue(image.startsWith("<?xml") || image.startsWith("<svg"), image.substring(0, 40));
        for (String word : words) {
            assertTrue(image.contains(">" + word + "<"), word);
        }
        assertTrue(image.contains("capitals &amp; adverbs"));

        Path png = temp.resolve("map.png");
        args.set(args.indexOf(svg.toString()), png.toString());
        assertEquals(0, CliRun.of(args.toArray(String[]::new)).exitCode());
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
    }

    @Test
    void badFilesAndWordsAreOneLine() throws IOException {
        Path missing = temp.resolve("missing.bin");
        CliRun run = CliRun.of("vectors", "similar", missing.toString(), "king");
        assertEquals(1, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("glossa: cannot read " + missing), run.err());

        CliRun unknown = CliRun.of("vectors", "analogy", text.toString(), "quick", "quickly", "zzzunknown");
        assertEquals(1, unknown.exitCode());
        assertEquals(1, unknown.errLines().size(), unknown.err());
        assertTrue(unknown.err().contains("zzzunknown"), unknown.err());

        // A binary file cut in the middle of a row.
        byte[] bytes = Files.readAllBytes(binary);
        Path truncated = Files.write(temp.resolve("truncated.bin"), Arrays.copyOf(bytes, bytes.length - 20));
        CliRun cut = CliRun.of("vectors", "similar", truncated.toString(), "Greece");
        assertEquals(1, cut.exitCode());
        assertEquals(1, cut.errLines().size(), cut.err());
        assertTrue(cut.err().startsWith("glossa: " + truncated), cut.err());

        // A header that promises more rows than the file has.
        List<String> lines = new ArrayList<>(Files.readAllLines(text));
        lines.set(0, "60 12");
        Path lying = Files.write(temp.resolve("lying.txt"), lines, StandardCharsets.UTF_8);
        CliRun lie = CliRun.of("vectors", "eval", lying.toString(), "--analogies", dir.resolve("questions.txt").toString());
        assertEquals(1, lie.exitCode());
        assertEquals(1, lie.errLines().size(), lie.err());
        assertTrue(lie.err().startsWith("glossa: " + lying) && lie.err().contains("60"), lie.err());

        CliRun noQuestions = CliRun.of("vectors", "eval", text.toString(), "--analogies", temp.resolve("none.txt").toString());
        assertEquals(1, noQuestions.exitCode());
        assertEquals(1, noQuestions.errLines().size(), noQuestions.err());

        // Usage errors.
        for (String[] args : List.of(
                new String[] {"vectors", "similar", text.toString()},
                new String[] {"vectors", "similar", text.toString(), "Greece", "--top-n", "0"},
                new String[] {"vectors", "analogy", text.toString(), "a", "b"},
                new String[] {"vectors", "eval", text.toString(), "--mode", "c30k", "--cosmul"},
                new String[] {"vectors", "eval", text.toString(), "--mode", "fasttext"},
                new String[] {"vectors", "convert", text.toString(), "x.txt", "--to", "hdf5"},
                new String[] {"vectors", "plot", text.toString(), "Greece", "Athens", "Paris", "--out", "map.jpg"},
                new String[] {"vectors", "plot", text.toString(), "Greece", "Athens", "--out", "map.png"})) {
            CliRun usage = CliRun.of(args);
            assertEquals(2, usage.exitCode(), String.join(" ", args) + "\n" + usage.err());
            assertTrue(usage.err().startsWith("glossa: "), usage.err());
        }
        assertFalse(Files.exists(Path.of("map.jpg")));
    }

    @Test
    void loadedVectorsAreTheFixture() {
        // Guards the fixture itself: gensim wrote 59 rows of 12, Paris before paris.
        KeyedVectors vectors = VectorFiles.read(text);
        assertEquals(reference.get("words").asInt(), vectors.size());
        assertEquals(reference.get("dimension").asInt(), vectors.dimension());
        assertTrue(vectors.indexOf("Paris") < vectors.indexOf("paris"));
    }
}
