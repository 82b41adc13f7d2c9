package org.glossa.core.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.core.onnx.OnnxModel.Node;
import org.glossa.core.safetensors.DType;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.TensorData;

/**
 * Converts a BERT encoder exported to ONNX (by {@code torch.onnx.export}, as HuggingFace optimum and
 * sentence-transformers do) into a HuggingFace {@code BertModel} directory: {@code config.json},
 * {@code model.safetensors} with HF parameter names, and {@code tokenizer.json}.
 *
 * <p>What such a file looks like (all-MiniLM-L6-v2 as shipped by langchain4j, producer "pytorch", opset 11,
 * 102 initializers, 741 nodes, inputs input_ids / attention_mask / token_type_ids, output last_hidden_state):
 * <ul>
 *   <li>Parameters used as they are keep their PyTorch names: {@code embeddings.word_embeddings.weight}
 *       (30522, 384), the other embeddings, every bias and every LayerNorm weight and bias.</li>
 *   <li>Linear weights are not: for a MatMul the exporter stores the transposed weight, (in, out), under an
 *       anonymous name ({@code onnx::MatMul_787}). The consuming node is named after the module path,
 *       {@code /encoder/layer.0/attention/self/query/MatMul}, which is how we recover the HF name.
 *       A 2-D Linear (the pooler, when exported) becomes a {@code Gemm} with {@code transB=1} and keeps its
 *       (out, in) weight and its name.</li>
 *   <li>LayerNorm is decomposed at opset 11: ReduceMean, Sub, Pow 2, ReduceMean, Add eps (a Constant node
 *       holding 1e-12), Sqrt, Div, Mul weight, Add bias. Newer opsets use one LayerNormalization node with an
 *       {@code epsilon} attribute.</li>
 *   <li>Attention heads appear in the Reshape shapes, built by Concat of (batch, length) taken from Shape
 *       with Constant [12] and [32]; the scores are divided by a Constant sqrt(32) = 5.656854.</li>
 *   <li>GELU is the exact one: x * 0.5 * (1 + Erf(x / sqrt 2)).</li>
 *   <li>{@code embeddings.position_ids} (1, 512) int64 is a buffer (Slice'd to the input length), not a
 *       parameter; there is no pooler in this export.</li>
 * </ul>
 * Every initializer ends up either as an HF parameter or in {@link Conversion#skipped()} with the reason.
 */
public final class OnnxBertImporter {
    private OnnxBertImporter() {}

    /** Where an HF parameter came from: the ONNX initializer and whether it was transposed to (out, in). */
    public record Source(String initializer, boolean transposed) {}

    /**
     * The result of a conversion, before anything is written.
     *
     * @param config  the HF {@code config.json} contents
     * @param weights HF parameter name to F32 tensor, in HF order (embeddings, layers, pooler)
     * @param sources HF parameter name to its ONNX initializer
     * @param skipped ONNX initializers that are not BertModel parameters, with the reason
     */
    public record Conversion(ObjectNode config, Map<String, TensorData> weights, Map<String, Source> sources,
                             Map<String, String> skipped) {}

    /** Imports an ONNX file; {@code tokenizerJson} (nullable) is copied beside the weights. */
    public static void importBert(Path onnxFile, Path tokenizerJson, Path outDir) {
        Conversion conversion = convert(OnnxModel.read(onnxFile), onnxFile.toString());
        write(conversion, tokenizerJson == null ? null : readTokenizer(tokenizerJson), outDir);
    }

    /** Imports an ONNX model from a stream (e.g. a class-path resource) that {@code sourceName} names in errors. */
    public static void importBert(InputStream onnx, String sourceName, Path tokenizerJson, Path outDir) {
        Conversion conversion = convert(OnnxModel.read(onnx, sourceName), sourceName);
        write(conversion, tokenizerJson == null ? null : readTokenizer(tokenizerJson), outDir);
    }

