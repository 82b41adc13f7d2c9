package org.glossa.tasks.classify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;

/**
 * Labelled text files: CoLA's TSV and generic TSV, CSV and JSON lines with named columns.
 *
 * <ul>
 *   <li><b>CoLA</b>: four tab-separated fields, no header: source, label (0 or 1), the original author's mark,
 *       sentence. Labels become {@value #UNACCEPTABLE} (0) and {@value #ACCEPTABLE} (1), with those ids, as GLUE
 *       names them.</li>
 *   <li><b>TSV</b>: a header row naming the columns, then one example a line, fields split at tabs (no quoting,
 *       as GLUE's files).</li>
 *   <li><b>CSV</b>: a header row, RFC 4180 quoting ({@code "a, b"}, {@code ""} for a quote, line breaks inside
 *       quotes).</li>
 *   <li><b>JSON lines</b>: one object a line; the label is a string, number or boolean, or for multi-label data
 *       an array of them.</li>
 * </ul>
 *
 * In TSV and CSV multi-label cells list the labels separated by {@link Columns#labelSeparator} (an empty cell:
 * no label). Every error names the file and line.
 */
public final class ClassificationData {
    public static final String UNACCEPTABLE = "unacceptable";
    public static final String ACCEPTABLE = "acceptable";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClassificationData() {}

    /** The file formats. */
    public enum Format {
        COLA, TSV, CSV, JSONL;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Format parse(String value) {
            for (Format format : values()) {
                if (format.key().equals(value.toLowerCase(Locale.ROOT))) {
                    return format;
                }
            }
            throw new GlossaException("format '" + value + "' is not one of cola, tsv, csv, jsonl");
        }

