package org.glossa.tasks.squad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQuAD reader on the shared v1.1 and v2.0 files (counts from SOURCES.md and from Python's json on the
 * same files) and its one-line errors on broken files.
 */
@Tag("unit")
class SquadDatasetTest {
    @TempDir Path temp;

    @Test
    void readsTheV2DevSetWithEveryAnswer() {
        List<SquadExample> dev = SquadTestData.read(SquadTestData.DEV);
        // SOURCES.md: 11,873 questions, 5,928 HasAns, 5,945 NoAns, 35 articles; 20,302 answers (Python's json).
        assertEquals(11_873, dev.size());
        assertEquals(5_928, dev.stream().filter(SquadExample::hasAnswer).count());
        assertEquals(5_945, dev.stream().filter(SquadExample::isImpossible).count());
        assertEquals(35, dev.stream().map(SquadExample::title).distinct().count());
        assertEquals(20_302, dev.stream().mapToInt(e -> e.answers().size()).sum());
        assertTrue(dev.stream().allMatch(e -> e.isImpossible() != e.hasAnswer()));

        SquadExample first = dev.get(0);
        assertEquals("56ddde6b9a695914005b9628", first.id());
        assertEquals("Normans", first.title());
        assertEquals("In what country is Normandy located?", first.question());
        assertEquals(4, first.answers().size());
        assertEquals(new SquadExample.Answer("France", 159), first.answers().get(0));

        Map<String, SquadExample> byId = dev.stream().collect(Collectors.toMap(SquadExample::id, Function.identity()));
        assertEquals(List.of(new SquadExample.Answer("10th century", 671),
                new SquadExample.Answer("the first half of the 10th century", 649),
                new SquadExample.Answer("10th", 671), new SquadExample.Answer("10th", 671)),
                byId.get("56ddde6b9a695914005b962c").answers());
        SquadExample last = dev.get(dev.size() - 1);
        assertEquals("5ad28ad0d7d075001a4299cf", last.id());
        assertEquals("Force", last.title());
        assertTrue(last.isImpossible() && last.answers().isEmpty());
        // Questions of one paragraph share their context.
        assertTrue(dev.get(0).context() == dev.get(1).context());
    }

    @Test
    void readsTheV2TrainingArticles() {
        List<SquadExample> train = SquadTestData.read(SquadTestData.TRAIN_V2_FIRST10);
        assertEquals(4_719, train.size());
        assertEquals(348, train.stream().filter(SquadExample::isImpossible).count());
        SquadExample first = train.get(0);
        assertEquals("56be85543aeaaa14008c9063", first.id());
        assertEquals("When did Beyonce start becoming popular?", first.question());
        assertEquals(List.of(new SquadExample.Answer("in the late 1990s", 269)), first.answers());
    }

    /** answer_start counts code points; five contexts of the 1.1 training set have characters beyond U+FFFF. */
    @Test
    void readsTheV11TrainingSetAndConvertsCodePointOffsets() {
        List<SquadExample> train = SquadTestData.read(SquadTestData.TRAIN_V11);
        assertEquals(87_599, train.size());
        assertTrue(train.stream().allMatch(e -> e.answers().size() == 1 && !e.isImpossible()));
        for (SquadExample example : train) {
            SquadExample.Answer answer = example.answers().get(0);
            assertEquals(answer.text(), example.context().substring(answer.start(), answer.end()), example.id());
        }
        Map<String, SquadExample> byId = train.stream().collect(Collectors.toMap(SquadExample::id, Function.identity()));
        // Python: answer_start 621, len(context[:621].encode('utf-16-le')) // 2 == 623.
        SquadExample shifted = byId.get("recon11tr-a255-p029-q002");
        assertEquals(new SquadExample.Answer("zhèng", 623), shifted.answers().get(0));
        assertEquals(new SquadExample.Answer("seer-doctors", 529), byId.get("recon11tr-a328-p014-q000").answers().get(0));
    }

    @Test
    void unlabelledFilesAreReadWhenAnswersAreNotRequired() throws Exception {
        Path file = write("""
                {"version": "x", "data": [{"title": "T", "paragraphs": [{"context": "Paris is in France.",
                  "qas": [{"id": "q1", "question": "  Where is Paris?"}, {"id": "q2", "question": "Why?", "answers": []}]}]}]}""");
        List<SquadExample> examples = SquadDataset.read(file, false);
        assertEquals(2, examples.size());
        assertEquals("  Where is Paris?", examples.get(0).question());
        assertFalse(examples.get(0).hasAnswer());
        assertFalse(examples.get(1).isImpossible());
        GlossaException strict = assertThrows(GlossaException.class, () -> SquadDataset.read(file));
        assertEquals(file + ": article 1 (\"T\"), paragraph 1, question q1: missing \"answers\"", strict.getMessage());
    }

