package org.glossa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands end to end with the bundled all-MiniLM-L6-v2. */
@Tag("model")
class CliModelTest {
    @TempDir
    Path temp;

    private static List<String> outputLines(String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), "glossa " + String.join(" ", args) + " failed:\n" + run.err());
        return run.out().lines().toList();
    }

    @Test
    void embedPrintsOneUnitLengthVectorPerText() {
        List<String> lines = outputLines("embed", "The cat sat on the mat.", "Stock markets fell sharply today.");
        assertEquals(2, lines.size());
        float[][] vectors = lines.stream().map(CliModelTest::parseArray).toArray(float[][]::new);
        for (float[] vector : vectors) {
            assertEquals(384, vector.length);
            assertEquals(1.0, dot(vector, vector), 1e-4);
        }
        assertTrue(dot(vectors[0], vectors[1]) < 0.5, "unrelated sentences should not be near-duplicates");
    }

    @Test
    void embedFromAFileEqualsEmbedFromArguments() throws Exception {
        Path file = Files.writeString(temp.resolve("texts.txt"), "first line\n\nsecond line\n");
        List<String> fromFile = outputLines("embed", "--file", file.toString());
        List<String> fromArgs = outputLines("embed", "first line", "second line");
        assertEquals(2, fromFile.size());
        for (int i = 0; i < 2; i++) {
            float[] a = parseArray(fromFile.get(i));
            float[] b = parseArray(fromArgs.get(i));
            assertEquals(1.0, dot(a, b), 1e-5, "line " + i);
        }
    }

    @Test
    void similarPrintsRankedHitsPerQuery() throws Exception {
        Path corpus = Files.writeString(temp.resolve("corpus.txt"), String.join("\n",
                "The Eiffel Tower is a wrought-iron lattice tower in Paris.",
                "Photosynthesis converts light energy into chemical energy in plants.",
                "The stock market crashed in October 1929.",
                "Mount Everest is the highest mountain above sea level.") + "\n");
        List<String> lines = outputLines("similar", "--corpus", corpus.toString(), "--top-k", "2",
                "How do plants make energy from sunlight?", "the tallest peak on Earth");
        assertEquals(List.of("query: How do plants make energy from sunlight?"), lines.subList(0, 1));
        assertTrue(lines.get(1).matches("  1  0\\.\\d{4}  Photosynthesis converts .*"), lines.get(1));
        assertTrue(lines.get(2).matches("  2  -?0\\.\\d{4}  .*"), lines.get(2));
        assertEquals("", lines.get(3));
        assertEquals("query: the tallest peak on Earth", lines.get(4));
        assertTrue(lines.get(5).matches("  1  0\\.\\d{4}  Mount Everest .*"), lines.get(5));
        assertEquals(7, lines.size(), String.join("\n", lines));
    }

    @Test
    void similarSearchesTheBundledSampleByDefault() {
        List<String> lines = outputLines("similar", "a bicycle stage race around Catalonia in 1950");
        assertEquals(6, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(1).matches("  1  0\\.\\d{4}  1950 Volta a Catalunya: .*"), lines.get(1));
        for (String hit : lines.subList(1, 6)) {
            assertTrue(hit.codePointCount(0, hit.length()) <= 15 + SimilarCommand.DISPLAY_LENGTH, hit);
        }
    }

    @Test
    void anImportedOnnxEncoderEmbedsLikeTheDefaultModel() throws Exception {
        // The ONNX file and tokenizer that the default model is imported from, as a user would have them.
        Path onnx = temp.resolve("all-minilm-l6-v2.onnx");
        Path tokenizer = temp.resolve("tokenizer.json");
        for (Path file : List.of(onnx, tokenizer)) {
            String resource = file.equals(onnx) ? "/all-minilm-l6-v2.onnx" : "/all-minilm-l6-v2-tokenizer.json";
            try (var in = CliModelTest.class.getResourceAsStream(resource)) {
                assertTrue(in != null, resource + " is not on the class path");
                Files.copy(in, file);
            }
        }
        Path out = temp.resolve("imported");
        assertEquals(List.of(out.toString()), outputLines("model", "import", "--onnx", onnx.toString(), "--out", out.toString()));
        float[] imported = parseArray(outputLines("embed", "--model", out.toString(), "a sentence to embed").get(0));
        float[] bundled = parseArray(outputLines("embed", "a sentence to embed").get(0));
        assertEquals(1.0, dot(imported, bundled), 1e-6);
    }

    private static float[] parseArray(String json) {
        assertTrue(json.startsWith("[") && json.endsWith("]"), json);
        String[] parts = json.substring(1, json.length() - 1).split(",");
        float[] vector = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            vector[i] = Float.parseFloat(parts[i]);
        }
        return vector;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