        /** By file name: .csv, .jsonl/.json/.ndjson, .tsv (a TSV whose first line is not a header is taken for CoLA). */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv")) {
                return CSV;
            }
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
                return JSONL;
            }
            if (name.endsWith(".tsv")) {
                return looksLikeCola(file) ? COLA : TSV;
            }
            throw new GlossaException(file + ": cannot tell the format from the name: give it (cola, tsv, csv or jsonl)");
        }

        /** CoLA's first line: four fields, the second 0 or 1. */
        private static boolean looksLikeCola(Path file) {
            String text = readText(file);
            String first = text.lines().findFirst().orElse("");
            String[] fields = first.split("\t", -1);
            return fields.length == 4 && (fields[1].equals("0") || fields[1].equals("1"));
        }
    }

    /**
     * Which columns (keys in JSON lines) hold what.
     *
     * @param text the text to classify
     * @param pair the second text of a pair; null for single texts
     * @param label the label
     * @param multiLabel whether an example may carry several labels
     * @param labelSeparator separates the labels of a multi-label TSV/CSV cell
     */
    public record Columns(String text, String pair, String label, boolean multiLabel, String labelSeparator) {
        public Columns {
            text = text == null ? "text" : text;
            label = label == null ? "label" : label;
            labelSeparator = labelSeparator == null || labelSeparator.isEmpty() ? "," : labelSeparator;
        }

        public static Columns defaults() {
            return new Columns("text", null, "label", false, ",");
        }
    }

    /**
     * The examples of a file.
     *
     * @param labelOrder the label ids the format itself fixes (CoLA: unacceptable, acceptable); null when the
     *                   labels come from the data
     */
    public record Dataset(Path file, List<Example> examples, List<String> labelOrder) {}

    /** Reads {@code file} in {@code format} (null: by its name). */
    public static Dataset read(Path file, Format format, Columns columns) {
        Format actual = format != null ? format : Format.of(file);
        List<Example> examples = switch (actual) {
            case COLA -> readCola(file);
            case TSV -> readTable(file, splitTsv(readText(file)), columns);
            case CSV -> readTable(file, splitCsv(readText(file), file), columns);
            case JSONL -> readJsonLines(file, columns);
        };
        return new Dataset(file, examples, actual == Format.COLA ? List.of(UNACCEPTABLE, ACCEPTABLE) : null);
    }

    // ------------------------------------------------------------------ CoLA

    static List<Example> readCola(Path file) {
        String text = readText(file);
        List<Example> examples = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            line = stripCarriageReturn(line);
            if (line.isEmpty()) {
                continue;
            }
            String where = file + ":" + number;
            String[] fields = line.split("\t", -1);
            if (fields.length != 4) {
                throw new GlossaException(where + ": expected 4 tab-separated fields (source, label, original mark,"
                        + " sentence) as in CoLA, found " + fields.length);
            }
            String label = switch (fields[1].strip()) {
                case "0" -> UNACCEPTABLE;
                case "1" -> ACCEPTABLE;
                default -> throw new GlossaException(where + ": CoLA label '" + fields[1] + "' is not 0 or 1");
            };
            if (fields[3].isBlank()) {
                throw new GlossaException(where + ": the sentence (4th field) is empty");
            }
            examples.add(new Example(fields[3], null, List.of(label), where));
        }
        return nonEmpty(examples, file, "empty file, no examples");
    }

    // ------------------------------------------------------------------ TSV and CSV

    /** A row of fields and the line it started on. */
    record Row(int line, List<String> fields) {}

    static List<Example> readTable(Path file, List<Row> rows, Columns columns) {
        if (rows.isEmpty()) {
            throw new GlossaException(file + ": empty file, expected a header row and examples");
        }
        List<String> header = rows.get(0).fields().stream().map(String::strip).toList();
        int text = column(header, columns.text(), "text", file);
        int pair = columns.pair() == null ? -1 : column(header, columns.pair(), "pair", file);
        int label = column(header, columns.label(), "label", file);
        List<Example> examples = new ArrayList<>();
        for (Row row : rows.subList(1, rows.size())) {
            String where = file + ":" + row.line();
            List<String> fields = row.fields();
            if (fields.size() == 1 && fields.get(0).isEmpty()) {
                continue; // a blank line
            }
            if (fields.size() != header.size()) {
                throw new GlossaException(where + ": " + fields.size() + " field" + (fields.size() == 1 ? "" : "s")
                        + ", but the header has " + header.size() + " columns");
            }
            List<String> labels = labels(fields.get(label), columns, where);
            examples.add(new Example(fields.get(text), pair < 0 ? null : fields.get(pair), labels, where));
        }
        return nonEmpty(examples, file, "no examples after the header row");
    }

    private static int column(List<String> header, String name, String role, Path file) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new GlossaException(file + ": no column '" + name + "' (the " + role + " column) in the header; columns: "
                    + String.join(", ", header));
        }
        return index;
    }

    private static List<String> labels(String cell, Columns columns, String where) {
        String value = cell.strip();
        if (!columns.multiLabel()) {
            if (value.isEmpty()) {
                throw new GlossaException(where + ": the label is empty");
            }
            return List.of(value);
        }
        if (value.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(value.split(java.util.regex.Pattern.quote(columns.labelSeparator()), -1))
                .map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }

    static List<Row> splitTsv(String text) {
        List<Row> rows = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            line = stripCarriageReturn(line);
            if (line.isEmpty()) {
                continue;
            }
            rows.add(new Row(number, List.of(line.split("\t", -1))));
        }
        return rows;
    }

    /** RFC 4180: comma-separated fields, double quotes around fields that hold commas, quotes or line breaks. */
    static List<Row> splitCsv(String text, Path file) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int rowStart = 1;
        boolean quoted = false;
        boolean rowHasContent = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (field.length() > 0) {
                        throw new GlossaException(file + ":" + line + ": a quote inside an unquoted field (quote the whole"
                                + " field and double the quote: \"\")");
                    }
                    quoted = true;
                    rowHasContent = true;
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    rowHasContent = true;
                }
                case '\r' -> { } // CRLF line ends
                case '\n' -> {
                    if (rowHasContent || field.length() > 0) {
                        fields.add(field.toString());
                        rows.add(new Row(rowStart, List.copyOf(fields)));
                    }
                    fields.clear();
                    field.setLength(0);
                    rowHasContent = false;
                    line++;
                    rowStart = line;
                }
                default -> {
                    field.append(c);
                    rowHasContent = true;
                }
            }
        }
        if (quoted) {
            throw new GlossaException(file + ":" + rowStart + ": a quoted field is not closed before the end of the file");
        }
        if (rowHasContent || field.length() > 0) {
            fields.add(field.toString());
            rows.add(new Row(rowStart, List.copyOf(fields)));
        }
        return rows;
    }

    // ------------------------------------------------------------------ JSON lines

    static List<Example> readJsonLines(Path file, Columns columns) {
        String text = readText(file);
        List<Example> examples = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String where = file + ":" + number;
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                // Jackson appends where an unclosed object began, as an unreadable source dump: the line says enough.
                String problem = e.getOriginalMessage().lines().findFirst().orElse("")
                        .replaceAll("\\s*\\(start marker at .*\\)$", "");
                throw new GlossaException(where + ": not JSON: " + problem, e);
            }
            if (node == null || !node.isObject()) {
                throw new GlossaException(where + ": expected a JSON object, one example a line");
            }
            String sentence = string(node, columns.text(), where);
            String pair = columns.pair() == null ? null : string(node, columns.pair(), where);
            examples.add(new Example(sentence, pair, jsonLabels(node, columns, where), where));
        }
        return nonEmpty(examples, file, "empty file, no examples");
    }

    private static String string(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            throw new GlossaException(where + ": no key '" + key + "'");
        }
        if (!value.isTextual()) {
            throw new GlossaException(where + ": '" + key + "' must be a string, found " + value);
        }
        return value.textValue();
    }

    private static List<String> jsonLabels(JsonNode node, Columns columns, String where) {
        JsonNode value = node.get(columns.label());
        if (value == null || value.isNull()) {
            throw new GlossaException(where + ": no key '" + columns.label() + "'");
        }
        if (value.isArray()) {
            if (!columns.multiLabel()) {
                throw new GlossaException(where + ": '" + columns.label() + "' holds a list: that is multi-label data");
            }
            List<String> labels = new ArrayList<>();
            for (JsonNode element : value) {
                String label = scalar(element, columns.label(), where);
                if (!labels.contains(label)) {
                    labels.add(label);
                }
            }
            return labels;
        }
        return List.of(scalar(value, columns.label(), where));
    }

    private static String scalar(JsonNode value, String key, String where) {
        if (!(value.isTextual() || value.isNumber() || value.isBoolean()) || value.asText().isBlank()) {
            throw new GlossaException(where + ": '" + key + "' must hold a label (string, number or boolean), found " + value);
        }
        return value.asText().strip();
    }

    // ------------------------------------------------------------------ files

    /** The file as UTF-8 text (a byte-order mark dropped); fails on a missing file or bytes that are not UTF-8. */
    static String readText(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new GlossaException(file + ": no such file", e);
        } catch (IOException e) {
            throw new GlossaException(file + ": cannot read: " + AtomicFiles.describe(e), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new GlossaException(file + ": not UTF-8 text", e);
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static String stripCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static List<Example> nonEmpty(List<Example> examples, Path file, String what) {
        if (examples.isEmpty()) {
            throw new GlossaException(file + ": " + what);
        }
        return examples;
    }
}
