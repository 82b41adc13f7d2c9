package org.glossa.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * HuggingFace {@code config.json} files: reading with clear errors, writing in the layout Python's
 * {@code json.dumps(indent=2)} produces, and typed access to keys that names the key when it is wrong.
 * Model config records (e.g. {@code BertConfig}) are built on these.
 */
public final class HfConfig {
    private HfConfig() {}

    public static final String FILE_NAME = "config.json";

    // Python's json module writes NaN and Infinity, so configs written by transformers may contain them.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The shared Jackson mapper for HF JSON files (lenient about NaN/Infinity, strict about trailing garbage). Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    // ------------------------------------------------------------------ reading and writing

    /**
     * Reads {@code config.json}: {@code location} is either a model directory holding one or the file itself.
     * Fails with a {@link GlossaException} naming the file: missing, unreadable, malformed JSON, or not an object.
     */
    public static ObjectNode read(Path location) {
        Path file = Files.isDirectory(location) ? location.resolve(FILE_NAME) : location;
        if (!Files.exists(file)) {
            throw new GlossaException(file.equals(location) ? location + ": no such file" : location + ": no " + FILE_NAME);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new GlossaException(file + ": no such file", e);
        } catch (IOException e) {
            throw new GlossaException(file + ": cannot read: " + AtomicFiles.describe(e), e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses config JSON from memory; {@code source} names it in error messages. */
    public static ObjectNode parse(byte[] json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + " column " + location.getColumnNr();
            String problem = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            // Jackson appends where an unclosed object began, as an unreadable source dump: the line/column say enough.
            problem = problem.replaceAll("\\s*\\(start marker at .*\\)$", "");
            throw new GlossaException(source + ": malformed JSON" + where + ": " + problem, e);
        } catch (IOException e) {
            throw new GlossaException(source + ": cannot read: " + AtomicFiles.describe(e), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new GlossaException(source + ": empty file, expected a JSON object");
        }
        if (!root.isObject()) {
            throw new GlossaException(source + ": expected a JSON object, found " + describe(root));
        }
        return (ObjectNode) root;
    }

    /**
     * Reads {@code config.json} of {@code modelDir}, requiring its {@code model_type} to be {@code modelType};
     * anything else is a one-line error naming the file and what was expected ({@code description}).
     */
    public static ObjectNode readTyped(Path modelDir, String modelType, String description) {
        ObjectNode json = read(modelDir);
        JsonNode type = json.get("model_type");
        if (type == null || !type.asText().equals(modelType)) {
            throw new GlossaException(modelDir.resolve(FILE_NAME) + ": model_type is " + (type == null ? "missing"
                    : "'" + type.asText() + "'") + ", expected '" + modelType + "' (" + description + ")");
        }
        return json;
    }

    /** Writes {@code config} (a config record) as {@code modelDir/config.json}, after {@code model_type} and {@code architectures}. */
    public static void writeTyped(Path modelDir, String modelType, String architecture, Object config) {
        ObjectNode json = mapper().createObjectNode();
        json.put("model_type", modelType);
        json.putArray("architectures").add(architecture);
        json.setAll((ObjectNode) mapper().valueToTree(config));
        write(modelDir.resolve(FILE_NAME), json);
    }

    /**
     * Writes {@code config} to {@code file} atomically, laid out as {@code json.dumps(config, indent=2)} lays it
     * out (2-space indent, one array element per line, {@code "key": value}, Python's float notation such as
     * {@code 1e-12}), in the node's own key order, UTF-8, with a trailing newline.
     */
    public static void write(Path file, JsonNode config) {
        byte[] bytes = toJson(config);
        AtomicFiles.write(file, temporary -> Files.write(temporary, bytes));
    }

    /** The bytes {@link #write} writes. */
    public static byte[] toJson(JsonNode config) {
        var out = new java.io.ByteArrayOutputStream();
        try {
            writeTo(out, config);
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private static void writeTo(OutputStream out, JsonNode config) throws IOException {
        DefaultIndenter twoSpaces = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withObjectIndenter(twoSpaces)
                .withArrayIndenter(twoSpaces);
        try (JsonGenerator generator = MAPPER.getFactory().createGenerator(out)) {
            generator.setPrettyPrinter(printer);
            writeNode(generator, config);
            generator.writeRaw('\n');
        }
    }

    /** Writes the tree by hand so that floating-point numbers come out in Python's notation. */
    private static void writeNode(JsonGenerator generator, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                generator.writeStartObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    generator.writeFieldName(field.getKey());
                    writeNode(generator, field.getValue());
                }
                generator.writeEndObject();
            }
            case ARRAY -> {
                generator.writeStartArray();
                for (JsonNode element : node) {
                    writeNode(generator, element);
                }
                generator.writeEndArray();
            }
            case NUMBER -> {
                if (node.isFloatingPointNumber()) {
                    generator.writeNumber(node.isBigDecimal() ? pythonFloat(node.decimalValue())
                            : pythonFloat(node.doubleValue()));
                } else {
                    generator.writeNumber(node.bigIntegerValue());
                }
            }
            case STRING -> generator.writeString(node.textValue());
            case BOOLEAN -> generator.writeBoolean(node.booleanValue());
            case NULL, MISSING -> generator.writeNull();
            case BINARY, POJO -> generator.writeTree(node);
        }
    }

    /**
     * A double as Python's {@code repr} writes it: the shortest digits that round-trip, in positional notation
     * when the decimal exponent is in [-4, 16) ({@code 0.02}, {@code 768.0}) and scientific otherwise
     * ({@code 1e-12}, {@code 1e+16}); NaN and infinities as {@code NaN}, {@code Infinity}, {@code -Infinity}.
     */
    static String pythonFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        // The fewest significant digits that read back as the same double, as Python's repr picks them
        // (Java 17's Double.toString sometimes prints more digits than needed).
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (rounded.doubleValue() == value) {
                return pythonFloat(rounded);
            }
        }
        return pythonFloat(exact.round(new MathContext(17, RoundingMode.HALF_EVEN)));
    }

