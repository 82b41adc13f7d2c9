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
            "Example: glossa qa --model runs/squad-RUN --context @passage.txt --question \"Who is the main character?\""
        })
final class QaCommand implements Callable<Integer> {
    @Option(names = "--context", paramLabel = "TEXT|@FILE", description = "The passage, or @FILE to read it from a UTF-8 file.")
    String context;

    @Option(names = "--context-file", paramLabel = "FILE", description = "Read the passage from this UTF-8 file.")
    Path contextFile;

    @Option(names = "--question", required = true, paramLabel = "TEXT", description = "The question.")
    String question;

    @Option(names = "--model", paramLabel = "DIR", description = "Question-answering model directory (e.g. a run of 'glossa squad train').")
    Path model;

    @Option(names = "--precision", paramLabel = "fp32|bf16", defaultValue = "fp32", converter = ModelOption.PrecisionConverter.class,
            description = "Matrix products in fp32 (default) or bf16.")
    SentenceEmbedder.Precision precision;

    @Option(names = "--null-threshold", paramLabel = "X", defaultValue = "0.0",
            description = "Say \"no answer\" when null score - best span score > X (default 0).")
    double nullThreshold;

    @Spec
    CommandSpec spec;

    /**
     * The model {@code --model} names, or the reader shipped with Glossa. None is shipped yet, so for now
     * {@code --model} is required.
     */
    static Path modelDir(Path model) {
        if (model != null) {
            return model;
        }
        throw new GlossaException("no question-answering model is shipped with this build yet: pass --model DIR"
                + " (a model fine-tuned with 'glossa squad train', e.g. its run directory)");
    }

    @Override
    public Integer call() {
        if ((context == null) == (contextFile == null)) {
            throw new ParameterException(spec.commandLine(), "give the passage with exactly one of --context and --context-file");
        }
        if (Double.isNaN(nullThreshold)) {
            throw new ParameterException(spec.commandLine(), "--null-threshold must be a number");
        }
        String passage = contextFile != null ? read(contextFile)
                : context.startsWith("@") ? read(Path.of(context.substring(1))) : context;
        SquadPredictor predictor = SquadPredictor.load(modelDir(model), precision);
        QaPostprocess.Options options = QaPostprocess.Options.defaults().withNullThreshold(nullThreshold);
        SquadPredictor.Answer answer = predictor.answer(question, passage, options);
        PrintWriter out = spec.commandLine().getOut();
        if (answer.hasAnswer()) {
            out.println("answer: " + answer.text());
            out.printf(Locale.ROOT, "score: %.3f (probability %.3f among the candidates)%n", answer.score(), answer.probability());
            out.printf(Locale.ROOT, "span: characters %d-%d of the passage%n", answer.charStart(), answer.charEnd());
        } else {
            out.printf(Locale.ROOT, "no answer: the passage does not seem to answer the question (null score above the best"
                    + " span's by %.3f; threshold %s)%n", answer.nullOdds(), nullThreshold);
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
