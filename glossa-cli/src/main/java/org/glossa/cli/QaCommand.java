package org.glossa.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.models.bert.SentenceEmbedder;
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
            "Without --model it uses the reader shipped with Glossa: all-MiniLM-L6-v2 fine-tuned on SQuAD (its model card:"
                    + " README.md in the folder the first use extracts it to, under $GLOSSA_HOME/models).",
            "Example: glossa qa --context @passage.txt --question \"Who is the main character?\""
        })
final class QaCommand implements Callable<Integer> {
    @Option(names = "--context", paramLabel = "TEXT|@FILE", description = "The passage, or @FILE to read it from a UTF-8 file.")
    String context;

    @Option(names = "--context-file", paramLabel = "FILE", description = "Read the passage from this UTF-8 file.")
    Path contextFile;

    @Option(names = "--question", required = true, paramLabel = "TEXT", description = "The question.")
    String question;

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
        if ((context == null) == (contextFile == null)) {
            throw new ParameterException(spec.commandLine(), "give the passage with exactly one of --context and --context-file");
        }
        if (nullThreshold != null && Double.isNaN(nullThreshold)) {
            throw new ParameterException(spec.commandLine(), "--null-threshold must be a number");
        }
        String passage = contextFile != null ? read(contextFile)
                : context.startsWith("@") ? read(Path.of(context.substring(1))) : context;
        SquadPredictor predictor = SquadPredictor.load(modelDir(model), precision);
        double threshold = nullThreshold != null ? nullThreshold : predictor.nullThreshold();
        QaPostprocess.Options options = QaPostprocess.Options.defaults().withNullThreshold(threshold);
        SquadPredictor.Answer answer = predictor.answer(question, passage, options);
        PrintWriter out = spec.commandLine().getOut();
        if (answer.hasAnswer()) {
            out.println("answer: " + answer.text());
            out.printf(Locale.ROOT, "score: %.3f (probability %.3f among the candidates)%n", answer.score(), answer.probability());
            out.printf(Locale.ROOT, "span: characters %d-%d of the passage%n", answer.charStart(), answer.charEnd());
        } else {
            out.printf(Locale.ROOT, "no answer: the passage does not seem to answer the question (null score above the best"
                    + " span's by %.3f; threshold %.3f)%n", answer.nullOdds(), threshold);
        }
        out.flush();
        return 0;
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
