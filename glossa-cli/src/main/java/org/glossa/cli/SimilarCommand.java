package org.glossa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.glossa.models.bert.SentenceEmbedder;
import org.glossa.tasks.search.SemanticSearch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code glossa similar}: semantic search of a corpus, by default the bundled Wikipedia sample. */
@Command(name = "similar", mixinStandardHelpOptions = true,
        description = "Ranks the texts of a corpus by cosine similarity of their sentence embeddings to each QUERY.")
final class SimilarCommand implements Callable<Integer> {
    /** Longer texts are cut for display so that each hit stays on about one line. */
    static final int DISPLAY_LENGTH = 160;

    @Parameters(paramLabel = "QUERY", arity = "1..*", description = "One or more queries (quote each one).")
    List<String> queries;

    @Option(names = "--corpus", paramLabel = "FILE",
            description = "Texts to search, UTF-8, one per line (default: a bundled sample of 401 English Wikipedia paragraphs).")
    Path corpus;

    @Option(names = {"-k", "--top-k"}, paramLabel = "K", defaultValue = "5",
            description = "Number of results per query (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--no-cache",
            description = "Embed the corpus even if its vectors are cached (in $GLOSSA_HOME/cache/embeddings).")
    boolean noCache;

    @Mixin
    ModelOption model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (topK < 1) {
            throw new ParameterException(spec.commandLine(), "--top-k must be at least 1, got " + topK);
        }
        // The corpus first: a wrong path should fail before the model is loaded.
        List<String> texts = corpus == null ? SemanticSearch.bundledSample() : SemanticSearch.readCorpus(corpus);
        PrintWriter out = spec.commandLine().getOut();
        try (SentenceEmbedder embedder = model.load()) {
            SemanticSearch search = SemanticSearch.index(embedder, texts, true,
                    noCache ? null : SemanticSearch.defaultCacheDir());
            for (int q = 0; q < queries.size(); q++) {
                out.println((q == 0 ? "" : "\n") + "query: " + queries.get(q));
                int rank = 1;
                for (SemanticSearch.Hit hit : search.search(queries.get(q), topK)) {
                    out.println(String.format(Locale.ROOT, "%3d  %.4f  %s", rank++, hit.score(), forDisplay(hit.text())));
                }
            }
        }
        out.flush();
        return 0;
    }

    /** The text, cut to {@link #DISPLAY_LENGTH} characters (code points) with an ellipsis when longer. */
    static String forDisplay(String text) {
        if (text.codePointCount(0, text.length()) <= DISPLAY_LENGTH) {
            return text;
        }
        int end = text.offsetByCodePoints(0, DISPLAY_LENGTH - 1);
        return text.substring(0, end).stripTrailing() + "…";
    }
}
