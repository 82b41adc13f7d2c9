package org.glossa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.pytorch.global.torch;
import org.glossa.models.bert.Bert;
import org.glossa.models.bert.BertConfig;
import org.glossa.tasks.squad.ShippedReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glossa squad train|predict} and {@code glossa qa} end to end on a tiny random BERT with MiniLM's
 * tokenizer (a few steps: the answers are not the point, the files and messages are), and their one-line errors.
 */
@Tag("model")
class QaCommandTest {
    static final String CONTEXT = "The story focuses on Link, who tries to prevent Hyrule from being engulfed by the Twilight"
            + " Realm. He is assisted by a mysterious creature named Midna.";
    /** Three questions on one paragraph, one of them unanswerable, in SQuAD 2.0's layout. */
    static final String DATA = """
            {"version": "v2.0", "data": [{"title": "Zelda", "paragraphs": [{"context": "%s", "qas": [
              {"id": "q1", "question": "Who is the hero?", "answers": [{"text": "Link", "answer_start": 21}], "is_impossible": false},
              {"id": "q2", "question": "Who helps him?", "answers": [{"text": "Midna", "answer_start": 144}], "is_impossible": false},
              {"id": "q3", "question": "When was it released?", "answers": [], "is_impossible": true}]}]}]}
            """.formatted(CONTEXT);

    @TempDir static Path temp;
    static Path encoder;
    static Path data;
    static Path run;
    static CliRun trained;

