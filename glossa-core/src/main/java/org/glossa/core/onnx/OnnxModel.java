package org.glossa.core.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.safetensors.DType;
import org.glossa.core.safetensors.TensorData;

/**
 * The parts of an ONNX model (https://onnx.ai, {@code onnx.proto}) that weight import needs: the graph's
 * nodes with their attributes, its initializers (the weights) and the names of its inputs and outputs.
 *
 * <p>Decoded by our own protobuf reader ({@link ProtoReader}); fields we do not use are skipped.
 * Initializer contents are slices of the input buffer: a model read from a {@link Path} is memory-mapped
 * and its weights are not copied.
 *
 * @param nodes        the graph's nodes, in file order (ONNX requires topological order)
 * @param initializers the graph's initializers by name, in file order
 * @param inputs       the graph's real inputs: declared inputs that are not initializers (old IR versions
 *                     list every initializer as an input too)
 * @param outputs      the graph's declared outputs
 * @param producerName the exporter that wrote the file ("pytorch", "onnx.quantize", ...), or ""
 * @param opsetVersion the version of the default ("ai.onnx") operator set, or 0 when not declared
 */
public record OnnxModel(List<Node> nodes, Map<String, TensorData> initializers, List<String> inputs,
                        List<String> outputs, String producerName, long opsetVersion) {

    public OnnxModel {
        nodes = List.copyOf(nodes);
        initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** One operation of the graph; {@code inputs} may hold "" for an omitted optional input. */
    public record Node(String name, String opType, List<String> inputs, List<String> outputs,
                       Map<String, Attribute> attributes) {
        public Node {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }

        /** The named attribute, or empty. */
        public Optional<Attribute> attribute(String attributeName) {
            return Optional.ofNullable(attributes.get(attributeName));
        }
    }

    /** The kinds of attribute value, numbered as in {@code AttributeProto.AttributeType}. */
    public enum AttributeType {
        UNDEFINED, FLOAT, INT, STRING, TENSOR, GRAPH, FLOATS, INTS, STRINGS, TENSORS, GRAPHS, SPARSE_TENSOR,
        SPARSE_TENSORS, TYPE_PROTO, TYPE_PROTOS;

        static AttributeType of(int code) {
            return code >= 0 && code < values().length ? values()[code] : UNDEFINED;
        }
    }

    /**
     * A node attribute. Only the value matching {@code type} is meaningful; graphs, string lists and
     * sparse tensors are recognised by type but their values are not decoded.
     */
    public record Attribute(String name, AttributeType type, float f, long i, String s, TensorData t,
                            float[] floats, long[] ints) {

        public float asFloat() {
            check(AttributeType.FLOAT);
            return f;
        }

        public long asInt() {
            check(AttributeType.INT);
            return i;
        }

        public String asString() {
            check(AttributeType.STRING);
            return s;
        }

        public TensorData asTensor() {
            check(AttributeType.TENSOR);
            return t;
        }

        public float[] asFloats() {
            check(AttributeType.FLOATS);
            return floats.clone();
        }

        public long[] asInts() {
            check(AttributeType.INTS);
            return ints.clone();
        }

        private void check(AttributeType expected) {
            if (type != expected) {
                throw new GlossaException("ONNX attribute '" + name + "' is " + type + ", expected " + expected);
            }
        }
    }

    /** Reads an ONNX file, memory-mapping it. */
    public static OnnxModel read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                // Protobuf messages are limited to 2 GB; bigger models keep their weights in external files.
                throw new GlossaException("ONNX file " + file + " is " + size + " bytes, over the 2 GB protobuf limit");
            }
            ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return read(mapped, file.toString());
        } catch (IOException e) {
            throw new GlossaException("cannot read ONNX file " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** Reads an ONNX model from a stream (e.g. a class-path resource); {@code sourceName} names it in errors. */
    public static OnnxModel read(InputStream in, String sourceName) {
        try {
            return read(ByteBuffer.wrap(in.readAllBytes()), sourceName);
        } catch (IOException e) {
            throw new GlossaException("cannot read ONNX model " + sourceName + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** Decodes an ONNX {@code ModelProto}; {@code sourceName} names the input in errors. */
    public static OnnxModel read(ByteBuffer bytes, String sourceName) {
        ProtoReader model = new ProtoReader(bytes, sourceName);
        ProtoReader graph = null;
        String producer = "";
        long opset = 0;
        while (model.next()) {
            switch (model.field()) {
                case 2 -> producer = model.string();
                case 7 -> graph = model.message();
                case 8 -> { // OperatorSetIdProto: domain = 1, version = 2
                    ProtoReader opsetId = model.message();
                    String domain = "";
                    long version = 0;
                    while (opsetId.next()) {
                        switch (opsetId.field()) {
                            case 1 -> domain = opsetId.string();
                            case 2 -> version = opsetId.int64();
                            default -> opsetId.skip();
                        }
                    }
                    if (domain.isEmpty() || domain.equals("ai.onnx")) {
                        opset = version;
                    }
                }
                default -> model.skip();
            }
        }
        if (graph == null) {
            throw new GlossaException(sourceName + ": not an ONNX model (no graph)");
        }
        return readGraph(graph, producer, opset, sourceName);
    }

    /** The node that computes {@code valueName}, or empty for graph inputs and initializers. */
    public Optional<Node> producer(String valueName) {
        for (Node node : nodes) {
            if (node.outputs().contains(valueName)) {
                return Optional.of(node);
            }
        }
        return Optional.empty();
    }

    /** The nodes that take {@code valueName} as an input, in graph order. */
    public List<Node> consumers(String valueName) {
        List<Node> found = new ArrayList<>();
        for (Node node : nodes) {
            if (node.inputs().contains(valueName)) {
                found.add(node);
            }
        }
        return found;
    }

    /**
     * The value of {@code valueName} when it is known without running the graph: an initializer, or the
     * output of a {@code Constant} node (its {@code value}, {@code value_float(s)} or {@code value_int(s)}).
     */
    public Optional<TensorData> constant(String valueName) {
        TensorData initializer = initializers.get(valueName);
        if (initializer != null) {
            return Optional.of(initializer);
        }
        return producer(valueName).filter(node -> node.opType().equals("Constant")).map(OnnxModel::constantValue);
    }

    private static TensorData constantValue(Node constant) {
        for (Attribute attribute : constant.attributes().values()) {
            switch (attribute.name()) {
                case "value": return attribute.asTensor();
                case "value_float": return TensorData.ofFloats(new float[] {attribute.asFloat()});
                case "value_floats": {
                    float[] values = attribute.asFloats();
                    return TensorData.ofFloats(values, values.length);
                }
                case "value_int": return int64Tensor(new long[] {attribute.asInt()});
                case "value_ints": {
                    long[] values = attribute.asInts();
                    return int64Tensor(values, values.length);
                }
                default: break;
            }
        }
        throw new GlossaException("ONNX Constant node '" + constant.name() + "' has no value Glossa can read");
    }

    private static TensorData int64Tensor(long[] values, long... shape) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(values);
        return new TensorData(DType.I64, shape, buffer);
    }

    // ---- decoding ------------------------------------------------------------------------------------

    private static OnnxModel readGraph(ProtoReader graph, String producer, long opset, String source) {
        List<Node> nodes = new ArrayList<>();
        Map<String, TensorData> initializers = new LinkedHashMap<>();
        List<String> declaredInputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        while (graph.next()) {
            switch (graph.field()) {
                case 1 -> nodes.add(readNode(graph.message(), source));
                case 5 -> {
                    NamedTensor tensor = readTensor(graph.message(), source);
                    if (initializers.put(tensor.name(), tensor.data()) != null) {
                        throw new GlossaException(source + ": initializer '" + tensor.name() + "' appears twice");
                    }
                }
                case 11 -> declaredInputs.add(valueInfoName(graph.message()));
                case 12 -> outputs.add(valueInfoName(graph.message()));
                case 15 -> throw new GlossaException(source + ": sparse initializers are not supported");
                default -> graph.skip();
            }
        }
        List<String> inputs = declaredInputs.stream().filter(name -> !initializers.containsKey(name)).toList();
        return new OnnxModel(nodes, initializers, inputs, outputs, producer, opset);
    }

    private static String valueInfoName(ProtoReader valueInfo) {
        String name = "";
        while (valueInfo.next()) {
            if (valueInfo.field() == 1) {
                name = valueInfo.string();
            } else {
                valueInfo.skip();
            }
        }
        return name;
    }

    private static Node readNode(ProtoReader node, String source) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        String name = "";
        String opType = "";
        while (node.next()) {
            switch (node.field()) {
                case 1 -> inputs.add(node.string());
                case 2 -> outputs.add(node.string());
                case 3 -> name = node.string();
                case 4 -> opType = node.string();
                case 5 -> {
                    Attribute attribute = readAttribute(node.message(), source);
                    attributes.put(attribute.name(), attribute);
                }
                default -> node.skip();
            }
        }
        return new Node(name, opType, inputs, outputs, attributes);
    }

    private static Attribute readAttribute(ProtoReader attribute, String source) {
        String name = "";
        int typeCode = 0;
        float f = 0;
        long i = 0;
        String s = null;
        TensorData t = null;
        LongList floats = new LongList();
        LongList ints = new LongList();
        // Which value fields were present: files from old exporters omit the type field.
        boolean hasF = false, hasI = false, hasS = false, hasT = false, hasGraph = false;
        while (attribute.next()) {
            switch (attribute.field()) {
                case 1 -> name = attribute.string();
                case 2 -> { f = attribute.float32(); hasF = true; }
                case 3 -> { i = attribute.int64(); hasI = true; }
                case 4 -> { s = attribute.string(); hasS = true; }
                case 5 -> { t = readTensor(attribute.message(), source).data(); hasT = true; }
                case 6 -> { attribute.skip(); hasGraph = true; }
                case 7 -> attribute.float32s(value -> floats.add(Float.floatToRawIntBits(value)));
                case 8 -> attribute.int64s(ints::add);
                case 20 -> typeCode = attribute.int32();
                default -> attribute.skip();
            }
        }
        AttributeType type = AttributeType.of(typeCode);
        if (type == AttributeType.UNDEFINED) {
            type = hasF ? AttributeType.FLOAT : hasI ? AttributeType.INT : hasS ? AttributeType.STRING
                    : hasT ? AttributeType.TENSOR : hasGraph ? AttributeType.GRAPH
                    : floats.size() > 0 ? AttributeType.FLOATS : AttributeType.INTS;
        }
        float[] floatValues = new float[floats.size()];
        for (int k = 0; k < floatValues.length; k++) {
            floatValues[k] = Float.intBitsToFloat((int) floats.get(k));
        }
        return new Attribute(name, type, f, i, s, t, floatValues, ints.toArray());
    }

    private record NamedTensor(String name, TensorData data) {}

    /** Decodes a {@code TensorProto}: contents either in {@code raw_data} or in a typed repeated field. */
    private static NamedTensor readTensor(ProtoReader tensor, String source) {
        LongList dims = new LongList();
        int dataType = 0;
        String name = "";
        ByteBuffer raw = null;
        int dataLocation = 0;
        LongList floatData = new LongList();   // float bits
        LongList int32Data = new LongList();   // also holds int8/int16/uint8/bool/float16/bfloat16 values
        LongList int64Data = new LongList();
        LongList doubleData = new LongList();  // double bits
        long tensorStart = tensor.offset();
        while (tensor.next()) {
            switch (tensor.field()) {
                case 1 -> tensor.int64s(dims::add);
                case 2 -> dataType = tensor.int32();
                case 3 -> throw tensor.malformed("segmented tensors are not supported");
                case 4 -> tensor.float32s(value -> floatData.add(Float.floatToRawIntBits(value)));
                case 5 -> tensor.int64s(int32Data::add);
                case 7 -> tensor.int64s(int64Data::add);
                case 8 -> name = tensor.string();
                case 9 -> raw = tensor.bytes();
                case 10 -> tensor.float64s(value -> doubleData.add(Double.doubleToRawLongBits(value)));
                case 14 -> dataLocation = tensor.int32();
                default -> tensor.skip();
            }
        }
        String label = "tensor '" + name + "' (at byte " + tensorStart + ")";
        if (dataLocation == 1) {
            throw new GlossaException(source + ": " + label
                    + " keeps its data in an external file, which Glossa does not read; save the model as one file");
        }
        DType dtype = dtypeOf(dataType, label, source);
        long[] shape = dims.toArray();
        for (long dim : shape) {
            if (dim < 0) {
                throw new GlossaException(source + ": " + label + " has negative dimension in shape " + Arrays.toString(shape));
            }
        }
        long count;
        try {
            count = TensorData.numel(shape);
        } catch (ArithmeticException e) {
            throw new GlossaException(source + ": " + label + " has an impossibly large shape " + Arrays.toString(shape));
        }
        ByteBuffer contents;
        if (raw != null) {
            if (raw.remaining() != count * dtype.byteSize()) {
                throw new GlossaException(source + ": " + label + " of type " + dtype + " and shape "
                        + Arrays.toString(shape) + " needs " + count * dtype.byteSize() + " bytes of raw data, has " + raw.remaining());
            }
            contents = raw;
        } else {
            LongList values = switch (dtype) {
                case F32 -> floatData;
                case F64 -> doubleData;
                case I64 -> int64Data;
                default -> int32Data;
            };
            if (values.size() != count) {
                throw new GlossaException(source + ": " + label + " of shape " + Arrays.toString(shape)
                        + " needs " + count + " values, has " + values.size());
            }
            contents = pack(values, dtype);
        }
        return new NamedTensor(name, new TensorData(dtype, shape, contents));
    }

    /** ONNX {@code TensorProto.DataType} codes to safetensors dtypes. */
    private static DType dtypeOf(int code, String label, String source) {
        return switch (code) {
            case 1 -> DType.F32;
            case 2 -> DType.U8;
            case 3 -> DType.I8;
            case 5 -> DType.I16;
            case 6 -> DType.I32;
            case 7 -> DType.I64;
            case 9 -> DType.BOOL;
            case 10 -> DType.F16;
            case 11 -> DType.F64;
            case 16 -> DType.BF16;
            default -> throw new GlossaException(source + ": " + label + " has ONNX data type " + code
                    + " (" + onnxTypeName(code) + "), which Glossa does not read");
        };
    }

    private static String onnxTypeName(int code) {
        String[] names = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING",
                "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};
        return code >= 0 && code < names.length ? names[code] : "unknown";
    }

    /** Typed repeated values to little-endian bytes; 16-bit floats arrive as their bit patterns. */
    private static ByteBuffer pack(LongList values, DType dtype) {
        ByteBuffer out = ByteBuffer.allocate(values.size() * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < values.size(); k++) {
            long v = values.get(k);
            switch (dtype) {
                case F64, I64 -> out.putLong(v);
                case F32, I32 -> out.putInt((int) v);
                case F16, BF16, I16 -> out.putShort((short) v);
                case I8, U8, BOOL -> out.put((byte) v);
            }
        }
        return out.flip();
    }

    /** A growable list of longs, to collect repeated numeric fields without boxing. */
    private static final class LongList {
        private long[] values = new long[8];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long get(int index) {
            return values[index];
        }

        int size() {
            return size;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
