package org.glossa.nn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.glossa.core.GlossaException;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.SafeTensorsFile;
import org.glossa.core.safetensors.TensorData;

/**
 * Moves a {@link Module}'s parameters to and from {@code model.safetensors}, by HF name.
 *
 * <p>Loading is strict, as a checkpoint that silently half-loads is worse than none: every parameter of
 * the module must be in the file exactly once with the same shape, and the file may hold nothing else
 * (except parameters the caller says to ignore). The error names the offender and both shapes.
 */
public final class Weights {
    private Weights() {}

    /** Loads every parameter of {@code module} from {@code file}; names in the file may carry {@code prefix}. */
    public static void load(Module module, Path file, String prefix, Set<String> ignoredInFile) {
        if (!Files.isRegularFile(file)) {
            throw new GlossaException(file + ": no such file");
        }
        Map<String, Tensor> expected = module.namedParameters();
        try (SafeTensorsFile weights = SafeTensors.open(file)) {
            Map<String, String> fileNameOf = new LinkedHashMap<>();
            List<String> unexpected = new ArrayList<>();
            for (String stored : weights.names()) {
                String name = stored.startsWith(prefix) ? stored.substring(prefix.length()) : stored;
                if (expected.containsKey(name)) {
                    if (fileNameOf.put(name, stored) != null) {
                        throw new GlossaException(file + ": parameter '" + name + "' is stored twice (as '"
                                + fileNameOf.get(name) + "' and '" + stored + "')");
                    }
                } else if (!ignoredInFile.contains(name)) {
                    unexpected.add(stored);
                }
            }
            boolean prefixed = !prefix.isEmpty() && weights.names().stream().anyMatch(n -> n.startsWith(prefix));
            for (String name : expected.keySet()) {
                if (!fileNameOf.containsKey(name)) {
                    throw new GlossaException(file + ": parameter '" + (prefixed ? prefix : "") + name + "' is missing");
                }
            }
            if (!unexpected.isEmpty()) {
                throw new GlossaException(file + ": unexpected parameter" + (unexpected.size() > 1 ? "s " : " ")
                        + String.join(", ", unexpected.subList(0, Math.min(5, unexpected.size())))
                        + (unexpected.size() > 5 ? " and " + (unexpected.size() - 5) + " more" : ""));
            }
            try (NoGradGuard noGrad = new NoGradGuard()) {
                for (var entry : expected.entrySet()) {
                    String stored = fileNameOf.get(entry.getKey());
                    TensorData data = weights.get(stored);
                    long[] want = entry.getValue().sizes().vec().get();
                    if (!Arrays.equals(data.shape(), want)) {
                        throw new GlossaException(file + ": parameter '" + stored + "' has shape "
                                + Arrays.toString(data.shape()) + " but the model expects " + Arrays.toString(want));
                    }
                    try (PointerScope scope = new PointerScope()) {
                        // copy_ converts F16/BF16 checkpoints to the parameter's fp32.
                        entry.getValue().copy_(Tensors.fromTensorData(data));
                    }
                }
            }
        }
    }

    /** Writes every parameter of {@code module} (as stored, usually F32) to {@code file}, atomically. */
    public static void save(Module module, Path file, Map<String, String> metadata) {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        module.namedParameters().forEach((name, tensor) -> tensors.put(name, Tensors.toTensorData(tensor)));
        SafeTensors.write(file, tensors, metadata);
    }
}
