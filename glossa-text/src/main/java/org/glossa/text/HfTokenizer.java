package org.glossa.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.glossa.core.GlossaException;

/**
 * A {@link Tokenizer} over a HuggingFace {@code tokenizer.json}, run by HuggingFace's Rust
 * tokenizers through DJL's binding ({@code ai.djl.huggingface:tokenizers}).
 *
 * <p><b>No network.</b> The tokenizer is built from the file's text; DJL's hub download
 * ({@code newInstance(String name)}) is never used. DJL's telemetry ping on load (EC2 metadata
 * address, then S3) is switched off by setting the system property {@code OPT_OUT_TRACKING=true}
 * unless the property is already set (an environment variable of that name, which DJL reads first,
 * still wins).
 *
 * <p><b>Native library.</b> The Rust library ships inside the DJL jar and is copied on first use to
 * {@code <cache>/tokenizers/<version>-cpu-<platform>/libtokenizers.so}, where {@code <cache>} is
 * {@code ENGINE_CACHE_DIR}, else {@code DJL_CACHE_DIR}, else {@code ~/.djl.ai} ({@code
 * <java.io.tmpdir>/.djl.ai} when the home directory is not writable). Each name is read as an
 * environment variable first, then as a system property. A cold start with an empty cache needs no
 * network.
 *
 * <p><b>Settings of the file that are ignored.</b> The {@code truncation} and {@code padding}
 * blocks of tokenizer.json (the MiniLM file says "truncate and pad to 128") are switched off:
 * callers truncate with {@link #encode(String, int)} or {@link #encodePairWindows} and pad with
 * {@link #pad}.
 *
 * <p><b>Offsets.</b> DJL asks the Rust side for offsets in Unicode code points
 * ({@code encode_char_offsets}); a Java string indexes UTF-16 code units, so offsets are converted
 * with the code-point table of each input string (they differ as soon as a text has a character
 * outside the Basic Multilingual Plane, e.g. an emoji). Unpaired surrogates, which the JNI string
 * conversion would turn into three replacement characters and so shift every later offset, are
 * replaced by U+FFFD (one unit, one code point) before encoding.
 *
 * <p>Instances are immutable and thread-safe; the native tokenizer is freed when the instance is
 * garbage-collected (DJL's finalizer).
 */
public final class HfTokenizer implements Tokenizer {

    /** HuggingFace writes this (int(1e30)) as model_max_length when a model has no limit. */
    private static final long NO_LIMIT_THRESHOLD = 1_000_000_000L;

    private static final int DEFAULT_MAX_LENGTH = 512;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final HuggingFaceTokenizer djl;
    private final Map<String, Integer> vocab;
    private final int vocabSize;
    private final int padId;
    private final Integer clsId;
    private final Integer sepId;
    private final int maxLength;

    private HfTokenizer(Path file, HuggingFaceTokenizer djl, Map<String, Integer> vocab, int padId,
                        int maxLength) {
        this.file = file;
        this.djl = djl;
        this.vocab = vocab;
        this.vocabSize = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        this.padId = padId;
        this.clsId = firstPresent(vocab, "[CLS]", "<s>");
        this.sepId = firstPresent(vocab, "[SEP]", "</s>");
        this.maxLength = maxLength;
    }