    @Test
    void brokenFilesGetOneLineErrorsThatSayWhere() throws Exception {
        String good = "{\"id\": \"q1\", \"question\": \"Where?\", \"answers\": [{\"text\": \"France\", \"answer_start\": 12}]}";
        String context = "Paris is in France.";
        assertError(doc(context, good.replace("12", "13")),
                "article 1 (\"T\"), paragraph 1, question q1: answer 1: answer_start 13 does not match the answer text"
                        + " \"France\": the context has \"rance.\" there");
        assertError(doc(context, good.replace("12", "15")),
                "question q1: answer 1 \"France\": answer_start 15 + length 6 is outside the context of 19 characters");
        assertError(doc(context, good.replace("12", "-1")), "answer_start -1 + length 6 is outside the context");
        assertError(doc(context, good.replace("12", "\"12\"")), "question q1: answer 1: answer_start must be an integer, got \"12\"");
        assertError(doc(context, good.replace("\"France\"", "\"\"")), "question q1: answer 1 has an empty text");
        assertError(doc(context, good.replace("\"text\": \"France\", ", "")), "question q1: answer 1: missing \"text\"");
        assertError(doc(context, good.replace("\"question\": \"Where?\", ", "")), "question q1: missing \"question\"");
        assertError(doc(context, good.replace("\"id\": \"q1\", ", "")), "article 1 (\"T\"), paragraph 1: missing \"id\"");
        assertError(doc(context, good.replace("[{\"text\": \"France\", \"answer_start\": 12}]", "[]")),
                "question q1: an answerable question (is_impossible absent or false) has no answers");
        assertError(doc(context, good.replace("\"answers\"", "\"is_impossible\": true, \"answers\"")),
                "question q1: is_impossible is true but the question has 1 answer(s)");
        assertError(doc(context, good.replace("\"answers\"", "\"is_impossible\": \"no\", \"answers\"")),
                "question q1: is_impossible must be true or false, got \"no\"");
        assertError(doc(context, good + ", " + good), "paragraph 1, question q1: question id appears twice in the file");
        assertError(doc(context, good).replace("\"context\": \"Paris is in France.\", ", ""),
                "article 1 (\"T\"), paragraph 1: missing \"context\"");
        assertError("{\"data\": [{\"title\": \"T\", \"paragraphs\": {}}]}", "article 1 (\"T\"): \"paragraphs\" must be a list, got an object");
        assertError("{\"data\": [{\"title\": \"A\", \"paragraphs\": []}, 3]}", "article 2: an article must be a JSON object, got 3");
        assertError("{\"data\": {}}", "\"data\" must be a list of articles");
        assertError("{\"version\": \"1.1\"}", "is not a SQuAD file: no \"data\" list");
        assertError("[1, 2]", "is not a SQuAD file: expected a JSON object with a \"data\" list");
        assertError("{\"data\": [\n{\"title\": \"T\",\n \"paragraphs\": [}]}", "is not valid JSON at line 3, column 17: ");
        // A context line break or a long answer stays on one line of the message.
        assertError(doc("Paris\nis in France.", good.replace("France", "France\\nand much more text to make a long answer that will be cut")),
                "answer 1 \"France\\nand much more text to make a long answer that will b...\": answer_start 12 + length 64 is outside the context of 19 characters");
        GlossaException missing = assertThrows(GlossaException.class, () -> SquadDataset.read(temp.resolve("nope.json")));
        assertEquals("SQuAD file not found: " + temp.resolve("nope.json"), missing.getMessage());
    }

    private static String doc(String context, String questions) {
        return "{\"version\": \"v2.0\", \"data\": [{\"title\": \"T\", \"paragraphs\": [{\"context\": \""
                + context.replace("\n", "\\n") + "\", \"qas\": [" + questions + "]}]}]}";
    }

    private void assertError(String json, String expectedPart) throws Exception {
        Path file = write(json);
        GlossaException error = assertThrows(GlossaException.class, () -> SquadDataset.read(file), json);
        String message = error.getMessage();
        assertTrue(message.startsWith(file.toString()), message);
        assertTrue(message.contains(expectedPart), "expected \"" + expectedPart + "\" in: " + message);
        assertFalse(message.contains("\n"), message);
    }

    private int files;

    private Path write(String json) throws Exception {
        return Files.writeString(temp.resolve("squad-" + (files++) + ".json"), json);
    }
}
