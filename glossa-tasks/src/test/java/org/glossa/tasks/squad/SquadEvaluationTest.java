package org.glossa.tasks.squad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java port of evaluate-v2.0.py against reference figures.
 *
 * <p>How the references were made: the headline EM/F1 are the official ones (SOURCES.md: the official
 * script gives BERT 78.742 / 81.775 and BiDAF 65.704 / 67.876 on this dev file). Every other figure, and the
 * exact JSON text, comes from a clean-room Python 3.11 scorer written from the script's documented behaviour
 * (kept outside the repository, /tmp/squad_ref/ref_eval.py), which reproduces those headline figures, run
 * on the shared dev set and reference predictions. Its made-up no-answer probabilities are functions of the
 * question id, computed the same way here ({@link #unit}): "uniform" is u(id) with threshold 0.5; "steps" is
 * floor(32 * (u/2 + (0.5 if the prediction is "" else 0))) / 32 with threshold 1.0, whose many ties make
 * best_* depend on walking ties in file order (reversing the order changes best_f1 to 81.7949 for BERT).
 */
@Tag("unit")
class SquadEvaluationTest {
    @TempDir Path temp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "bert|none|{\"exact\": 78.74168280973637, \"f1\": 81.77528052374723, \"total\": 11873, \"HasAns_exact\": 74.10593792172739,"
                + " \"HasAns_f1\": 80.18183293833508, \"HasAns_total\": 5928, \"NoAns_exact\": 83.36417157275021,"
                + " \"NoAns_f1\": 83.36417157275021, \"NoAns_total\": 5945}",
        "bert|uniform|{\"exact\": 65.1730817821949, \"f1\": 66.68280416975117, \"total\": 11873, \"HasAns_exact\": 38.782051282051285,"
                + " \"HasAns_f1\": 41.80582555793783, \"HasAns_total\": 5928, \"NoAns_exact\": 91.48864592094196,"
                + " \"NoAns_f1\": 91.48864592094196, \"NoAns_total\": 5945, \"best_exact\": 78.74168280973637,"
                + " \"best_exact_thresh\": 0.9998355824500322, \"best_f1\": 81.77528052374687, \"best_f1_thresh\": 0.9998355824500322}",
        "bert|steps|{\"exact\": 78.74168280973637, \"f1\": 81.77528052374723, \"total\": 11873, \"HasAns_exact\": 74.10593792172739,"
                + " \"HasAns_f1\": 80.18183293833508, \"HasAns_total\": 5928, \"NoAns_exact\": 83.36417157275021,"
                + " \"NoAns_f1\": 83.36417157275021, \"NoAns_total\": 5945, \"best_exact\": 78.74168280973637,"
                + " \"best_exact_thresh\": 0.46875, \"best_f1\": 81.77528052374691, \"best_f1_thresh\": 0.46875}",
        "bidaf|none|{\"exact\": 65.70369746483618, \"f1\": 67.87648921451334, \"total\": 11873, \"HasAns_exact\": 61.42037786774629,"
                + " \"HasAns_f1\": 65.77219238257676, \"HasAns_total\": 5928, \"NoAns_exact\": 69.97476871320437,"
                + " \"NoAns_f1\": 69.97476871320437, \"NoAns_total\": 5945}",
        "bidaf|uniform|{\"exact\": 58.40141497515371, \"f1\": 59.50928335627052, \"total\": 11873, \"HasAns_exact\": 31.916329284750336,"
                + " \"HasAns_f1\": 34.135243132422296, \"HasAns_total\": 5928, \"NoAns_exact\": 84.8107653490328,"
                + " \"NoAns_f1\": 84.8107653490328, \"NoAns_total\": 5945, \"best_exact\": 65.71211993598922,"
                + " \"best_exact_thresh\": 0.9788721243385226, \"best_f1\": 67.87648921451351, \"best_f1_thresh\": 0.9995260604191571}",
        "bidaf|steps|{\"exact\": 65.70369746483618, \"f1\": 67.87648921451334, \"total\": 11873, \"HasAns_exact\": 61.42037786774629,"
                + " \"HasAns_f1\": 65.77219238257676, \"HasAns_total\": 5928, \"NoAns_exact\": 69.97476871320437,"
                + " \"NoAns_f1\": 69.97476871320437, \"NoAns_total\": 5945, \"best_exact\": 65.77949970521351,"
                + " \"best_exact_thresh\": 0.46875, \"best_f1\": 67.95229145489084, \"best_f1_thresh\": 0.46875}",
    })
    void reproducesTheReferenceFiguresOnTheDevSet(String model, String naMode, String expectedJson) {
        List<SquadExample> dev = SquadTestData.read(SquadTestData.DEV);
        Map<String, String> predictions = SquadEvaluation.readPredictions(SquadTestData.shared(
                model.equals("bert") ? SquadTestData.BERT_PREDICTIONS : SquadTestData.BIDAF_PREDICTIONS));
        Map<String, Double> naProbs = null;
        double threshold = 1.0;
        if (naMode.equals("uniform")) {
            naProbs = new LinkedHashMap<>();
            for (SquadExample example : dev) {
                naProbs.put(example.id(), unit(example.id()));
            }
            threshold = 0.5;
        } else if (naMode.equals("steps")) {
            naProbs = new LinkedHashMap<>();
            for (SquadExample example : dev) {
                boolean abstains = predictions.get(example.id()).isEmpty();
                naProbs.put(example.id(), (int) (32 * (unit(example.id()) / 2 + (abstains ? 0.5 : 0.0))) / 32.0);
            }
        }
        SquadEvaluation.Scores scores = SquadEvaluation.evaluate(dev, predictions, naProbs, threshold);
        assertEquals(expectedJson, scores.toJsonLine());
        if (naMode.equals("none")) {
            // The official figures, to the third decimal.
            assertEquals(model.equals("bert") ? "78.742 81.775" : "65.704 67.876",
                    String.format(java.util.Locale.ROOT, "%.3f %.3f", scores.exact(), scores.f1()));
            assertNull(scores.best());
        }
    }

    @Test
    void printsWhatTheScriptPrints() {
        SquadExample answerable = example("q1", "Denver Broncos", "the Broncos");
        SquadExample impossible = example("q2");
        SquadEvaluation.Scores scores = SquadEvaluation.evaluate(List.of(answerable, impossible),
                Map.of("q1", "Denver Broncos!", "q2", "Broncos"), null, 1.0);
        // json.dumps(out_eval, indent=2) of the clean-room scorer on the same two questions.
        assertEquals("""
                {
                  "exact": 50.0,
                  "f1": 50.0,
                  "total": 2,
                  "HasAns_exact": 100.0,
                  "HasAns_f1": 100.0,
                  "HasAns_total": 1,
                  "NoAns_exact": 0.0,
                  "NoAns_f1": 0.0,
                  "NoAns_total": 1
                }""", scores.toJson());
        // Without questions of a kind, the script leaves that kind's keys out.
        SquadEvaluation.Scores onlyAnswerable = SquadEvaluation.evaluate(List.of(answerable), Map.of("q1", "x"), null, 1.0);
        assertEquals("{\"exact\": 0.0, \"f1\": 0.0, \"total\": 1, \"HasAns_exact\": 0.0, \"HasAns_f1\": 0.0, \"HasAns_total\": 1}",
                onlyAnswerable.toJsonLine());
    }

    /** The best threshold on a hand-checked case: answer only the two questions with the lowest probabilities. */
    @Test
    void findsTheBestThresholdOnAHandMadeCase() {
        List<SquadExample> dataset = List.of(example("a", "Paris"), example("b", "blue whale"), example("c"), example("d"));
        Map<String, String> predictions = Map.of("a", "Paris", "b", "whale", "c", "something", "d", "");
        Map<String, Double> naProbs = new LinkedHashMap<>(Map.of("a", 0.1, "b", 0.3, "c", 0.6, "d", 0.2));
        SquadEvaluation.Scores scores = SquadEvaluation.evaluate(dataset, predictions, naProbs, 0.5);
        // Threshold 0.5: c is predicted unanswerable (right), a, b, d answered: a right, b half (F1 2/3), d "" right.
        assertEquals(75.0, scores.exact(), 1e-12);
        assertEquals(100.0 * (1 + 2.0 / 3 + 1 + 1) / 4, scores.f1(), 1e-12);
        // Walk a(0.1): 2 no-answers + 1; d(0.2): + 0 -> 3; b(0.3): exact + 0, f1 + 2/3; c(0.6): -1.
        assertEquals(75.0, scores.best().exact(), 1e-12);
        assertEquals(0.1, scores.best().exactThreshold());
        assertEquals(100.0 * (3 + 2.0 / 3) / 4, scores.best().f1(), 1e-12);
        assertEquals(0.3, scores.best().f1Threshold());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Denver Broncos|the Denver Broncos.|1.0|1.0",
        "Denver Broncos|Broncos|0.0|0.6666666666666666",
        "the|''|1.0|1.0",
        "''|Paris|0.0|0.0",
        "b c b|b|0.0|0.5",
        "x y x|x x|0.0|0.8",
    })
    void exactMatchAndF1(String gold, String prediction, double exact, double f1) {
        assertEquals(exact, SquadEvaluation.exactMatch(gold, prediction));
        assertEquals(f1, SquadEvaluation.f1(gold, prediction), 1e-15);
    }

    /**
     * normalize_answer on texts where Python's Unicode semantics matter (lower(), split() on any Unicode space,
     * \b with Python's \w); expected values printed by Python 3.11 (Unicode 14) running the clean-room scorer.
     */
    @Test
    void normalisesAsPythonDoes() {
        String[][] cases = {
            {"The Café", "café"}, {"İstanbul", "i\u0307stanbul"}, {"ΟΔΟΣ ΣΑΣ", "οδος σας"}, {"a\u00a0b", "b"},
            {"the\u0301 cat", "\u0301 cat"}, {"an_apple", "anapple"}, {"x\u2009y\u200bz", "x y\u200bz"}, {"Straße", "straße"},
            {"ǅungla", "ǆungla"}, {"١٢٣ the", "١٢٣"}, {"The  (a)  Answer!", "answer"}, {"A.N. Other", "other"},
            {"the-end", "theend"}, {"«the» “an” ‘a’", "« » “ ” ‘ ’"}, {"a\u2028the\u3000an\u0085z", "z"},
            {"\ufb01ne tuning", "\ufb01ne tuning"}, {"Ⅻ the", "ⅻ"}, {"an\ud835\udc00 the \ud835\udc00", "an\ud835\udc00 \ud835\udc00"},
            {"\t the\u001cend", "end"}, {"THE", ""},
        };
        for (String[] c : cases) {
            assertEquals(c[1], SquadEvaluation.normalizeAnswer(c[0]), c[0]);
        }
    }

    /**
     * All 44,048 texts of the dev set's answers and the two prediction files, normalised and joined by "\n":
     * SHA-256 7c6105e9… as computed by Python (9,370 of them change beyond lower-casing and spacing).
     */
    @Test
    void normalisesEveryDevTextAsPythonDoes() throws Exception {
        List<String> texts = new ArrayList<>();
        for (SquadExample example : SquadTestData.read(SquadTestData.DEV)) {
            example.answers().forEach(a -> texts.add(a.text()));
        }
        texts.addAll(SquadEvaluation.readPredictions(SquadTestData.shared(SquadTestData.BERT_PREDICTIONS)).values());
        texts.addAll(SquadEvaluation.readPredictions(SquadTestData.shared(SquadTestData.BIDAF_PREDICTIONS)).values());
        assertEquals(44_048, texts.size());
        StringBuilder joined = new StringBuilder();
        for (String text : texts) {
            joined.append(joined.isEmpty() ? "" : "\n").append(SquadEvaluation.normalizeAnswer(text));
        }
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(joined.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals("7c6105e9e19490f7620449b67ca9bddc4e992e6733e27fc1e10a4e35facc356a", HexFormat.of().formatHex(digest));
    }

    /** repr(float) of Python 3.11 for doubles given by their bits (fixed cases, then random.Random(7) draws). */
    @Test
    void formatsFloatsAsPythonRepr() {
        Object[][] cases = {
            {4591870180066957722L, "0.1"}, {4846369599423283200L, "1e+16"}, {4532020583610935537L, "1e-05"},
            {4862596447618666293L, "1.2345678901234568e+17"}, {1L, "5e-324"}, {9218868437227405311L, "1.7976931348623157e+308"},
            {4599075939470750515L, "0.3"}, {4604180019048437077L, "0.6666666666666666"}, {4636737291354636288L, "100.0"},
            {4831355200913801216L, "1000000000000000.0"}, {4846369599423283199L, "9999999999999998.0"},
            {-4676364914835832019L, "-0.0001"}, {4548482861544840553L, "0.00012"},
            {-961714352381578184L, "-1.989032661366619e+244"}, {7283207964119141687L, "7.761117632285041e+178"},
            {890727360438182992L, "3.980498358697587e-249"}, {-3296907451188957389L, "-1.5432835417340557e+88"},
            {1736392818365009963L, "1.3647584518757569e-192"}, {-7696202761429464584L, "-1.3701135617873088e-206"},
            {-1665666021688015755L, "-1.7160537630466207e+197"}, {3960482443532127989L, "6.294675241195386e-44"},
            {1585446675937841368L, "1.0613447212142254e-202"}, {7713914763314685786L, "4.708325160387546e+207"},
            {4499870554690722088L, "6.985542357461893e-08"}, {4498416019150086282L, "5.5104725379138576e-08"},
            {4530998498957149463L, "8.268521246720382e-06"}, {4786080712588291993L, "947449700707.4874"},
            {4499333179507318289L, "6.274332224055893e-08"}, {4663067328725380416L, "5771.029486174986"},
            {4572367280734258522L, "0.0049589313389771465"}, {4871166141406660098L, "4.6582680617756275e+17"},
            {4668546977288687322L, "13317.48164416051"}, {4519419080331544290L, "1.4425508335743754e-06"},
        };
        for (Object[] c : cases) {
            assertEquals(c[1], PythonText.formatFloat(Double.longBitsToDouble((Long) c[0])), c[1].toString());
        }
        assertEquals("0.0", PythonText.formatFloat(0.0));
        assertEquals("-0.0", PythonText.formatFloat(-0.0));
    }

    @Test
    void refusesIncompleteInput() throws Exception {
        List<SquadExample> dataset = List.of(example("a", "Paris"), example("b"), example("c"));
        GlossaException missing = assertThrows(GlossaException.class,
                () -> SquadEvaluation.evaluate(dataset, Map.of("a", "Paris", "z", ""), null, 1.0));
        assertEquals("no prediction for question b (2 of 3 questions have none)", missing.getMessage());
        GlossaException noProb = assertThrows(GlossaException.class,
                () -> SquadEvaluation.evaluate(dataset, Map.of("a", "", "b", "", "c", ""), Map.of("a", 0.5, "b", 0.1), 1.0));
        assertEquals("no no-answer probability for question c", noProb.getMessage());

        Path predictions = Files.writeString(temp.resolve("pred.json"), "{\"a\": \"Paris\", \"b\": 3}");
        GlossaException notText = assertThrows(GlossaException.class, () -> SquadEvaluation.readPredictions(predictions));
        assertEquals(predictions + ": the prediction for \"b\" must be a string, got 3", notText.getMessage());
        Path list = Files.writeString(temp.resolve("list.json"), "[\"Paris\"]");
        assertTrue(assertThrows(GlossaException.class, () -> SquadEvaluation.readPredictions(list)).getMessage()
                .endsWith("list.json is not a predictions file: expected one JSON object of question id to value"));
        Path broken = Files.writeString(temp.resolve("broken.json"), "{\"a\": \"Paris\",\n \"b\" 0.5}");
        String brokenMessage = assertThrows(GlossaException.class, () -> SquadEvaluation.readNaProbs(broken)).getMessage();
        assertTrue(brokenMessage.startsWith(broken + " is not valid JSON at line 2, column 6: "), brokenMessage);
        Path odds = Files.writeString(temp.resolve("odds.json"), "{\"a\": -1.5, \"b\": \"x\"}");
        assertEquals(odds + ": the no-answer probability of \"b\" must be a number, got \"x\"",
                assertThrows(GlossaException.class, () -> SquadEvaluation.readNaProbs(odds)).getMessage());
        assertEquals("no-answer probability file not found: " + temp.resolve("none.json"),
                assertThrows(GlossaException.class, () -> SquadEvaluation.readNaProbs(temp.resolve("none.json"))).getMessage());
        // Numbers keep the file's order (ties of find_best_thresh are walked in it).
        Path ordered = Files.writeString(temp.resolve("ordered.json"), "{\"z\": 1, \"a\": 0.25, \"m\": 1e-3}");
        assertEquals(List.of("z", "a", "m"), List.copyOf(SquadEvaluation.readNaProbs(ordered).keySet()));
        assertEquals(0.001, SquadEvaluation.readNaProbs(ordered).get("m"));
    }

    /** A made-up probability in [0, 1) from a question id: the first 4 bytes of SHA-256(id) over 2^32 (as in Python). */
    static double unit(String id) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            long high = ((hash[0] & 0xFFL) << 24) | ((hash[1] & 0xFFL) << 16) | ((hash[2] & 0xFFL) << 8) | (hash[3] & 0xFFL);
            return high / 4294967296.0;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SquadExample example(String id, String... answers) {
        String context = String.join(" ", answers) + " context";
        List<SquadExample.Answer> list = new ArrayList<>();
        for (String answer : answers) {
            list.add(new SquadExample.Answer(answer, context.indexOf(answer)));
        }
        return new SquadExample(id, "", context, "?", list, answers.length == 0);
    }
}