    private static String pythonFloat(BigDecimal value) {
        if (value.signum() == 0) {
            return "0.0";
        }
        BigDecimal stripped = value.stripTrailingZeros();
        String digits = stripped.unscaledValue().abs().toString();
        String sign = stripped.signum() < 0 ? "-" : "";
        int exponent = digits.length() - 1 - stripped.scale(); // value = d.ddd × 10^exponent
        if (exponent >= -4 && exponent < 16) {
            String plain = stripped.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String exponentText = String.format("%02d", Math.abs(exponent));
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exponentText;
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase();
        };
    }

    // ------------------------------------------------------------------ typed access

    /** An integer (an int, or an integral float such as {@code 768.0}); fails naming the key when missing, null or not one. */
    public static int requireInt(JsonNode config, String key) {
        return toInt(require(config, key), key);
    }

    public static long requireLong(JsonNode config, String key) {
        return toLong(require(config, key), key);
    }

    public static double requireDouble(JsonNode config, String key) {
        return toDouble(require(config, key), key);
    }

    public static String requireString(JsonNode config, String key) {
        return toText(require(config, key), key);
    }

    public static boolean requireBoolean(JsonNode config, String key) {
        return toBoolean(require(config, key), key);
    }

    /** The integer under {@code key}, or {@code fallback} when the key is absent or null (as HF writes unset values). */
    public static int optInt(JsonNode config, String key, int fallback) {
        JsonNode value = optional(config, key);
        return value == null ? fallback : toInt(value, key);
    }

    public static long optLong(JsonNode config, String key, long fallback) {
        JsonNode value = optional(config, key);
        return value == null ? fallback : toLong(value, key);
    }

    public static double optDouble(JsonNode config, String key, double fallback) {
        JsonNode value = optional(config, key);
        return value == null ? fallback : toDouble(value, key);
    }

    public static String optString(JsonNode config, String key, String fallback) {
        JsonNode value = optional(config, key);
        return value == null ? fallback : toText(value, key);
    }

    public static boolean optBoolean(JsonNode config, String key, boolean fallback) {
        JsonNode value = optional(config, key);
        return value == null ? fallback : toBoolean(value, key);
    }

    private static JsonNode require(JsonNode config, String key) {
        JsonNode value = config.get(key);
        if (value == null) {
            throw new GlossaException(FILE_NAME + ": required key '" + key + "' is missing");
        }
        if (value.isNull()) {
            throw new GlossaException(FILE_NAME + ": required key '" + key + "' is null");
        }
        return value;
    }

    private static JsonNode optional(JsonNode config, String key) {
        JsonNode value = config.get(key);
        return value == null || value.isNull() ? null : value;
    }

    private static long toLong(JsonNode value, String key) {
        boolean integral = value.isIntegralNumber()
                || (value.isFloatingPointNumber() && value.canConvertToExactIntegral());
        if (!integral || !value.canConvertToLong()) {
            throw wrongType(key, "an integer", value);
        }
        return value.longValue();
    }

    private static int toInt(JsonNode value, String key) {
        long number = toLong(value, key);
        if (number != (int) number) {
            throw new GlossaException(FILE_NAME + ": '" + key + "' is " + number + ", outside the range of a 32-bit integer");
        }
        return (int) number;
    }

    private static double toDouble(JsonNode value, String key) {
        if (!value.isNumber()) {
            throw wrongType(key, "a number", value);
        }
        return value.doubleValue();
    }

    private static String toText(JsonNode value, String key) {
        if (!value.isTextual()) {
            throw wrongType(key, "a string", value);
        }
        return value.textValue();
    }

    private static boolean toBoolean(JsonNode value, String key) {
        if (!value.isBoolean()) {
            throw wrongType(key, "true or false", value);
        }
        return value.booleanValue();
    }

    private static GlossaException wrongType(String key, String expected, JsonNode value) {
        String shown = value.toString();
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
        return new GlossaException(FILE_NAME + ": '" + key + "' must be " + expected + ", found " + shown);
    }

    /**
     * Binds a model's {@code config.json} to its config record: the {@code required} keys must be present,
     * and a value the record's constructor rejects (an {@link IllegalArgumentException}) becomes one line
     * naming {@code source}.
     */
    public static <T> T toRecord(ObjectNode json, Class<T> type, List<String> required, String source) {
        for (String key : required) {
            if (!json.hasNonNull(key)) {
                throw new GlossaException(source + ": required key '" + key + "' is missing");
            }
        }
        try {
            return MAPPER.treeToValue(json, type);
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String message = cause instanceof IllegalArgumentException ? cause.getMessage()
                    : String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
            throw new GlossaException(source + ": " + message, e);
        }
    }

    /** For config records' constructors: {@code key} must be at least 1. */
    public static void checkPositive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    /** For config records' constructors: a dropout-like probability in [0, 1). */
    public static void checkProbability(String key, double value) {
        if (value < 0 || value >= 1) {
            throw new IllegalArgumentException(key + " must be in [0, 1), got " + value);
        }
    }
}
