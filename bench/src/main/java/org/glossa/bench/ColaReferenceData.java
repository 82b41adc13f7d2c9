package org.glossa.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.core.onnx.MiniLm;
import org.glossa.models.bert.BertConfig;
import org.glossa.models.bert.SentenceEmbedder;
import org.glossa.nn.Engine;
import org.glossa.tasks.classify.ClassificationData;
import org.glossa.tasks.classify.ClassificationData.Dataset;
import org.glossa.tasks.classify.ClassifyTraining;
import org.glossa.tasks.classify.Example;
import org.glossa.tasks.classify.Featurizer;
import org.glossa.tasks.classify.Featurizer.Features;
import org.glossa.tasks.classify.LabelMap;
import org.glossa.text.HfTokenizer;

/**
 * The inputs of the PyTorch reference fine-tune on CoLA ({@code bench/cola-reference.sh}, which runs
 * {@code bench/python/torch_cola_finetune.py}): Python here has no HF tokenizers, so Glossa tokenises.
 *
 * <pre>ColaReferenceData OUT_JSON</pre>
 *
 * Writes one JSON file with
 * <ul>
 *   <li>{@code model_dir}: the imported all-MiniLM-L6-v2 ({@code config.json}, {@code model.safetensors});</li>
 *   <li>{@code label_names}; {@code train} and {@code dev}: {@code ids} ([CLS] … [SEP], unpadded, exactly what
 *       {@code glossa classify train} feeds: {@link ClassificationData}, the run's {@link LabelMap} and
 *       {@link Featurizer} at the model's maximum length) and {@code labels} (label ids);</li>
 *   <li>{@code check}: a few dev sentences with their ids and two fp32 references for the weight loading on the
 *       Python side: {@code onnxruntime_mean}, the mean over the tokens of ONNX Runtime's last hidden state from
 *       the original ONNX file (one sentence at a time, no padding), and {@code glossa_normalised}, Glossa's
 *       {@link SentenceEmbedder} (padded batch, mean pooling, L2 normalisation).</li>
 * </ul>
 */
public final class ColaReferenceData {
    /** Every 66th dev sentence: 8 sentences of assorted lengths. */
    static final int CHECK_STRIDE = 66;

    private ColaReferenceData() {}

    public static void main(String[] args) throws IOException, OrtException {
        if (args.length != 1) {
            throw new GlossaException("usage: ColaReferenceData OUT_JSON");
        }
        Path out = Path.of(args[0]);
        Engine.init();
        Path modelDir = MiniLm.ensureImported();
        HfTokenizer tokenizer = HfTokenizer.load(modelDir.resolve("tokenizer.json"));
        Dataset train = ClassificationData.read(ClassifyTraining.sharedFile(ClassifyTraining.COLA_TRAIN), null,
                ClassificationData.Columns.defaults());
        Dataset dev = ClassificationData.read(ClassifyTraining.sharedFile(ClassifyTraining.COLA_DEV), null,
                ClassificationData.Columns.defaults());
        // As ClassifyTraining.prepare: CoLA fixes the label order (unacceptable 0, acceptable 1).
        LabelMap labels = train.labelOrder() != null ? new LabelMap(train.labelOrder())
                : LabelMap.fromExamples(train.examples(), train.file().toString());
        BertConfig config = BertConfig.read(modelDir);
        Featurizer featurizer = new Featurizer(tokenizer, Math.min(config.maxPositionEmbeddings(), tokenizer.maxLength()));
        Featurizer.Encoded trainEncoded = featurizer.encodeAll(train.examples(), labels);
        Featurizer.Encoded devEncoded = featurizer.encodeAll(dev.examples(), labels);

        ObjectNode root = HfConfig.mapper().createObjectNode();
        root.put("model_dir", modelDir.toString());
        ArrayNode names = root.putArray("label_names");
        labels.names().forEach(names::add);
        root.set("train", split(train, trainEncoded));
        root.set("dev", split(dev, devEncoded));
        root.set("check", check(modelDir, tokenizer, dev.examples(), devEncoded.features()));
        HfConfig.write(out, root);
        System.out.printf(Locale.ROOT, "cola-reference: %d train and %d dev sentences (%d and %d truncated), labels %s,"
                        + " %d check sentences → %s%n", trainEncoded.features().size(), devEncoded.features().size(),
                trainEncoded.truncated(), devEncoded.truncated(), labels, root.get("check").get("ids").size(), out);
    }

