package org.glossa.tasks.classify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.global.torch;
import org.glossa.models.bert.Bert;
import org.glossa.models.bert.BertConfig;

/** A tiny random BERT encoder directory with all-MiniLM-L6-v2's real tokenizer, for fast fine-tuning tests. */
final class TinyBert {
    private TinyBert() {}

    /** 2 layers × 32, 4 heads, 64 positions, no dropout, no pooler (as MiniLM), the MiniLM vocabulary. */
    static final BertConfig CONFIG = new BertConfig(30522, 32, 2, 4, 64, "gelu", 0.0, 0.0, 64, 2, 0.02, 1e-12, 0,
            "absolute", false);

    static Path create(Path dir) {
        torch.manual_seed(1);
        new Bert.Model(CONFIG, false).save(dir);
        tokenizer(dir);
        return dir;
    }

    /** Writes all-MiniLM-L6-v2's tokenizer.json (from its Maven artifact) into {@code dir} and returns the file. */
    static Path tokenizer(Path dir) {
        try (InputStream in = TinyBert.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            if (in == null) {
                throw new IllegalStateException("the MiniLM tokenizer is not on the test class path");
            }
            Files.copy(in, dir.resolve("tokenizer.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.resolve("tokenizer.json");
    }
}
