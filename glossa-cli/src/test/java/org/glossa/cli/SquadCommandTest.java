package org.glossa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code glossa squad eval}: the official script's JSON and a table, and one-line errors on bad input. */
@Tag("unit")
class SquadCommandTest {
    /** Two questions: one answerable (two gold answers), one not. */
    static final String DATA = """
            {"version": "v2.0", "data": [{"title": "Super_Bowl", "paragraphs": [{
              "context": "The Denver Broncos defeated the Carolina Panthers.",
              "qas": [{"id": "q1", "question": "Who won?", "answers": [{"text": "Denver Broncos", "answer_start": 4},
                       {"text": "The Denver Broncos", "answer_start": 0}]},
                      {"id": "q2", "question": "Who sang?", "answers": [], "is_impossible": true}]}]}]}""";

    @TempDir Path temp;

    @Test
    void printsTheScriptsJsonAndATable() throws Exception {
        Path data = Files.writeString(temp.resolve("dev.json"), DATA);
        Path predictions = Files.writeString(temp.resolve("pred.json"), "{\"q1\": \"Broncos\", \"q2\": \"Panthers\"}");
        Path naProbs = Files.writeString(temp.resolve("odds.json"), "{\"q1\": -2.5, \"q2\": 3.0}");
        Path out = temp.resolve("scores/out.json");
        CliRun run = CliRun.of("squad", "eval", "--data", data.toString(), "--predictions", predictions.toString(),
                "--na-probs", naProbs.toString(), "--na-prob-thresh", "0", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        // Threshold 0 makes q2 "no answer" (right); q1 "Broncos" vs "Denver Broncos": F1 2/3. Walking the
        // thresholds: q1 (-2.5) adds 2/3 to the no-answer count 1, q2 (3.0) takes 1 away.
        assertEquals(List.of(
                "{",
                "  \"exact\": 50.0,",
                "  \"f1\": 83.33333333333333,",
                "  \"total\": 2,",
                "  \"HasAns_exact\": 0.0,",
                "  \"HasAns_f1\": 66.66666666666666,",
                "  \"HasAns_total\": 1,",
                "  \"NoAns_exact\": 100.0,",
                "  \"NoAns_f1\": 100.0,",
                "  \"NoAns_total\": 1,",
                "  \"best_exact\": 50.0,",
                "  \"best_exact_thresh\": 0.0,",
                "  \"best_f1\": 83.33333333333333,",
                "  \"best_f1_thresh\": -2.5",
                "}",
                "",
                "               exact       f1  questions",
                "all           50.000   83.333          2",
                "has answer     0.000   66.667          1",
                "no answer    100.000  100.000          1",
                "best          50.000   83.333  (thresholds 0.000 and -2.500)"), run.outLines());
        assertEquals("{\"exact\": 50.0, \"f1\": 83.33333333333333, \"total\": 2, \"HasAns_exact\": 0.0, \"HasAns_f1\":"
                + " 66.66666666666666, \"HasAns_total\": 1, \"NoAns_exact\": 100.0, \"NoAns_f1\": 100.0, \"NoAns_total\": 1,"
                + " \"best_exact\": 50.0, \"best_exact_thresh\": 0.0, \"best_f1\": 83.33333333333333, \"best_f1_thresh\": -2.5}",
                Files.readString(out));
    }

    /** The official figures of the BERT leaderboard predictions on the shared dev set (skipped without ../shared). */
    @Test
    void scoresTheReferencePredictionsOnTheDevSet() {
        String shared = System.getProperty("glossa.shared");
        assumeTrue(shared != null, "glossa.shared is not set: shared data unavailable");
        Path dev = Path.of(shared, "data/squad2/dev-v2.0.reconstructed.json");
        Path bert = Path.of(shared, "data/squad2/reference-predictions/bert-single-google-ai-language.json");
        assumeTrue(Files.isRegularFile(dev) && Files.isRegularFile(bert), "shared SQuAD data missing: " + dev);
        CliRun run = CliRun.of("squad", "eval", "--data", dev.toString(), "--predictions", bert.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.outLines().contains("  \"exact\": 78.74168280973637,"), run.out());
        assertTrue(run.outLines().contains("  \"f1\": 81.77528052374723,"), run.out());
        assertTrue(run.outLines().contains("all           78.742   81.775      11873"), run.out());
        assertTrue(run.out().indexOf("best") < 0, "no best_* without --na-probs, as the script");
    }

    @Test
    void badInputIsOneLineAndExitOne() throws Exception {
        Path data = Files.writeString(temp.resolve("dev.json"), DATA);
        Path predictions = Files.writeString(temp.resolve("pred.json"), "{\"q1\": \"Broncos\", \"q2\": \"\"}");
        Path missing = temp.resolve("nope.json");

        CliRun noData = CliRun.of("squad", "eval", "--data", missing.toString(), "--predictions", predictions.toString());
        assertEquals(1, noData.exitCode());
        assertEquals(List.of("glossa: SQuAD file not found: " + missing), noData.errLines());

        Path broken = Files.writeString(temp.resolve("broken.json"), "{\"q1\": \"Broncos\",, }");
        CliRun malformed = CliRun.of("squad", "eval", "--data", data.toString(), "--predictions", broken.toString());
        assertEquals(1, malformed.exitCode());
        assertEquals(1, malformed.errLines().size(), malformed.err());
        assertTrue(malformed.err().startsWith("glossa: " + broken + " is not valid JSON at line 1, column 18: "), malformed.err());

        Path badData = Files.writeString(temp.resolve("bad.json"), DATA.replace("\"answer_start\": 4", "\"answer_start\": 5"));
        CliRun mismatch = CliRun.of("squad", "eval", "--data", badData.toString(), "--predictions", predictions.toString());
        assertEquals(1, mismatch.exitCode());
        assertEquals(List.of("glossa: " + badData + ": article 1 (\"Super_Bowl\"), paragraph 1, question q1: answer 1:"
                + " answer_start 5 does not match the answer text \"Denver Broncos\": the context has \"enver Broncos \" there"),
                mismatch.errLines());

        Path partial = Files.writeString(temp.resolve("partial.json"), "{\"q1\": \"Broncos\"}");
        CliRun incomplete = CliRun.of("squad", "eval", "--data", data.toString(), "--predictions", partial.toString());
        assertEquals(1, incomplete.exitCode());
        assertEquals(List.of("glossa: no prediction for question q2 (1 of 2 questions have none)"), incomplete.errLines());

        CliRun usage = CliRun.of("squad", "eval", "--data", data.toString());
        assertEquals(2, usage.exitCode());
        assertTrue(usage.err().startsWith("glossa: Missing required option: '--predictions=PRED.json'"), usage.err());

        CliRun directory = CliRun.of("squad", "eval", "--data", data.toString(), "--predictions", predictions.toString(),
                "--out", temp.toString());
        assertEquals(2, directory.exitCode());
        assertTrue(directory.err().startsWith("glossa: --out must name a file, but " + temp + " is a directory"), directory.err());
    }
}
