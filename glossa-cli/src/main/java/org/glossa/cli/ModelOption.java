package org.glossa.cli;

import java.nio.file.Path;
import org.glossa.core.onnx.MiniLm;
import picocli.CommandLine.Option;

/** The {@code --model DIR} option shared by the commands that run an encoder. */
final class ModelOption {
    @Option(names = "--model", paramLabel = "DIR",
            description = "Model directory in HuggingFace format (default: the bundled all-MiniLM-L6-v2,"
                    + " imported into $GLOSSA_HOME/models on first use).")
    Path directory;

    /** The given directory, or the default model, imported first if this is its first use. */
    Path resolve() {
        return directory != null ? directory : MiniLm.ensureImported();
    }
}