    /** Maps the model's initializers to HF BERT parameters and infers the config from the graph. */
    public static Conversion convert(OnnxModel model, String sourceName) {
        Map<String, TensorData> found = new LinkedHashMap<>();
        Map<String, Source> sources = new LinkedHashMap<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (var entry : model.initializers().entrySet()) {
            String initializer = entry.getKey();
            TensorData tensor = entry.getValue();
            Placement placement = place(model, initializer, sourceName);
            if (placement.hfName() == null) {
                skipped.put(initializer, placement.reason());
                continue;
            }
            Source previous = sources.put(placement.hfName(), new Source(initializer, placement.transposed()));
            if (previous != null) {
                throw new GlossaException(sourceName + ": both '" + previous.initializer() + "' and '" + initializer
                        + "' map to BERT parameter " + placement.hfName());
            }
            if (tensor.dtype() != DType.F32) {
                throw new GlossaException(sourceName + ": parameter " + placement.hfName() + " ('" + initializer
                        + "') is " + tensor.dtype() + "; only F32 ONNX models can be imported");
            }
            found.put(placement.hfName(), placement.transposed() ? transpose(tensor, sourceName, initializer) : tensor);
        }

        TensorData words = found.get("embeddings.word_embeddings.weight");
        if (words == null || words.shape().length != 2) {
            throw new GlossaException(sourceName + " does not look like an ONNX BERT: no 2-D initializer maps to "
                    + "embeddings.word_embeddings.weight");
        }
        int vocab = dim(words, 0);
        int hidden = dim(words, 1);
        int layers = countLayers(found.keySet(), sourceName);
        int intermediate = dim(require(found, "encoder.layer.0.intermediate.dense.weight", sourceName), 0);
        int positions = dim(require(found, "embeddings.position_embeddings.weight", sourceName), 0);
        int typeVocab = dim(require(found, "embeddings.token_type_embeddings.weight", sourceName), 0);
        boolean pooler = found.containsKey("pooler.dense.weight") || found.containsKey("pooler.dense.bias");

        // Check every expected parameter and its shape, and put them in HF order.
        Map<String, long[]> expected = expectedShapes(vocab, hidden, layers, intermediate, positions, typeVocab, pooler);
        Map<String, TensorData> weights = new LinkedHashMap<>();
        Map<String, Source> orderedSources = new LinkedHashMap<>();
        for (var entry : expected.entrySet()) {
            String name = entry.getKey();
            TensorData tensor = require(found, name, sourceName);
            if (!Arrays.equals(tensor.shape(), entry.getValue())) {
                throw new GlossaException(sourceName + ": parameter " + name + " ('" + sources.get(name).initializer()
                        + "') has shape " + Arrays.toString(tensor.shape()) + ", expected "
                        + Arrays.toString(entry.getValue()));
            }
            weights.put(name, tensor);
            orderedSources.put(name, sources.get(name));
        }

        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.putArray("architectures").add("BertModel");
        config.put("attention_probs_dropout_prob", 0.1);
        config.putNull("classifier_dropout");
        config.put("hidden_act", activation(model, sourceName));
        config.put("hidden_dropout_prob", 0.1);
        config.put("hidden_size", hidden);
        config.put("initializer_range", 0.02);
        config.put("intermediate_size", intermediate);
        config.put("layer_norm_eps", layerNormEps(model, sourceName));
        config.put("max_position_embeddings", positions);
        config.put("model_type", "bert");
        config.put("num_attention_heads", attentionHeads(model, hidden, sourceName));
        config.put("num_hidden_layers", layers);
        config.put("pad_token_id", 0);
        config.put("position_embedding_type", "absolute");
        config.put("torch_dtype", "float32");
        config.put("type_vocab_size", typeVocab);
        config.put("use_cache", true);
        config.put("vocab_size", vocab);
        return new Conversion(config, weights, orderedSources, skipped);
    }

