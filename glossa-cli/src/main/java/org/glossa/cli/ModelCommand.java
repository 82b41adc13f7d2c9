package org.glossa.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.glossa.core.GlossaException;
import org.glossa.core.onnx.MiniLm;
import org.glossa.core.onnx.OnnxBertImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code glossa model}: model directories. Needs a subcommand. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Manage model directories.",
        subcommands = ModelCommand.Import.class)
final class ModelCommand {

    /** {@code glossa model import}: ONNX BERT encoders into HuggingFace-format directories. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {
                "Imports a BERT encoder exported to ONNX into a model directory (config.json, model.safetensors,"
                        + " tokenizer.json) that --model accepts.",
                "Without --onnx (or with --minilm) imports the bundled all-MiniLM-L6-v2 into"
                        + " $GLOSSA_HOME/models (default GLOSSA_HOME: ~/.cache/glossa), once."
            })
    static final class Import implements Callable<Integer> {
        @Option(names = "--minilm", description = "Import the bundled all-MiniLM-L6-v2 (the default model).")
        boolean minilm;

        @Option(names = "--onnx", paramLabel = "FILE", description = "ONNX file of a BERT encoder.")
        Path onnx;

        @Option(names = "--tokenizer", paramLabel = "FILE",
                description = "Its HuggingFace tokenizer file (default: tokenizer.json beside the ONNX file).")
        Path tokenizer;

        @Option(names = "--out", paramLabel = "DIR", description = "Model directory to write (replaced if it exists).")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path written;
            if (onnx == null) {
                if (tokenizer != null || out != null) {
                    throw usage("--tokenizer and --out go with --onnx FILE");
                }
                written = MiniLm.ensureImported();
            } else {
                if (minilm) {
                    throw usage("--minilm and --onnx exclude each other");
                }
                if (out == null) {
                    throw usage("--onnx needs --out DIR");
                }
                if (!Files.isRegularFile(onnx)) {
                    throw new GlossaException(onnx + ": no such file");
                }
                Path tokenizerJson = tokenizer != null ? tokenizer : onnx.toAbsolutePath().resolveSibling("tokenizer.json");
                if (tokenizer == null && !Files.isRegularFile(tokenizerJson)) {
                    throw new GlossaException("no --tokenizer given and " + tokenizerJson + " does not exist");
                }
                OnnxBertImporter.importBert(onnx, tokenizerJson, out);
                written = out;
            }
            spec.commandLine().getOut().println(written);
            spec.commandLine().getOut().flush();
            return 0;
        }

        private ParameterException usage(String message) {
            return new ParameterException(spec.commandLine(), message);
        }
    }
}
