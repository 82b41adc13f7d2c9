package org.glossa.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Golden model directories written by the {@code make_golden.py} scripts of the test resources, and their numbers. */
public final class GoldenFiles {
    /** What each golden directory holds: the model as HF saves it, and PyTorch's outputs. */
    private static final List<String> FILES = List.of("config.json", "model.safetensors", "expected.json");

    private GoldenFiles() {}

    /** Copies the class-path directory {@code /resourceDir/name} into {@code dir/name}, so it loads as a model directory. */
    public static Path copy(String resourceDir, String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(target);
        for (String file : FILES) {
            String resource = resourceDir + "/" + name + "/" + file;
            try (InputStream in = GoldenFiles.class.getResourceAsStream("/" + resource)) {
                assertTrue(in != null, "test resource " + resource + " is missing");
                Files.copy(in, target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }

    /** A JSON array of numbers as floats. */
    public static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
