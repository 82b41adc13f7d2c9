package org.glossa.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.onnx.MiniLm;
import org.glossa.models.bert.SentenceEmbedder;
import org.glossa.tasks.search.RetrieveThenRead;
import org.glossa.tasks.search.SemanticSearch;
import org.glossa.tasks.squad.QaPostprocess;
import org.glossa.tasks.squad.ShippedReader;
import org.glossa.tasks.squad.SquadPredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code glossa qa}: answers one question from a passage, or says that the passage does not answer it. */
@Command(name = "qa", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Finds the answer to a question in a passage with an extractive question-answering model (BERT fine-tuned on"
                    + " SQuAD 2.0) and prints it with its score and character span, or says that there is no answer.",
            "Without a passage it retrieves, then reads: the --passages texts of --corpus (default: a bundled sample of"
                    + " Wikipedia) closest to the question by sentence embeddings (all-MiniLM-L6-v2, as 'glossa similar'),"
                    + " each read by the model, and the answer with the highest span score wins.",
            "Without --model it uses the reader shipped with Glossa: all-MiniLM-L6-v2 fine-tuned on SQuAD (its model card:"
                    + " README.md in the folder the first use extracts it to, under $GLOSSA_HOME/models).",
            "Examples: glossa qa --context @passage.txt --question \"Who is the main character?\"",
            "          glossa qa --question \"Which bacteria were found in the sediment of a salt lake in Egypt?\""
        })
final class QaCommand implements Callable<Integer> {
    @Option(names = "--context", paramLabel = "TEXT|@FILE", description = "The passage, or @FILE to read it from a UTF-8 file"
            + " (none: search --corpus).")
    String context;

    @Option(names = "--context-file", paramLabel = "FILE", description = "Read the passage from this UTF-8 file.")
    Path contextFile;

    @Option(names = "--question", required = true, paramLabel = "TEXT", description = "The question.")
    String question;

    @Option(names = "--corpus", paramLabel = "FILE", description = "Without a passage: the texts to search, UTF-8, one per"
            + " line (default: the bundled sample of 401 English Wikipedia paragraphs that 'glossa similar' searches).")
    Path corpus;

    @Option(names = "--passages", paramLabel = "N", defaultValue = "3",
            description = "Without a passage: how many of the closest texts the reader reads (default 3).")
    int passages;

    @Option(names = "--model", paramLabel = "DIR", description = "Question-answering model directory: a run of 'glossa squad"
            + " train' or a reader of 'glossa squad pack' (default: the shipped reader).")
    Path model;

    @Option(names = "--precision", paramLabel = "fp32|bf16", defaultValue = "fp32", converter = ModelOption.PrecisionConverter.class,
            description = "Matrix products in fp32 (default) or bf16.")
    SentenceEmbedder.Precision precision;

    @Option(names = "--null-threshold", paramLabel = "X",
            description = "Say \"no answer\" when null score - best span score > X (default: the reader's tuned threshold;"
                    + " 0 for a model directory).")
    Double nullThreshold;

    @Spec
    CommandSpec spec;

    /** The model {@code --model} names, or the reader shipped with Glossa. */
    static Path modelDir(Path model) {
        return model != null ? model : ShippedReader.ensureExtracted();
    }

    @Override
    public Integer call() {
        if (context != null && contextFile != null) {
            throw new ParameterException(spec.commandLine(), "give the passage with one of --context and --context-file, not both");
        }
        if ((context != null || contextFile != null) && corpus != null) {
            throw new ParameterException(spec.commandLine(), "--corpus is searched when no passage is given: drop --context"
                    + " (or --context-file) or --corpus");
        }
        if (nullThreshold != null && Double.isNaN(nullThreshold)) {
            throw new ParameterException(spec.commandLine(), "--null-threshold must be a number");
        }
        if (passages < 1) {
            throw new ParameterException(spec.commandLine(), "--passages must be at least 1, got " + passages);
        }
        boolean retrieve = context == null && contextFile == null;
        // Inputs first: a wrong path should fail before a model is loaded.
        String passage = retrieve ? null : contextFile != null ? read(contextFile)
                : context.startsWith("@") ? read(Path.of(context.substring(1))) : context;
        List<String> texts = !retrieve ? null : corpus == null ? SemanticSearch.bundledSample() : SemanticSearch.readCorpus(corpus);
        SquadPredictor predictor = SquadPredictor.load(modelDir(model), precision);
        double threshold = nullThreshold != null ? nullThreshold : predictor.nullThreshold();
        QaPostprocess.Options options = QaPostprocess.Options.defaults().withNullThreshold(threshold);
        PrintWriter out = spec.commandLine().getOut();
        if (!retrieve) {
            SquadPredictor.Answer answer = predictor.answer(question, passage, options);
            if (answer.hasAnswer()) {
                printAnswer(out, answer, "of the passage");
            } else {
                out.printf(Locale.ROOT, "no answer: the passage does not seem to answer the question (null score - best span"
                        + " score = %.3f, above the threshold %.3f)%n", answer.nullOdds(), threshold);
                if (!answer.bestSpan().isEmpty()) {
                    out.println("closest to an answer: " + answer.bestSpan());
                }
            }
        } else {
            List<RetrieveThenRead.Candidate> candidates;
            try (SentenceEmbedder retriever = SentenceEmbedder.load(MiniLm.ensureImported(), precision)) {
                SemanticSearch search = SemanticSearch.index(retriever, texts, true,
                        SemanticSearch.defaultCacheDir());
                candidates = RetrieveThenRead.answer(search, predictor, question, passages, options);
            }
            RetrieveThenRead.Candidate best = candidates.get(0);
            if (best.answer().hasAnswer()) {
                printAnswer(out, best.answer(), String.format(Locale.ROOT, "of passage %d of the corpus (retrieval rank %d,"
                        + " cosine %.3f)", best.passage().index() + 1, best.retrievalRank(), best.passage().score()));
                out.println("passage: " + SimilarCommand.forDisplay(best.passage().text()));
            } else {
                out.printf(Locale.ROOT, "no answer: none of the %d passages closest to the question answers it (threshold %.3f);"
                        + " the closest: %s%n", candidates.size(), threshold, SimilarCommand.forDisplay(best.passage().text()));
                // The span that came nearest to the threshold: often right when this strict reader says "no answer".
                candidates.stream().filter(c -> !c.answer().bestSpan().isEmpty())
                        .min(Comparator.comparingDouble(c -> c.answer().nullOdds()))
                        .ifPresent(c -> out.printf(Locale.ROOT, "closest to an answer: %s (passage %d of the corpus, retrieval"
                                + " rank %d; null score - span score = %.3f)%n", c.answer().bestSpan(), c.passage().index() + 1,
                                c.retrievalRank(), c.answer().nullOdds()));
            }
        }
        out.flush();
        return 0;
    }

    private static void printAnswer(PrintWriter out, SquadPredictor.Answer answer, String where) {
        out.println("answer: " + answer.text());
        out.printf(Locale.ROOT, "score: %.3f (probability %.3f among the candidates of its passage)%n", answer.score(),
                answer.probability());
        out.printf(Locale.ROOT, "span: characters %d-%d %s%n", answer.charStart(), answer.charEnd(), where);
    }

    private static String read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new GlossaException(file + ": no such file", e);
        } catch (CharacterCodingException e) {
            throw new GlossaException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new GlossaException(file + ": cannot read: " + AtomicFiles.describe(e), e);
        }
    }
}