    /** Writes config.json, model.safetensors and (when given) tokenizer.json into {@code outDir}, atomically. */
    static void write(Conversion conversion, byte[] tokenizerJson, Path outDir) {
        AtomicFiles.writeDirectory(outDir, directory -> {
            HfConfig.write(directory.resolve("config.json"), conversion.config());
            SafeTensors.write(directory.resolve("model.safetensors"), conversion.weights(), Map.of("format", "pt"));
            if (tokenizerJson != null) {
                Files.write(directory.resolve("tokenizer.json"), tokenizerJson);
            }
        });
    }

    /** Reads a tokenizer.json, checking that it is a JSON object so that a wrong file fails here, not later. */
    static byte[] readTokenizer(Path tokenizerJson) {
        try {
            return checkTokenizer(Files.readAllBytes(tokenizerJson), tokenizerJson.toString());
        } catch (IOException e) {
            throw new GlossaException("cannot read tokenizer " + tokenizerJson + ": " + AtomicFiles.describe(e), e);
        }
    }

    static byte[] checkTokenizer(byte[] bytes, String sourceName) {
        JsonNode root = HfConfig.parse(bytes, sourceName);
        if (!root.has("model")) {
            throw new GlossaException(sourceName + ": not a HuggingFace tokenizer.json (no \"model\" key)");
        }
        return bytes;
    }

    // ---- naming ----------------------------------------------------------------------------------------

    /** HF BertModel parameter names; group 1 of the layer patterns is the layer index. */
    private static final Pattern HF_PARAMETER = Pattern.compile(
            "embeddings\\.(word_embeddings|position_embeddings|token_type_embeddings)\\.weight"
            + "|embeddings\\.LayerNorm\\.(weight|bias)"
            + "|encoder\\.layer\\.\\d+\\.(attention\\.self\\.(query|key|value)|attention\\.output\\.dense"
            + "|intermediate\\.dense|output\\.dense|attention\\.output\\.LayerNorm|output\\.LayerNorm)\\.(weight|bias)"
            + "|pooler\\.dense\\.(weight|bias)");
    private static final Pattern LAYER_INDEX = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");
    /** Exporters prefix names with the wrapping module ("bert.", "0.auto_model.", "model."): keep from the root on. */
    private static final Pattern HF_ROOT = Pattern.compile("(?:^|\\.)((?:embeddings|encoder|pooler)\\..*)$");

    /** An initializer's HF name and orientation, or null and why it is not a parameter. */
    private record Placement(String hfName, boolean transposed, String reason) {
        static Placement skip(String reason) {
            return new Placement(null, false, reason);
        }
    }

    private static Placement place(OnnxModel model, String initializer, String sourceName) {
        List<Node> consumers = model.consumers(initializer);
        if (consumers.isEmpty()) {
            return Placement.skip("not used by any node");
        }
        TensorData tensor = model.initializers().get(initializer);
        Node first = consumers.get(0);
        if (initializer.endsWith("position_ids") || initializer.endsWith("token_type_ids")) {
            return Placement.skip("index buffer of the embeddings, not a parameter (used by " + first.opType() + ")");
        }
        boolean floating = tensor.dtype() == DType.F32 || tensor.dtype() == DType.F16
                || tensor.dtype() == DType.BF16 || tensor.dtype() == DType.F64;
        if (!floating) {
            return Placement.skip(tensor.dtype() + " constant used by " + first.opType() + " " + first.name());
        }

        // Orientation comes from how the graph uses the tensor, whatever its name says.
        Boolean transposed = null;
        String nameFromNode = null;
        for (Node consumer : consumers) {
            int position = consumer.inputs().indexOf(initializer);
            Boolean needsTranspose = switch (consumer.opType()) {
                case "MatMul" -> position == 1 ? Boolean.TRUE : null;
                // Gemm computes A * op(B): B is (out, in) already when transB = 1.
                case "Gemm" -> position == 1 ? consumer.attribute("transB").map(a -> a.asInt() == 0).orElse(true) : null;
                default -> Boolean.FALSE;
            };
            if (needsTranspose != null && transposed != null && !needsTranspose.equals(transposed)) {
                throw new GlossaException(sourceName + ": initializer '" + initializer
                        + "' is used both as a MatMul weight and in another role");
            }
            if (needsTranspose != null) {
                transposed = needsTranspose;
            }
            if (nameFromNode == null) {
                nameFromNode = nameFromNode(consumer, position);
            }
        }
        String hfName = hfRoot(initializer);
        if (hfName == null || !HF_PARAMETER.matcher(hfName).matches()) {
            hfName = nameFromNode;
        }
        if (hfName == null || !HF_PARAMETER.matcher(hfName).matches()) {
            String kind = tensor.numel() == 1 ? "scalar constant" : "tensor " + Arrays.toString(tensor.shape());
            return Placement.skip(kind + " that is not a BertModel parameter (used by " + first.opType() + " "
                    + first.name() + ")");
        }
        return new Placement(hfName, transposed != null && transposed, null);
    }