    /**
     * Loads {@code tokenizer.json}, or the {@code tokenizer.json} inside a model directory.
     * model_max_length comes from a top-level "model_max_length" in that file or from a
     * {@code tokenizer_config.json} beside it, else 512.
     */
    public static HfTokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        byte[] bytes = readFile(file, "tokenizer file");
        JsonNode root = parseJson(bytes, file);
        Map<String, Integer> vocab = readVocabulary(root, file);
        int padId = readPadId(root, vocab);
        int maxLength = readModelMaxLength(root, file);
        return new HfTokenizer(file, createNative(bytes, file), vocab, padId, maxLength);
    }

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        Objects.requireNonNull(text, "text");
        try {
            var encoding = djl.encode(withoutLoneSurrogates(text), addSpecialTokens, false);
            return convert(encoding, text, null);
        } finally {
            Reference.reachabilityFence(djl);
        }
    }

    @Override
    public Encoding encode(String text, int maxLength) {
        Encoding whole = encode(text);
        if (whole.length() <= maxLength) {
            return whole;
        }
        int[] textRange = sequenceRange(whole, 0);
        int fixed = whole.length() - (textRange[1] - textRange[0]);
        int keep = maxLength - fixed;
        if (keep < 0) {
            throw new GlossaException("maxLength " + maxLength + " is shorter than the " + fixed
                    + " special tokens of " + file);
        }
        return whole.select(windowPositions(whole.length(), textRange, 0, keep));
    }

    @Override
    public Encoding encodePair(String first, String second, boolean addSpecialTokens) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        try {
            var encoding = djl.encode(withoutLoneSurrogates(first), withoutLoneSurrogates(second),
                    addSpecialTokens, false);
            return convert(encoding, first, second);
        } finally {
            Reference.reachabilityFence(djl);
        }
    }

    /**
     * Windows cut from the whole pair encoding. This mirrors HuggingFace's Rust code path (truncate
     * the second sequence to {@code maxLength} minus the rest, overflow windows starting every
     * {@code budget - stride} context tokens, the last one ending at the context's end, then the
     * template around each) without its truncation machinery, which in tokenizers 0.23.1-0.23.2
     * loses overflow windows (huggingface/tokenizers issue 2091).
     */
    @Override
    public List<Encoding> encodePairWindows(String question, String context, int maxLength,
                                            int stride) {
        if (stride < 0) {
            throw new GlossaException("stride must not be negative, got " + stride);
        }
        Encoding whole = encodePair(question, context);
        if (whole.length() <= maxLength) {
            return List.of(whole);
        }
        int[] contextRange = sequenceRange(whole, 1);
        int contextLength = contextRange[1] - contextRange[0];
        int budget = maxLength - (whole.length() - contextLength); // context tokens per window
        if (budget <= 0) {
            throw new GlossaException("question and special tokens take " + (whole.length()
                    - contextLength) + " tokens, no room for the context in windows of maxLength "
                    + maxLength);
        }
        if (stride >= budget) {
            throw new GlossaException("stride " + stride + " must be smaller than the " + budget
                    + " context tokens that fit in a window of maxLength " + maxLength);
        }
        List<Encoding> windows = new ArrayList<>();
        for (int start = 0; ; start += budget - stride) {
            int end = Math.min(start + budget, contextLength);
            windows.add(whole.select(windowPositions(whole.length(), contextRange, start, end)));
            if (end == contextLength) {
                return windows;
            }
        }
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public boolean hasToken(String token) {
        return vocab.containsKey(token);
    }

    @Override
    public long tokenId(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new GlossaException("token \"" + token + "\" is not in the vocabulary of " + file);
        }
        return id;
    }

    @Override
    public String decode(long[] ids, boolean skipSpecialTokens) {
        for (long id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new GlossaException("token id " + id + " is outside the vocabulary of "
                        + vocabSize + " tokens of " + file);
            }
        }
        try {
            return djl.decode(ids, skipSpecialTokens);
        } finally {
            Reference.reachabilityFence(djl);
        }
    }

    @Override
    public int padId() {
        return padId;
    }

    @Override
    public int clsId() {
        if (clsId == null) {
            throw new GlossaException(file + " has no [CLS] or <s> token");
        }
        return clsId;
    }

    @Override
    public int sepId() {
        if (sepId == null) {
            throw new GlossaException(file + " has no [SEP] or </s> token");
        }
        return sepId;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    /** The tokenizer.json this tokenizer was loaded from. */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "HfTokenizer[" + file + ", " + vocabSize + " tokens]";
    }

    // ---- Encoding conversion ----

    /** DJL's encoding with offsets turned from code points of the input into UTF-16 units. */
    private static Encoding convert(ai.djl.huggingface.tokenizers.Encoding encoding, String first,
                                    String second) {
        long[] ids = encoding.getIds();
        int n = ids.length;
        long[] djlSequenceIds = encoding.getSequenceIds();
        CharSpan[] spans = encoding.getCharTokenSpans();
        int[][] tables = {utf16Table(first), second == null ? null : utf16Table(second)};
        int[] charStart = new int[n];
        int[] charEnd = new int[n];
        int[] sequenceIds = new int[n];
        for (int i = 0; i < n; i++) {
            int sequence = (int) djlSequenceIds[i];
            // DJL gives no span (null) for added special tokens; they keep (0, 0) and sequence -1.
            if (sequence < 0 || spans[i] == null) {
                sequenceIds[i] = -1;
                continue;
            }
            sequenceIds[i] = sequence;
            int[] table = tables[sequence];
            charStart[i] = toUtf16(table, spans[i].getStart());
            charEnd[i] = toUtf16(table, spans[i].getEnd());
        }
        return new Encoding(ids, encoding.getTypeIds(), encoding.getAttentionMask(),
                encoding.getTokens(), charStart, charEnd, sequenceIds);
    }

    /**
     * The UTF-16 index of every code-point index of text, plus one entry for the end; null when
     * the two agree (no supplementary characters), the common case.
     */
    static int[] utf16Table(String text) {
        int codePoints = text.codePointCount(0, text.length());
        if (codePoints == text.length()) {
            return null;
        }
        int[] table = new int[codePoints + 1];
        int unit = 0;
        for (int c = 0; c < codePoints; c++) {
            table[c] = unit;
            unit += Character.charCount(text.codePointAt(unit));
        }
        table[codePoints] = unit;
        return table;
    }

    private static int toUtf16(int[] table, int codePointIndex) {
        return table == null ? codePointIndex : table[codePointIndex];
    }

    /**
     * Replaces unpaired surrogates by U+FFFD. Both are one UTF-16 unit and one code point, so the
     * offsets still index the caller's string.
     */
    static String withoutLoneSurrogates(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a proper pair
            } else if (Character.isSurrogate(c)) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = '\uFFFD';
            }
        }
        return chars == null ? text : new String(chars);
    }

    /** [first, end) of the tokens of sequence 0 or 1; an empty range where the text had none. */
    private static int[] sequenceRange(Encoding encoding, int sequence) {
        int start = -1;
        int end = -1;
        for (int i = 0; i < encoding.length(); i++) {
            if (encoding.sequenceIds()[i] == sequence) {
                if (start < 0) {
                    start = i;
                }
                end = i + 1;
            }
        }
        if (start < 0) {
            // No tokens (empty text): place the empty range after the tokens of earlier sequences.
            int after = 0;
            for (int i = 0; i < encoding.length(); i++) {
                if (encoding.sequenceIds()[i] >= 0 && encoding.sequenceIds()[i] < sequence) {
                    after = i + 1;
                }
            }
            return new int[] {after, after};
        }
        return new int[] {start, end};
    }

    /** Positions of everything outside range, with only [from, to) of the range itself kept. */
    private static int[] windowPositions(int length, int[] range, int from, int to) {
        int rangeLength = range[1] - range[0];
        int[] positions = new int[length - rangeLength + (to - from)];
        int p = 0;
        for (int i = 0; i < range[0]; i++) {
            positions[p++] = i;
        }
        for (int i = range[0] + from; i < range[0] + to; i++) {
            positions[p++] = i;
        }
        for (int i = range[1]; i < length; i++) {
            positions[p++] = i;
        }
        return positions;
    }

    // ---- Loading ----

    private static HuggingFaceTokenizer createNative(byte[] json, Path file) {
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        Map<String, String> options = new HashMap<>();
        options.put("addSpecialTokens", "true");
        options.put("truncation", "false");
        options.put("padding", "false");
        try {
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
        } catch (ai.djl.engine.EngineException | LinkageError e) {
            throw new GlossaException("cannot load the HuggingFace tokenizers native library (DJL"
                    + " cache " + ai.djl.util.Utils.getEngineCacheDir("tokenizers") + "): "
                    + oneLine(rootMessage(e)), e);
        } catch (IOException | RuntimeException e) {
            throw new GlossaException("cannot load tokenizer " + file + ": " + oneLine(e.getMessage()),
                    e);
        }
    }

    private static byte[] readFile(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new GlossaException(what + " not found: " + file, e);
        } catch (AccessDeniedException e) {
            throw new GlossaException("cannot read " + what + " " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new GlossaException("cannot read " + what + " " + file + ": "
                    + oneLine(e.getMessage()), e);
        }
    }

    private static JsonNode parseJson(byte[] bytes, Path file) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !root.isObject()) {
                throw new GlossaException(file + " is not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new GlossaException(file + " is not valid JSON" + where + ": "
                    + oneLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new GlossaException("cannot parse " + file + ": " + oneLine(e.getMessage()), e);
        }
    }

    /**
     * Token → id from model.vocab (an object for WordPiece/BPE/WordLevel, a list of [piece, score]
     * for Unigram, where the id is the position) and added_tokens.
     */
    private static Map<String, Integer> readVocabulary(JsonNode root, Path file) {
        JsonNode vocabNode = root.path("model").path("vocab");
        Map<String, Integer> vocab = new HashMap<>();
        if (vocabNode.isObject()) {
            vocabNode.fields().forEachRemaining(entry -> vocab.put(entry.getKey(),
                    entry.getValue().asInt()));
        } else if (vocabNode.isArray()) {
            for (int id = 0; id < vocabNode.size(); id++) {
                vocab.put(vocabNode.get(id).path(0).asText(), id);
            }
        } else {
            throw new GlossaException(file + " is not a HuggingFace tokenizer.json: no model.vocab");
        }
        for (JsonNode added : root.path("added_tokens")) {
            if (added.hasNonNull("content") && added.hasNonNull("id")) {
                vocab.put(added.get("content").asText(), added.get("id").asInt());
            }
        }
        if (vocab.isEmpty()) {
            throw new GlossaException(file + " has an empty vocabulary");
        }
        return Map.copyOf(vocab);
    }

    /** The padding block's pad_id if any, else [PAD] or &lt;pad&gt;, else 0 (padding is masked). */
    private static int readPadId(JsonNode root, Map<String, Integer> vocab) {
        JsonNode padding = root.path("padding");
        if (padding.hasNonNull("pad_id")) {
            return padding.get("pad_id").asInt();
        }
        Integer id = firstPresent(vocab, "[PAD]", "<pad>");
        return id == null ? 0 : id;
    }

    private static int readModelMaxLength(JsonNode root, Path file) {
        if (root.hasNonNull("model_max_length")) {
            return modelMaxLength(root.get("model_max_length"), file);
        }
        Path config = file.resolveSibling("tokenizer_config.json");
        if (Files.exists(config)) {
            JsonNode configRoot = parseJson(readFile(config, "tokenizer config"), config);
            if (configRoot.hasNonNull("model_max_length")) {
                return modelMaxLength(configRoot.get("model_max_length"), config);
            }
        }
        return DEFAULT_MAX_LENGTH;
    }

    private static int modelMaxLength(JsonNode value, Path file) {
        if (!value.isNumber() || value.asDouble() < 1) {
            throw new GlossaException("model_max_length in " + file + " must be a positive number,"
                    + " got " + value);
        }
        // HF's "no limit" sentinel is 1e30; such a model gets BERT's usual 512.
        return value.asDouble() >= NO_LIMIT_THRESHOLD ? DEFAULT_MAX_LENGTH : value.asInt();
    }

    private static Integer firstPresent(Map<String, Integer> vocab, String... tokens) {
        for (String token : tokens) {
            if (vocab.containsKey(token)) {
                return vocab.get(token);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + root;
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
