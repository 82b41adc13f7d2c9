package org.glossa.tasks.squad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.core.Progress;
import org.glossa.core.onnx.MiniLm;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.SafeTensorsFile;
import org.glossa.models.bert.Bert;
import org.glossa.models.bert.SentenceEmbedder.Precision;
import org.glossa.nn.Engine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packed reader: MiniLM's real encoder with a seeded random head, packed to 16 bits without word embeddings
 * and loaded back, gives the fp32 original's logits on real SQuAD windows within a measured bound, fits in
 * 25 MB, and refuses a reader that claims another base or lacks a file.
 */
@Tag("model")
class ReaderPackageTest {
    @TempDir static Path temp;
    static Path original;
    static Path reader;
    static ReaderPackage.Packed packed;

    @BeforeAll
    static void packMiniLmWithASeededHead() {
        Engine.init();
        Path base = MiniLm.ensureImported();
        Bert.QuestionAnswering model = Bert.QuestionAnswering.load(base, 7);
        original = temp.resolve("qa");
        model.save(original, base.resolve("tokenizer.json"));
        reader = temp.resolve("reader");
        packed = ReaderPackage.pack(original, reader, new ReaderPackage.Options(-1.5, "SQuAD 1.1 + test", 1234, "EM 1 / F1 2",
                "weak on unanswerable questions"));
    }

    @Test
    void logitsMatchTheFp32OriginalOnRealSquadWindows() {
        List<SquadExample> examples = SquadTestData.read(SquadTestData.TRAIN_V2_FIRST10).subList(0, 6);
        List<QaFeature> features = QaFeatures.build(SquadTestData.tokenizer(), examples, QaFeatureOptions.defaults(), false);
        Bert.QuestionAnswering fp32 = Bert.QuestionAnswering.load(original);
        fp32.train(false);
        ReaderPackage.Reader loaded = ReaderPackage.load(reader);
        assertEquals(-1.5, loaded.nullThreshold());
        SquadPredictor.FeatureLogits want = new SquadPredictor(fp32, SquadTestData.tokenizer(), QaFeatureOptions.defaults(), 8,
                Precision.FP32).logits(features, Progress.quiet());
        // SquadPredictor.load recognises a reader directory and takes its threshold.
        SquadPredictor fromDirectory = SquadPredictor.load(reader, QaFeatureOptions.defaults(), 8, Precision.FP32);
        assertEquals(-1.5, fromDirectory.nullThreshold());
        SquadPredictor.FeatureLogits got = fromDirectory.logits(features, Progress.quiet());
        double maxDiff = 0;
        double maxLogit = 0;
        for (int f = 0; f < features.size(); f++) {
            for (int t = 0; t < want.start()[f].length; t++) {
                maxDiff = Math.max(maxDiff, Math.abs(want.start()[f][t] - got.start()[f][t]));
                maxDiff = Math.max(maxDiff, Math.abs(want.end()[f][t] - got.end()[f][t]));
                maxLogit = Math.max(maxLogit, Math.abs(want.start()[f][t]));
            }
        }
        System.out.printf("reader: %s, max |logit difference| %.3g over %d windows (max |logit| %.3g)%n", packed.dtype(), maxDiff,
                features.size(), maxLogit);
        // Measured 5.9e-4 (F16, 6 windows, max |logit| 0.62 with this untrained head): F16 rounding of the 11M
        // stored weights; a bug (a wrong tensor, a missing embedding, BF16 read as F16) moves them by far more.
        assertTrue(maxDiff < 1e-3, "max |logit difference| " + maxDiff);
        assertTrue(maxDiff > 0, "16-bit weights must change the logits a little; identical logits mean fp32 was stored");
    }

    @Test
    void storesEverythingButTheWordEmbeddingsIn16BitsWithin25Mb() throws Exception {
        long size;
        try (Stream<Path> files = Files.list(reader)) {
            size = files.mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("reader: %,d bytes%n", size); // measured 21.7 MB
        assertTrue(size <= 25_000_000, "reader is " + size + " bytes");
        try (SafeTensorsFile weights = SafeTensors.open(reader.resolve("model.safetensors"))) {
            assertFalse(weights.contains(SquadTraining.WORD_EMBEDDINGS));
            assertTrue(weights.contains("qa_outputs.weight"));
            for (String name : weights.names()) {
                assertEquals(packed.dtype(), weights.info(name).dtype(), name);
            }
        }
        // F16 keeps 10 mantissa bits to BF16's 7; these weights are small enough for F16's range.
        assertTrue(packed.squaredErrorF16() < packed.squaredErrorBf16());
        assertEquals("F16", packed.dtype().name());
        // The head was never trained: the packed embeddings are exactly the base's.
        assertEquals(0.0, packed.embeddingDriftMaxAbs());
        String card = Files.readString(reader.resolve("README.md"));
        assertTrue(card.contains("Training data: SQuAD 1.1 + test"), card);
        assertTrue(card.contains("Optimizer steps: 1234"), card);
        assertTrue(card.contains("Scores: EM 1 / F1 2"), card);
        assertTrue(card.contains("## Limitations\n\nweak on unanswerable questions\n"), card);
        // The manifest pins every other file by its sha256 (the shipped reader's folder is named by the manifest alone).
        JsonNode files = HfConfig.read(reader.resolve(ReaderPackage.MANIFEST)).get("files");
        assertEquals(List.of("config.json", "model.safetensors", "README.md"), names(files.fieldNames()));
        for (String name : ReaderPackage.PACKED_FILES) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(reader.resolve(name)));
            assertEquals(HexFormat.of().formatHex(digest), files.get(name).asText(), name);
        }
    }

    private static List<String> names(Iterator<String> fieldNames) {
        List<String> list = new ArrayList<>();
        fieldNames.forEachRemaining(list::add);
        return list;
    }

    @Test
    void refusesAReaderClaimingAnotherBase() throws Exception {
        Path other = temp.resolve("other-base");
        copyReader(other);
        ObjectNode manifest = HfConfig.read(other.resolve(ReaderPackage.MANIFEST));
        ((ObjectNode) manifest.get("word_embeddings")).put("sha256", "0".repeat(64));
        HfConfig.write(other.resolve(ReaderPackage.MANIFEST), manifest);
        GlossaException e = assertThrows(GlossaException.class, () -> ReaderPackage.load(other));
        assertTrue(e.getMessage().contains("word_embeddings.sha256") && e.getMessage().contains("different base"), e.getMessage());

        ((ObjectNode) manifest.get("word_embeddings")).put("base", "bert-base-uncased");
        HfConfig.write(other.resolve(ReaderPackage.MANIFEST), manifest);
        e = assertThrows(GlossaException.class, () -> ReaderPackage.load(other));
        assertTrue(e.getMessage().contains("'bert-base-uncased'"), e.getMessage());
    }

    @Test
    void namesAMissingFile() throws Exception {
        Path incomplete = temp.resolve("incomplete");
        copyReader(incomplete);
        Files.delete(incomplete.resolve(ReaderPackage.MANIFEST));
        GlossaException e = assertThrows(GlossaException.class, () -> ReaderPackage.load(incomplete));
        assertEquals(incomplete + ": no reader.json (not a packed reader; make one with 'glossa squad pack')", e.getMessage());
    }

    private static void copyReader(Path target) throws Exception {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(reader)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
    }
}
