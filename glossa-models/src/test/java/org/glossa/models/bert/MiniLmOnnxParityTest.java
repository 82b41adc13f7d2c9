package org.glossa.models.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.glossa.core.onnx.MiniLm;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.glossa.text.Batch;
import org.glossa.text.Encoding;
import org.glossa.text.HfTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Our BERT, loaded from the imported all-MiniLM-L6-v2 directory, against ONNX Runtime running the original
 * ONNX file: an independent implementation of the same network. Real inputs from ../shared/data (long SQuAD
 * contexts up to 512 tokens, question–context pairs with token types, CoLA sentences) run through our model
 * as padded batches of mixed lengths, and through ONNX Runtime one sequence at a time without padding, so
 * the comparison also proves that padding and the attention mask change nothing on real tokens.
 */
@Tag("model")
class MiniLmOnnxParityTest {
    static final double TOLERANCE = 1e-4;

    static Path modelDir;
    static HfTokenizer tokenizer;
    static Bert.Model model;
    static OrtEnvironment ort;
    static OrtSession session;

    @BeforeAll
    static void load() throws Exception {
        modelDir = MiniLm.ensureImported();
        tokenizer = HfTokenizer.load(modelDir.resolve("tokenizer.json"));
        model = Bert.Model.load(modelDir);
        model.train(false);
        ort = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(2);
        try (InputStream onnx = MiniLm.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            session = ort.createSession(onnx.readAllBytes(), options);
        }
    }

    @AfterAll
    static void close() throws Exception {
        session.close();
    }

    /** 220 real inputs: 60 SQuAD contexts (the 30 longest among them, cut at 512), 80 pairs, 80 CoLA sentences. */
    static List<Encoding> realInputs() throws Exception {
        Path data = Path.of(System.getProperty("glossa.shared", "../shared"), "data");
        JsonNode squad = new ObjectMapper().readTree(data.resolve("squad2/dev-v2.0.reconstructed.json").toFile());
        List<String> contexts = new ArrayList<>();
        List<String[]> pairs = new ArrayList<>();
        for (JsonNode article : squad.get("data")) {
            for (JsonNode paragraph : article.get("paragraphs")) {
                String context = paragraph.get("context").asText();
                contexts.add(context);
                JsonNode qas = paragraph.get("qas");
                if (qas.size() > 0) {
                    pairs.add(new String[] {qas.get(0).get("question").asText(), context});
                }
            }
        }
        List<String> byLength = new ArrayList<>(contexts);
        byLength.sort((a, b) -> Integer.compare(b.length(), a.length()));
        Random random = new Random(20261128);
        List<Encoding> inputs = new ArrayList<>();
        for (String context : byLength.subList(0, 30)) {
            inputs.add(tokenizer.encode(context, 512));
        }
        List<String> others = new ArrayList<>(byLength.subList(30, byLength.size()));
        Collections.shuffle(others, random);
        for (String context : others.subList(0, 30)) {
            inputs.add(tokenizer.encode(context, 512));
        }
        Collections.shuffle(pairs, random);
        for (String[] pair : pairs.subList(0, 80)) {
            inputs.add(tokenizer.encodePairWindows(pair[0], pair[1], 384, 128).get(0));
        }
        List<String> cola = Files.readAllLines(data.resolve("cola/raw/in_domain_dev.tsv"));
        Collections.shuffle(cola, random);
        for (String line : cola.subList(0, 80)) {
            inputs.add(tokenizer.encode(line.split("\t")[3], 512));
        }
        Collections.shuffle(inputs, random); // mixed lengths in every batch
        return inputs;
    }

    /** ONNX Runtime's last_hidden_state for one unpadded sequence: (T, H) as rows. */
    static float[][] onnxHidden(Encoding encoding) throws Exception {
        long[][] ids = {encoding.ids()};
        long[][] types = {encoding.typeIds()};
        long[][] mask = {encoding.attentionMask()};
        try (OnnxTensor i = OnnxTensor.createTensor(ort, ids);
                OnnxTensor t = OnnxTensor.createTensor(ort, types);
                OnnxTensor m = OnnxTensor.createTensor(ort, mask);
                OrtSession.Result result = session.run(Map.of("input_ids", i, "token_type_ids", t, "attention_mask", m))) {
            return ((float[][][]) result.get(0).getValue())[0];
        }
    }