    @BeforeAll
    static void trainATinyReader() throws Exception {
        BertConfig config = new BertConfig(30522, 32, 1, 2, 64, "gelu", 0.0, 0.0, 512, 2, 0.02, 1e-12, 0, "absolute", false);
        torch.manual_seed(1);
        encoder = temp.resolve("encoder");
        new Bert.Model(config, false).save(encoder);
        try (InputStream in = QaCommandTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, encoder.resolve("tokenizer.json"));
        }
        data = Files.writeString(temp.resolve("zelda.json"), DATA);
        assertEquals("Link", CONTEXT.substring(21, 25));
        assertEquals("Midna", CONTEXT.substring(144, 149));
        run = temp.resolve("run");
        trained = CliRun.of("squad", "train", "--model", encoder.toString(), "--train", data.toString(), "--dev", data.toString(),
                "--negatives", "0", "--steps", "3", "--batch-size", "2", "--precision", "fp32", "--out", run.toString(),
                "--no-progress");
    }

    @Test
    void trainWritesAReaderAndSaysWhatItTrainedOn() {
        assertEquals(0, trained.exitCode(), trained.err());
        List<String> lines = trained.outLines();
        assertEquals("training into " + run, lines.get(0));
        assertTrue(lines.contains("training: 3 questions (2 answerable, 1 unanswerable, 0 synthetic unanswerable) in 3 windows"
                + " of ≤ 384 tokens, stride 128"), trained.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("model " + encoder + ": 1 layer of width 32, ")
                && l.endsWith("qa_outputs.weight, qa_outputs.bias newly initialised (seed 42)")), trained.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("completed after 3 steps")), trained.out());
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "squad.json", "metrics.jsonl",
                "checkpoint-3/model.safetensors")) {
            assertTrue(Files.exists(run.resolve(file)), file);
        }
    }

    @Test
    void predictWritesTheFilesAndTheScores() {
        Path out = temp.resolve("predictions");
        CliRun predicted = CliRun.of("squad", "predict", "--model", run.toString(), "--data", data.toString(), "--out",
                out.toString(), "--no-progress");
        assertEquals(0, predicted.exitCode(), predicted.err());
        for (String file : List.of("predictions.json", "nbest_predictions.json", "null_odds.json", "scores.json")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        List<String> lines = predicted.outLines();
        assertTrue(lines.get(0).startsWith("3 questions of " + data + " in 3 windows, "), predicted.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("all\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d{3}\\s+3")), predicted.out());
        assertEquals("predictions.json, nbest_predictions.json, null_odds.json, scores.json written to " + out,
                lines.get(lines.size() - 1));
    }

    @Test
    void qaPrintsASpanOfThePassageOrNoAnswer() throws Exception {
        Path passage = Files.writeString(temp.resolve("passage.txt"), CONTEXT);
        for (String[] context : List.of(new String[] {"--context", CONTEXT}, new String[] {"--context", "@" + passage},
                new String[] {"--context-file", passage.toString()})) {
            CliRun answered = CliRun.of("qa", "--model", run.toString(), context[0], context[1], "--question", "Who is the hero?");
            assertEquals(0, answered.exitCode(), answered.err());
            List<String> lines = answered.outLines();
            if (lines.get(0).startsWith("answer: ")) {
                Matcher span = Pattern.compile("span: characters (\\d+)-(\\d+) of the passage").matcher(lines.get(2));
                assertTrue(span.matches(), answered.out());
                assertEquals(lines.get(0).substring("answer: ".length()),
                        CONTEXT.substring(Integer.parseInt(span.group(1)), Integer.parseInt(span.group(2))));
                assertTrue(lines.get(1).matches("score: -?\\d+\\.\\d{3} \\(probability 0\\.\\d{3} among the candidates of its passage\\)"), lines.get(1));
            } else {
                assertTrue(lines.get(0).startsWith("no answer: the passage does not seem to answer the question"), answered.out());
            }
        }
        // A threshold no null score reaches forces an answer; one no span reaches forces "no answer".
        CliRun forced = CliRun.of("qa", "--model", run.toString(), "--context", CONTEXT, "--question", "Who helps him?",
                "--null-threshold", "1e9");
        assertTrue(forced.out().startsWith("answer: "), forced.out());
        CliRun refused = CliRun.of("qa", "--model", run.toString(), "--context", CONTEXT, "--question", "Who helps him?",
                "--null-threshold", "-1e9");
        assertTrue(refused.out().startsWith("no answer: "), refused.out());
        // It still shows the best span it turned down, a piece of the passage.
        String closest = refused.outLines().get(1);
        assertTrue(closest.startsWith("closest to an answer: ") && CONTEXT.contains(closest.substring("closest to an answer: ".length())),
                refused.out());
        assertEquals(forced.outLines().get(0).substring("answer: ".length()), closest.substring("closest to an answer: ".length()));
    }

    @Test
    void withoutAPassageItRetrievesThenReads() throws Exception {
        List<String> corpus = List.of("Pasta is boiled in salted water for about ten minutes.", CONTEXT,
                "The Rhine flows north from the Alps through Basel to the North Sea.");
        Path corpusFile = Files.write(temp.resolve("corpus.txt"), corpus);
        // One passage: the retriever (the real all-MiniLM-L6-v2) must pick the one about the game; the tiny reader,
        // forced to answer, answers from it.
        CliRun one = CliRun.of("qa", "--model", run.toString(), "--corpus", corpusFile.toString(), "--passages", "1",
                "--question", "Who is the hero of the game?", "--null-threshold", "1e9");
        assertEquals(0, one.exitCode(), one.err());
        Matcher span = Pattern.compile("span: characters (\\d+)-(\\d+) of passage 2 of the corpus \\(retrieval rank 1,"
                + " cosine 0\\.\\d{3}\\)").matcher(one.outLines().get(2));
        assertTrue(span.matches(), one.out());
        assertEquals(one.outLines().get(0), "answer: " + CONTEXT.substring(Integer.parseInt(span.group(1)),
                Integer.parseInt(span.group(2))));
        assertEquals("passage: " + SimilarCommand.forDisplay(CONTEXT), one.outLines().get(3));

        // All three read: whichever wins, the span is in the passage the output names.
        CliRun three = CliRun.of("qa", "--model", run.toString(), "--corpus", corpusFile.toString(),
                "--question", "Who is the hero of the game?", "--null-threshold", "1e9");
        assertEquals(0, three.exitCode(), three.err());
        Matcher where = Pattern.compile("span: characters (\\d+)-(\\d+) of passage (\\d) of the corpus .*").matcher(three.outLines().get(2));
        assertTrue(where.matches(), three.out());
        String passage = corpus.get(Integer.parseInt(where.group(3)) - 1);
        assertEquals(three.outLines().get(0), "answer: " + passage.substring(Integer.parseInt(where.group(1)),
                Integer.parseInt(where.group(2))));

        CliRun none = CliRun.of("qa", "--model", run.toString(), "--corpus", corpusFile.toString(),
                "--question", "Who is the hero of the game?", "--null-threshold", "-1e9");
        assertEquals(0, none.exitCode(), none.err());
        assertEquals("no answer: none of the 3 passages closest to the question answers it (threshold -1000000000.000);"
                + " the closest: " + SimilarCommand.forDisplay(CONTEXT), none.outLines().get(0));
        Matcher closest = Pattern.compile("closest to an answer: (.+) \\(passage (\\d) of the corpus, retrieval rank \\d; null"
                + " score - span score = -?\\d+\\.\\d{3}\\)").matcher(none.outLines().get(1));
        assertTrue(closest.matches(), none.out());
        assertTrue(corpus.get(Integer.parseInt(closest.group(2)) - 1).contains(closest.group(1)), none.out());
        assertEquals(2, none.outLines().size(), none.out());
    }

    @Test
    void badInputGetsOneLine() throws Exception {
        if (!ShippedReader.isBundled()) { // with a reader, ShippedReaderTest covers the default
            CliRun noModel = CliRun.of("qa", "--context", CONTEXT, "--question", "Who is the hero?");
            assertEquals(1, noModel.exitCode());
            assertEquals(List.of("glossa: this build of Glossa carries no question-answering reader: pass --model DIR (a model"
                    + " fine-tuned with 'glossa squad train', or a reader made with 'glossa squad pack')"), noModel.errLines());
        }

        CliRun missingPassage = CliRun.of("qa", "--model", run.toString(), "--context", "@" + temp.resolve("nope.txt"),
                "--question", "Who?");
        assertEquals(1, missingPassage.exitCode());
        assertEquals(List.of("glossa: " + temp.resolve("nope.txt") + ": no such file"), missingPassage.errLines());

        CliRun twoPassages = CliRun.of("qa", "--model", run.toString(), "--context", CONTEXT, "--context-file", "x.txt",
                "--question", "Who?");
        assertEquals(2, twoPassages.exitCode());
        assertTrue(twoPassages.err().startsWith("glossa: give the passage with one of --context and --context-file, not both"));

        CliRun passageAndCorpus = CliRun.of("qa", "--model", run.toString(), "--context", CONTEXT, "--corpus", "x.txt",
                "--question", "Who?");
        assertEquals(2, passageAndCorpus.exitCode());
        assertTrue(passageAndCorpus.err().startsWith("glossa: --corpus is searched when no passage is given"), passageAndCorpus.err());
        CliRun noPassages = CliRun.of("qa", "--model", run.toString(), "--passages", "0", "--question", "Who?");
        assertEquals(2, noPassages.exitCode());
        assertTrue(noPassages.err().startsWith("glossa: --passages must be at least 1, got 0"), noPassages.err());

        CliRun encoderOnly = CliRun.of("qa", "--model", encoder.toString(), "--context", CONTEXT, "--question", "Who?");
        assertEquals(1, encoderOnly.exitCode());
        assertEquals(List.of("glossa: " + encoder + ": not a question-answering model (no qa_outputs weights): fine-tune it"
                + " first with 'glossa squad train'"), encoderOnly.errLines());

        Path missing = temp.resolve("missing.json");
        CliRun noData = CliRun.of("squad", "train", "--model", encoder.toString(), "--train", missing.toString(), "--dev",
                "none", "--out", temp.resolve("a").toString(), "--no-progress");
        assertEquals(1, noData.exitCode());
        assertEquals(List.of("glossa: " + missing.toAbsolutePath() + ": no such file"), noData.errLines());

        Path weightless = Files.createDirectories(temp.resolve("weightless"));
        Files.copy(encoder.resolve("config.json"), weightless.resolve("config.json"));
        Files.copy(encoder.resolve("tokenizer.json"), weightless.resolve("tokenizer.json"));
        CliRun noWeights = CliRun.of("squad", "train", "--model", weightless.toString(), "--train", data.toString(), "--dev",
                "none", "--out", temp.resolve("b").toString(), "--no-progress");
        assertEquals(1, noWeights.exitCode());
        assertEquals(List.of("glossa: " + weightless.resolve("model.safetensors") + ": no such file (a model directory needs its"
                + " weights)"), noWeights.errLines());

        CliRun predictNoData = CliRun.of("squad", "predict", "--model", run.toString(), "--data", missing.toString());
        assertEquals(1, predictNoData.exitCode());
        assertEquals(1, predictNoData.errLines().size(), predictNoData.err());
    }
}
