package org.glossa.embeddings.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.glossa.core.GlossaException;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.eval.Analogies.Outcome;
import org.glossa.embeddings.eval.Analogies.Result;
import org.glossa.embeddings.eval.Analogies.Score;
import org.glossa.embeddings.io.VectorFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class AnalogiesTest {
    @TempDir
    Path temp;

    static Path resource(String name) {
        try {
            return Path.of(AnalogiesTest.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("missing test resource " + name, e);
        }
    }

    static Path questionsWords() {
        String shared = System.getProperty("glossa.shared");
        assertTrue(shared != null, "the glossa.shared system property (set by surefire) is missing");
        Path path = Path.of(shared, "data", "word-analogy", "questions-words.txt");
        assertTrue(Files.isRegularFile(path), "missing shared data file " + path);
        return path;
    }

    /**
     * Man/woman, king/queen, boy/girl in 3-D: gender along x, royalty along y, age along z, so that
     * king − man + woman is queen exactly. "King" (row 0) and "GIRL" are case variants.
     */
    private static KeyedVectors family() {
        List<String> words = List.of("King", "man", "woman", "king", "queen", "boy", "girl", "GIRL", "apple");
        float[][] v = {
            {1, 2, 1}, // King: the most frequent form of KING
            {1, 0, 1}, {-1, 0, 1}, {1, 2, 1.1f}, {-1, 2, 1}, {1, 0, -1}, {-1, 0, -1}, {-1, 0, -0.9f}, {0, -3, 0},
        };
        float[] flat = new float[words.size() * 3];
        for (int i = 0; i < v.length; i++) {
            System.arraycopy(v[i], 0, flat, 3 * i, 3);
        }
        return new KeyedVectors(words, flat, 3, null);
    }

    private Path questions(String text) throws IOException {
        Path path = temp.resolve("questions.txt");
        Files.writeString(path, text);
        return path;
    }

    @Test
    void answersKnownAnalogiesWithGensimsCaseRules() throws IOException {
        Path file = questions("""
                : family
                man woman king queen
                man woman boy girl
                woman man queen king
                man woman prince princess
                this line is not a question
                : gram-age
                man boy woman girl
                boy man girl woman
                """);
        Result result = Analogies.evaluate(family(), file, Analogies.Options.defaults().withKeepOutcomes(true));
        assertEquals("gensim", result.mode());
        assertEquals(6, result.questions());
        assertEquals(1, result.skipped()); // prince/princess
        assertEquals(1 / 6.0, result.oovRatio(), 1e-12);
        assertEquals(List.of("family", "gram-age"), result.sections().stream().map(Score::name).toList());
        assertEquals(new Score("family", 3, 3, 1, 1.0), result.sections().get(0));
        assertEquals(new Score("gram-age", 2, 2, 0, 1.0), result.sections().get(1));
        assertEquals(new Score("semantic", 3, 3, 1, 1.0), result.semantic());
        assertEquals(new Score("syntactic", 2, 2, 0, 1.0), result.syntactic());
        assertEquals(5, result.total().correct());
        // Upper-cased matching: KING stands for "King" (row 0); the answer to woman:man::queen:? is KING.
        Outcome reversed = result.outcomes().get(2);
        assertEquals(new Outcome("family", "WOMAN", "MAN", "QUEEN", "KING", "KING", true), reversed);
        // man:woman::boy:? → girl (row 6) or GIRL (row 7): both read GIRL.
        assertEquals("GIRL", result.outcomes().get(1).predicted());
    }

    @Test
    void caseSensitiveAndRestrictedVocabularies() throws IOException {
        Path file = questions(": family\nman woman King queen\nman woman king queen\n");
        Result sensitive = Analogies.evaluate(family(), file, Analogies.Options.defaults().withCaseInsensitive(false)
                .withKeepOutcomes(true));
        assertEquals(2, sensitive.total().evaluated());
        // King − man + woman = (−1, 2, 1) = queen; king is (1, 2, 1.1): the same answer.
        assertEquals(2, sensitive.total().correct());
        Result restricted = Analogies.evaluate(family(), file, Analogies.Options.defaults().withRestrictVocab(4));
        assertEquals(2, restricted.skipped()); // queen is row 4: outside the first four rows
        assertEquals(0, restricted.total().evaluated());
        assertEquals(0, restricted.total().accuracy());
    }

    @Test
    void cosMulScoresByTheProductOfShiftedCosines() throws IOException {
        Path file = questions(": family\nman woman king queen\nman boy woman girl\n");
        Result result = Analogies.evaluate(family(), file, Analogies.Options.defaults().withMethod(Analogies.Method.COS_MUL)
                .withKeepOutcomes(true));
        assertEquals("COS_MUL", result.method());
        // man:boy::woman:? → girl. But man:woman::King:? → girl too: cos(girl, man) = −1 leaves only the 1e-6 in
        // the denominator, so girl scores (1 + 0) / 2 × (1 − 1/√3) / 2 / 1e-6 ≈ 1e5 against queen's ≈ 1.3.
        assertEquals(List.of("GIRL", "GIRL"), result.outcomes().stream().map(Outcome::predicted).toList());
        assertEquals(1, result.total().correct());
    }

    @Test
    void aQuestionBeforeAnySectionIsAnError() throws IOException {
        Path file = questions("man woman king queen\n: family\n");
        var e = assertThrows(GlossaException.class, () -> Analogies.evaluate(family(), file));
        assertTrue(e.getMessage().contains("questions.txt: line 1"), e.getMessage());
        Path latin1 = temp.resolve("latin1.txt");
        Files.write(latin1, ": s\ncaf\u00e9 a b c\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThrows(GlossaException.class, () -> Analogies.evaluate(family(), latin1));
    }

    /** gensim 4.2's evaluate_word_analogies on a word2vec.c model (eval/gensim-analogies.json): counts and questions match. */
    @Test
    void matchesGensimOnQuestionsWords() throws IOException {
        KeyedVectors kv = VectorFiles.read(resource("/org/glossa/embeddings/io/word2vec-c.bin"));
        JsonNode gensim = new ObjectMapper().readTree(resource("gensim-analogies.json").toFile());
        for (int restrict : new int[] {300_000, 1000}) {
            JsonNode expected = gensim.get(Integer.toString(restrict));
            Result result = Analogies.evaluate(kv, questionsWords(),
                    Analogies.Options.defaults().withRestrictVocab(restrict).withKeepOutcomes(true));
            JsonNode sections = expected.get("sections");
            // gensim lists every section, then its total
            assertEquals(sections.size() - 1, result.sections().size());
            for (int s = 0; s < result.sections().size(); s++) {
                JsonNode section = sections.get(s);
                Score score = result.sections().get(s);
                assertEquals(section.get("section").asText(), score.name());
                assertEquals(section.get("correct").asInt(), score.correct(), restrict + " " + score.name());
                assertEquals(section.get("correct").asInt() + section.get("incorrect").asInt(), score.evaluated(),
                        restrict + " " + score.name());
                Set<String> gensimCorrect = new HashSet<>();
                section.get("correctQuestions").forEach(q -> gensimCorrect.add(q.asText()));
                Set<String> ours = new HashSet<>();
                for (Outcome o : result.outcomes()) {
                    if (o.correct() && o.section().equals(score.name())) {
                        ours.add(String.join(" ", o.a(), o.b(), o.c(), o.expected()));
                    }
                }
                assertEquals(gensimCorrect, ours, restrict + " " + score.name());
            }
            assertEquals(expected.get("score").asDouble(), result.total().accuracy(), 1e-12);
            assertEquals(19544, result.questions());
        }
    }

    /** word2vec.c's compute-accuracy output on the same model (eval/compute-accuracy-*.txt). */
    @Test
    void matchesComputeAccuracy() throws IOException {
        KeyedVectors kv = VectorFiles.read(resource("/org/glossa/embeddings/io/word2vec-c.bin"));
        for (int threshold : new int[] {30000, 1000}) {
            List<String> lines = Files.readAllLines(resource("compute-accuracy-" + threshold + ".txt"));
            Result result = Analogies.evaluateLikeWord2vecC(kv, questionsWords(), threshold);
            assertEquals("word2vec.c", result.mode());
            List<String[]> expected = new ArrayList<>(); // name, correct, evaluated
            Pattern accuracy = Pattern.compile("ACCURACY TOP1: .* \\((\\d+) / (\\d+)\\)");
            String name = null;
            for (String line : lines) {
                Matcher m = accuracy.matcher(line);
                if (line.endsWith(":") && !line.contains(" ")) {
                    name = line.substring(0, line.length() - 1);
                } else if (m.find()) {
                    expected.add(new String[] {name, m.group(1), m.group(2)});
                }
            }
            assertEquals(expected.size(), result.sections().size());
            for (int s = 0; s < expected.size(); s++) {
                Score score = result.sections().get(s);
                assertEquals(expected.get(s)[0], score.name());
                assertEquals(Integer.parseInt(expected.get(s)[1]), score.correct(), threshold + " " + score.name());
                // compute-accuracy prints a section without questions as 0 / 1 (it bumps the count to 1 to divide)
                assertEquals(Integer.parseInt(expected.get(s)[2]), Math.max(1, score.evaluated()), threshold + " " + score.name());
            }
            String last = lines.get(lines.size() - 1); // Questions seen / total: 1917 19544   9.81 %
            Matcher seen = Pattern.compile("Questions seen / total: (\\d+) (\\d+)").matcher(last);
            assertTrue(seen.find(), last);
            assertEquals(Integer.parseInt(seen.group(1)), result.total().evaluated());
            assertEquals(Integer.parseInt(seen.group(2)), result.questions());
            Matcher totals = Pattern.compile("Total accuracy: ([\\d.]+) %   Semantic accuracy: ([\\d.]+) %   Syntactic accuracy: ([\\d.]+) %")
                    .matcher(lines.get(lines.size() - 2));
            assertTrue(totals.find());
            assertEquals(Double.parseDouble(totals.group(1)), 100 * result.total().accuracy(), 0.005);
            assertEquals(Double.parseDouble(totals.group(2)), 100 * result.semantic().accuracy(), 0.005);
            assertEquals(Double.parseDouble(totals.group(3)), 100 * result.syntactic().accuracy(), 0.005);
        }
    }

    @Test
    void resultsSerialiseToJson() throws Exception {
        Path file = questions(": family\nman woman king queen\n");
        Result result = Analogies.evaluate(family(), file);
        String json = new ObjectMapper().writeValueAsString(result);
        JsonNode node = new ObjectMapper().readTree(json);
        assertEquals(1, node.get("total").get("correct").asInt());
        assertEquals("family", node.get("sections").get(0).get("name").asText());
        assertFalse(result.summary().isEmpty());
    }
}
