package org.glossa.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.glossa.core.GlossaException;
import org.glossa.models.bert.SentenceEmbedder;
import org.glossa.tasks.search.SemanticSearch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code glossa embed}: sentence embeddings as JSON arrays, one line per text. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {
            "Prints the sentence embedding (unit length) of each text as a JSON array of floats, one line per text.",
            "Texts come from the arguments, else from --file, else from standard input; one text per line,"
                    + " blank lines skipped."
        })
final class EmbedCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to embed.")
    List<String> texts = new ArrayList<>();

    @Option(names = "--file", paramLabel = "FILE", description = "Read the texts from FILE (UTF-8, one per line).")
    Path file;

    @Mixin
    ModelOption model;

    @Spec
    CommandSpec spec;

    /** Where texts come from when neither arguments nor --file are given; replaceable in tests. */
    InputStream standardInput = System.in;

    @Override
    public Integer call() {
        if (!texts.isEmpty() && file != null) {
            throw new ParameterException(spec.commandLine(), "give texts as arguments or with --file, not both");
        }
        List<String> inputs = !texts.isEmpty() ? texts
                : file != null ? SemanticSearch.readCorpus(file)
                : SemanticSearch.readTexts(standardInput, "standard input");
        if (inputs.isEmpty()) {
            throw new GlossaException("no text to embed: standard input was empty (pass TEXT arguments or --file FILE)");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SentenceEmbedder embedder = model.load()) {
            for (float[] vector : SemanticSearch.embed(embedder, inputs, inputs.size() > 1)) {
                out.println(jsonArray(vector));
            }
        }
        out.flush();
        return 0;
    }

    /** Compact JSON; Float.toString prints the shortest decimal that reads back as the same float32. */
    static String jsonArray(float[] vector) {
        StringBuilder json = new StringBuilder(vector.length * 12).append('[');
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new IllegalStateException("embedding component " + i + " is " + vector[i]);
            }
            json.append(i == 0 ? "" : ",").append(vector[i]);
        }
        return json.append(']').toString();
    }
}