    /**
     * The HF name implied by the node that consumes a parameter: the node name is the module path
     * ({@code /encoder/layer.0/attention/self/query/MatMul}), the role of the input says which parameter.
     */
    private static String nameFromNode(Node node, int inputPosition) {
        String suffix = switch (node.opType()) {
            case "MatMul", "Gather" -> "weight";
            case "Gemm" -> inputPosition == 1 ? "weight" : inputPosition == 2 ? "bias" : null;
            case "Add" -> "bias";
            case "Mul" -> "weight";  // the scale of a decomposed LayerNorm
            case "LayerNormalization" -> inputPosition == 1 ? "weight" : inputPosition == 2 ? "bias" : null;
            default -> null;
        };
        String path = node.name();
        int lastSlash = path.lastIndexOf('/');
        if (suffix == null || lastSlash <= 0) {
            return null;
        }
        String module = path.substring(path.startsWith("/") ? 1 : 0, lastSlash).replace('/', '.');
        return hfRoot(module + "." + suffix);
    }

    private static String hfRoot(String dottedName) {
        Matcher matcher = HF_ROOT.matcher(dottedName);
        return matcher.find() ? matcher.group(1) : null;
    }

    // ---- shapes -----------------------------------------------------------------------------------------

    private static Map<String, long[]> expectedShapes(int vocab, int hidden, int layers, int intermediate,
                                                      int positions, int typeVocab, boolean pooler) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("embeddings.word_embeddings.weight", new long[] {vocab, hidden});
        shapes.put("embeddings.position_embeddings.weight", new long[] {positions, hidden});
        shapes.put("embeddings.token_type_embeddings.weight", new long[] {typeVocab, hidden});
        shapes.put("embeddings.LayerNorm.weight", new long[] {hidden});
        shapes.put("embeddings.LayerNorm.bias", new long[] {hidden});
        for (int i = 0; i < layers; i++) {
            String layer = "encoder.layer." + i + ".";
            for (String projection : List.of("query", "key", "value")) {
                linear(shapes, layer + "attention.self." + projection, hidden, hidden);
            }
            linear(shapes, layer + "attention.output.dense", hidden, hidden);
            shapes.put(layer + "attention.output.LayerNorm.weight", new long[] {hidden});
            shapes.put(layer + "attention.output.LayerNorm.bias", new long[] {hidden});
            linear(shapes, layer + "intermediate.dense", hidden, intermediate);
            linear(shapes, layer + "output.dense", intermediate, hidden);
            shapes.put(layer + "output.LayerNorm.weight", new long[] {hidden});
            shapes.put(layer + "output.LayerNorm.bias", new long[] {hidden});
        }
        if (pooler) {
            linear(shapes, "pooler.dense", hidden, hidden);
        }
        return shapes;
    }

    /** A torch Linear: weight (out, in), bias (out). */
    private static void linear(Map<String, long[]> shapes, String module, int in, int out) {
        shapes.put(module + ".weight", new long[] {out, in});
        shapes.put(module + ".bias", new long[] {out});
    }

    private static int countLayers(Iterable<String> names, String sourceName) {
        TreeSet<Integer> indices = new TreeSet<>();
        for (String name : names) {
            Matcher matcher = LAYER_INDEX.matcher(name);
            if (matcher.find()) {
                indices.add(Integer.parseInt(matcher.group(1)));
            }
        }
        if (indices.isEmpty()) {
            throw new GlossaException(sourceName + " does not look like an ONNX BERT: no encoder.layer.* parameters");
        }
        return indices.last() + 1;  // gaps are reported by require() as missing parameters
    }

    private static TensorData require(Map<String, TensorData> found, String name, String sourceName) {
        TensorData tensor = found.get(name);
        if (tensor == null) {
            throw new GlossaException(sourceName + ": BERT parameter " + name + " not found in the ONNX graph");
        }
        return tensor;
    }

    private static int dim(TensorData tensor, int axis) {
        long[] shape = tensor.shape();
        return axis < shape.length ? Math.toIntExact(shape[axis]) : -1;
    }

    /** (rows, cols) to (cols, rows): ONNX MatMul weights are (in, out), torch Linear weights (out, in). */
    static TensorData transpose(TensorData tensor, String sourceName, String initializer) {
        long[] shape = tensor.shape();
        if (shape.length != 2) {
            throw new GlossaException(sourceName + ": MatMul weight '" + initializer + "' has shape "
                    + Arrays.toString(shape) + ", expected 2 dimensions");
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        FloatBuffer in = tensor.bytes().asFloatBuffer();
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = in.get(r * cols + c);
            }
        }
        return TensorData.ofFloats(out, cols, rows);
    }

    // ---- config from the graph ----------------------------------------------------------------------------

    /**
     * Heads from the attention's Reshape to (batch, length, heads, head_size): the last two entries of its
     * shape multiply to hidden_size. Fused exports carry a {@code num_heads} attribute instead; as a last
     * resort the score scaling constant sqrt(head_size) gives it.
     */
    private static int attentionHeads(OnnxModel model, int hidden, String sourceName) {
        TreeSet<Long> candidates = new TreeSet<>();
        for (Node node : model.nodes()) {
            node.attribute("num_heads").ifPresent(a -> candidates.add(a.asInt()));
            if (node.opType().equals("Reshape") && node.inputs().size() == 2) {
                List<Long> shape = shapeValues(model, node.inputs().get(1));
                if (shape.size() == 4) {
                    Long heads = shape.get(2);
                    Long headSize = shape.get(3);
                    if (heads != null && headSize != null && heads > 0 && headSize > 0 && heads * headSize == hidden) {
                        candidates.add(heads);
                    }
                }
            }
        }
        if (candidates.size() > 1) {
            throw new GlossaException(sourceName + ": attention Reshapes disagree on the number of heads " + candidates);
        }
        if (candidates.isEmpty()) {
            scaleDivisorHeads(model, hidden).ifPresent(candidates::add);
        }
        if (candidates.isEmpty()) {
            throw new GlossaException(sourceName + ": cannot infer num_attention_heads (no attention Reshape to "
                    + "(batch, length, heads, head_size) found)");
        }
        return Math.toIntExact(candidates.first());
    }

    /** The constant elements of a Reshape's shape input; null for entries computed at run time. */
    private static List<Long> shapeValues(OnnxModel model, String valueName) {
        List<Long> values = new ArrayList<>();
        Optional<TensorData> constant = model.constant(valueName);
        if (constant.isPresent()) {
            values.addAll(longs(constant.get()));
            return values;
        }
        Optional<Node> producer = model.producer(valueName);
        if (producer.isPresent() && producer.get().opType().equals("Concat")) {
            for (String part : producer.get().inputs()) {
                Optional<TensorData> piece = model.constant(part);
                if (piece.isPresent()) {
                    values.addAll(longs(piece.get()));
                } else {
                    values.add(null);  // a dimension taken from Shape at run time (batch or length)
                }
            }
        }
        return values;
    }

    private static List<Long> longs(TensorData tensor) {
        List<Long> values = new ArrayList<>();
        var bytes = tensor.bytes();
        for (long k = 0; k < tensor.numel(); k++) {
            switch (tensor.dtype()) {
                case I64 -> values.add(bytes.getLong());
                case I32 -> values.add((long) bytes.getInt());
                default -> { return List.of(); }
            }
        }
        return values;
    }

    /** Scores divided by sqrt(head_size): the Div constant squared is the head size. */
    private static Optional<Long> scaleDivisorHeads(OnnxModel model, int hidden) {
        for (Node node : model.nodes()) {
            if (node.opType().equals("Div") && node.name().contains("attention") && node.inputs().size() == 2) {
                Optional<Float> divisor = scalar(model, node.inputs().get(1));
                if (divisor.isPresent()) {
                    long headSize = Math.round((double) divisor.get() * divisor.get());
                    if (headSize > 0 && hidden % headSize == 0) {
                        return Optional.of(hidden / headSize);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The epsilon of LayerNormalization nodes, or of a decomposed LayerNorm: Sqrt(Add(ReduceMean(..), eps)). */
    private static double layerNormEps(OnnxModel model, String sourceName) {
        TreeSet<Float> epsilons = new TreeSet<>();
        for (Node node : model.nodes()) {
            if (node.opType().endsWith("LayerNormalization")) {
                // ONNX's default epsilon is 1e-5 when the attribute is absent.
                epsilons.add(node.attribute("epsilon").map(OnnxModel.Attribute::asFloat).orElse(1e-5f));
            } else if (node.opType().equals("Sqrt")) {
                Optional<Node> add = model.producer(node.inputs().get(0)).filter(n -> n.opType().equals("Add"));
                if (add.isPresent() && add.get().inputs().size() == 2) {
                    List<String> inputs = add.get().inputs();
                    for (int k = 0; k < 2; k++) {
                        boolean fromMean = model.producer(inputs.get(1 - k))
                                .map(n -> n.opType().equals("ReduceMean")).orElse(false);
                        Optional<Float> eps = scalar(model, inputs.get(k));
                        if (fromMean && eps.isPresent()) {
                            epsilons.add(eps.get());
                        }
                    }
                }
            }
        }
        if (epsilons.isEmpty()) {
            throw new GlossaException(sourceName + ": cannot find layer_norm_eps (no LayerNormalization and no "
                    + "Sqrt(Add(ReduceMean, eps)) in the graph)");
        }
        if (epsilons.size() > 1) {
            throw new GlossaException(sourceName + ": LayerNorms use different epsilons " + epsilons);
        }
        // The graph holds a float; its shortest decimal form is what the config said (1e-12, not 9.99e-13).
        return Double.parseDouble(Float.toString(epsilons.first()));
    }

    /** hidden_act: exact GELU computes Erf; the tanh approximation computes Tanh inside the intermediate block. */
    private static String activation(OnnxModel model, String sourceName) {
        boolean erf = false;
        boolean tanh = false;
        for (Node node : model.nodes()) {
            switch (node.opType()) {
                case "Erf", "BiasGelu" -> erf = true;
                case "FastGelu" -> tanh = true;
                case "Gelu" -> {
                    String approximate = node.attribute("approximate").map(OnnxModel.Attribute::asString).orElse("none");
                    if (approximate.equals("tanh")) {
                        tanh = true;
                    } else {
                        erf = true;
                    }
                }
                // The pooler's Tanh is not an activation of the encoder.
                case "Tanh" -> tanh |= node.name().contains("intermediate");
                default -> { }
            }
        }
        if (erf && tanh) {
            throw new GlossaException(sourceName + ": the graph computes both an exact and a tanh GELU");
        }
        if (!erf && !tanh) {
            throw new GlossaException(sourceName + ": cannot tell hidden_act (no Erf, Gelu or Tanh in the feed-forward)");
        }
        return erf ? "gelu" : "gelu_new";
    }

    private static Optional<Float> scalar(OnnxModel model, String valueName) {
        return model.constant(valueName)
                .filter(t -> t.dtype() == DType.F32 && t.numel() == 1)
                .map(t -> t.bytes().getFloat());
    }
}