    /** {"file", "ids": [[...]], "labels": [...]} for one data set. */
    static ObjectNode split(Dataset dataset, Featurizer.Encoded encoded) {
        ObjectNode node = HfConfig.mapper().createObjectNode();
        node.put("file", dataset.file().toString());
        node.set("ids", idRows(encoded.features()));
        ArrayNode labelIds = node.putArray("labels");
        for (Features f : encoded.features()) {
            labelIds.add(f.labels()[0]);
        }
        return node;
    }

    /** Token ids by row; the Python side feeds token type 0, so a nonzero type id (a text pair) is refused here. */
    static ArrayNode idRows(List<Features> features) {
        ArrayNode rows = HfConfig.mapper().createArrayNode();
        for (Features f : features) {
            for (long type : f.typeIds()) {
                if (type != 0) {
                    throw new GlossaException("token type " + type + " in a CoLA sentence: the reference fine-tune"
                            + " only handles single texts");
                }
            }
            ArrayNode row = rows.addArray();
            for (long id : f.ids()) {
                row.add(id);
            }
        }
        return rows;
    }

    /** The check sentences and the two fp32 references for their sentence vectors. */
    static ObjectNode check(Path modelDir, HfTokenizer tokenizer, List<Example> devExamples, List<Features> devFeatures)
            throws IOException, OrtException {
        List<String> texts = new ArrayList<>();
        List<Features> features = new ArrayList<>();
        for (int i = 0; i < devExamples.size(); i += CHECK_STRIDE) {
            texts.add(devExamples.get(i).text());
            features.add(devFeatures.get(i));
        }
        ObjectNode node = HfConfig.mapper().createObjectNode();
        ArrayNode textArray = node.putArray("texts");
        texts.forEach(textArray::add);
        node.set("ids", idRows(features));

        float[][] glossa;
        try (SentenceEmbedder embedder = SentenceEmbedder.load(modelDir, SentenceEmbedder.Precision.FP32)) {
            glossa = embedder.embed(texts);
        }
        node.set("glossa_normalised", floatRows(glossa));

        OrtEnvironment ort = OrtEnvironment.getEnvironment();
        float[][] onnx = new float[features.size()][];
        try (InputStream file = MiniLm.class.getResourceAsStream("/all-minilm-l6-v2.onnx");
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = ort.createSession(file.readAllBytes(), options)) {
                for (int i = 0; i < features.size(); i++) {
                    onnx[i] = meanOfRows(onnxHidden(ort, session, features.get(i)));
                }
            }
        }
        node.set("onnxruntime_mean", floatRows(onnx));
        return node;
    }

    /** ONNX Runtime's last_hidden_state for one unpadded sentence: (T, H) as rows. */
    static float[][] onnxHidden(OrtEnvironment ort, OrtSession session, Features features) throws OrtException {
        long[][] ids = {features.ids()};
        long[][] types = {features.typeIds()};
        long[][] mask = {new long[features.length()]};
        java.util.Arrays.fill(mask[0], 1L);
        try (OnnxTensor i = OnnxTensor.createTensor(ort, ids);
             OnnxTensor t = OnnxTensor.createTensor(ort, types);
             OnnxTensor m = OnnxTensor.createTensor(ort, mask);
             OrtSession.Result result = session.run(Map.of("input_ids", i, "token_type_ids", t, "attention_mask", m))) {
            return ((float[][][]) result.get(0).getValue())[0];
        }
    }

    /** The mean of the rows, summed in double. */
    static float[] meanOfRows(float[][] rows) {
        double[] sum = new double[rows[0].length];
        for (float[] row : rows) {
            for (int h = 0; h < row.length; h++) {
                sum[h] += row[h];
            }
        }
        float[] mean = new float[sum.length];
        for (int h = 0; h < sum.length; h++) {
            mean[h] = (float) (sum[h] / rows.length);
        }
        return mean;
    }

    static ArrayNode floatRows(float[][] rows) {
        ArrayNode out = HfConfig.mapper().createArrayNode();
        for (float[] row : rows) {
            ArrayNode values = out.addArray();
            for (float v : row) {
                values.add(v);
            }
        }
        return out;
    }
}
