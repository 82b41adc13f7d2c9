package org.glossa.cli;

import java.nio.file.Path;
import org.glossa.core.onnx.MiniLm;
import org.glossa.models.bert.SentenceEmbedder;
import picocli.CommandLine.Option;

/** The {@code --model DIR} and {@code --precision} options shared by the commands that run an encoder. */
final class ModelOption {
    @Option(names = "--model", paramLabel = "DIR",
            description = "Model directory in HuggingFace format (default: the bundled all-MiniLM-L6-v2,"
                    + " imported into $GLOSSA_HOME/models on first use).")
    Path directory;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32",
            converter = PrecisionConverter.class,
            description = "Matrix-product precision: fp32 (default, matches the reference model to 1e-4) or bf16"
                    + " (several times faster on CPUs with AMX or AVX512-BF16; cosines move by about 1e-3).")
    SentenceEmbedder.Precision precision;

    /** The given directory, or the default model, imported first if this is its first use. */
    Path resolve() {
        return directory != null ? directory : MiniLm.ensureImported();
    }

    /** The sentence encoder these options describe. */
    SentenceEmbedder load() {
        return SentenceEmbedder.load(resolve(), precision);
    }

    /** Accepts fp32/bf16 in any case, and names the choices when the value is neither. */
    static final class PrecisionConverter implements picocli.CommandLine.ITypeConverter<SentenceEmbedder.Precision> {
        @Override
        public SentenceEmbedder.Precision convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "fp32" -> SentenceEmbedder.Precision.FP32;
                case "bf16" -> SentenceEmbedder.Precision.BF16;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a precision: use fp32 or bf16");
            };
        }
    }
}
