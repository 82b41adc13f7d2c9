package org.glossa.tasks.squad;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.glossa.text.HfTokenizer;

/**
 * Fixtures of the SQuAD tests: the shared data sets (../shared/data, through the glossa.shared property that
 * surefire sets; a test that needs a missing file is skipped by an assumption that names the file) and the
 * all-MiniLM-L6-v2 tokenizer that the MiniLM artifact carries.
 */
final class SquadTestData {
    static final String DEV = "data/squad2/dev-v2.0.reconstructed.json";
    static final String TRAIN_V2_FIRST10 = "data/squad2/train-v2.0.first10articles.json";
    static final String TRAIN_V11 = "data/squad1.1/train-v1.1.reconstructed.json";
    static final String BERT_PREDICTIONS = "data/squad2/reference-predictions/bert-single-google-ai-language.json";
    static final String BIDAF_PREDICTIONS = "data/squad2/reference-predictions/bidaf-self-attention-elmo-single.json";

    private static final Map<String, List<SquadExample>> READ = new HashMap<>();
    private static HfTokenizer tokenizer;

    private SquadTestData() {}

    /** A file of ../shared; the calling test is skipped (not failed) when the shared data is not there. */
    static Path shared(String relative) {
        String shared = System.getProperty("glossa.shared");
        assumeTrue(shared != null, "system property glossa.shared is not set: shared data unavailable");
        Path file = Path.of(shared, relative);
        assumeTrue(Files.isRegularFile(file), "shared data missing: " + file);
        return file;
    }

    /** A shared SQuAD file, read once per test JVM. */
    static synchronized List<SquadExample> read(String relative) {
        return READ.computeIfAbsent(relative, r -> SquadDataset.read(shared(r)));
    }

    static synchronized HfTokenizer tokenizer() {
        if (tokenizer == null) {
            try (InputStream in = SquadTestData.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
                if (in == null) {
                    throw new IllegalStateException("all-minilm-l6-v2-tokenizer.json is not on the class path");
                }
                Path dir = Files.createTempDirectory("glossa-squad-tokenizer");
                Path file = dir.resolve("tokenizer.json");
                Files.copy(in, file);
                file.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                tokenizer = HfTokenizer.load(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenizer;
    }
}