    @Test
    void lastHiddenStateMatchesOnnxRuntimeOnRealPaddedBatches() throws Exception {
        List<Encoding> inputs = realInputs();
        assertTrue(inputs.size() >= 200);
        assertTrue(inputs.stream().anyMatch(e -> e.length() >= 500), "some inputs must come near 512 tokens");
        assertTrue(inputs.stream().anyMatch(e -> e.typeIds()[e.length() - 1] == 1), "pairs must carry token types");
        double worst = 0;
        int batchSize = 8;
        for (int start = 0; start < inputs.size(); start += batchSize) {
            List<Encoding> batch = inputs.subList(start, Math.min(inputs.size(), start + batchSize));
            Batch padded = tokenizer.pad(batch);
            float[] ours;
            try (NativeScope scope = new NativeScope()) {
                Tensor hidden = Tensors.inference(() -> model.forward(
                        Tensors.fromLongs(padded.flatIds(), padded.shape()),
                        Tensors.fromLongs(padded.flatTypeIds(), padded.shape()),
                        Tensors.fromLongs(padded.flatAttentionMask(), padded.shape())).lastHiddenState());
                ours = Tensors.toFloats(hidden); // (B, T, H) flat
            }
            int length = padded.length();
            int hiddenSize = model.config.hiddenSize();
            for (int b = 0; b < batch.size(); b++) {
                float[][] reference = onnxHidden(batch.get(b));
                assertEquals(batch.get(b).length(), reference.length);
                for (int t = 0; t < reference.length; t++) {
                    for (int h = 0; h < hiddenSize; h++) {
                        double diff = Math.abs(ours[(b * length + t) * hiddenSize + h] - reference[t][h]);
                        worst = Math.max(worst, diff);
                        if (diff > TOLERANCE) {
                            throw new AssertionError("input " + (start + b) + " token " + t + " dim " + h + ": ours "
                                    + ours[(b * length + t) * hiddenSize + h] + ", ONNX Runtime " + reference[t][h]);
                        }
                    }
                }
            }
        }
        System.out.printf("MiniLM parity: %d inputs, max |ours - ONNX Runtime| = %.3g%n", inputs.size(), worst);
    }

    @Test
    void sentenceCosinesMatchAnOnnxRuntimePipeline() throws Exception {
        List<String> texts = List.of(
                "The Normans gave their name to Normandy, a region in France.",
                "Normandy is named after the Normans.",
                "A cat sat on the mat.",
                "Computational complexity theory classifies problems by their inherent difficulty.",
                "Which problems are hard to solve, and how hard? That is what complexity theory asks.",
                "The weights made the rope stretch over the pulley.");
        try (SentenceEmbedder embedder = new SentenceEmbedder(model, tokenizer, 256, 4, SentenceEmbedder.Precision.FP32)) {
            float[][] ours = embedder.embed(texts);
            float[][] reference = new float[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                reference[i] = meanPoolNormalise(onnxHidden(tokenizer.encode(texts.get(i), 256)));
                assertEquals(1.0, dot(ours[i], ours[i]), 1e-5, "unit length");
            }
            for (int i = 0; i < texts.size(); i++) {
                for (int j = 0; j < texts.size(); j++) {
                    assertEquals(dot(reference[i], reference[j]), dot(ours[i], ours[j]), TOLERANCE,
                            "cosine of texts " + i + " and " + j);
                }
            }
            // The model itself must make sense: paraphrases are closer than unrelated sentences.
            assertTrue(dot(ours[0], ours[1]) > dot(ours[0], ours[2]) + 0.3);
        }
        // bf16 matrix products: not exact, but within a few thousandths of the reference cosines.
        try (SentenceEmbedder embedder = new SentenceEmbedder(model, tokenizer, 256, 4, SentenceEmbedder.Precision.BF16)) {
            float[][] ours = embedder.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                for (int j = 0; j < texts.size(); j++) {
                    double reference = dot(meanPoolNormalise(onnxHidden(tokenizer.encode(texts.get(i), 256))),
                            meanPoolNormalise(onnxHidden(tokenizer.encode(texts.get(j), 256))));
                    assertEquals(reference, dot(ours[i], ours[j]), 1e-2, "bf16 cosine of texts " + i + " and " + j);
                }
            }
        }
    }

    static float[] meanPoolNormalise(float[][] hidden) {
        float[] mean = new float[hidden[0].length];
        for (float[] row : hidden) {
            for (int h = 0; h < mean.length; h++) {
                mean[h] += row[h] / hidden.length;
            }
        }
        double norm = Math.sqrt(dot(mean, mean));
        for (int h = 0; h < mean.length; h++) {
            mean[h] /= (float) norm;
        }
        return mean;
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
