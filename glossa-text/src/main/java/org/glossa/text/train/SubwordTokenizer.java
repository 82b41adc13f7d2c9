package org.glossa.text.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;

/**
 * A trained subword vocabulary with our own encoder, which segments text exactly as HuggingFace tokenizers
 * segments it with the {@code tokenizer.json} that {@link #write} produces (load that file with
 * {@code HfTokenizer} to run it in Rust).
 *
 * <p>Ids: the special tokens first (in the order given to the trainer, e.g. [PAD]=0 [UNK]=1 [BOS]=2
 * [EOS]=3), then the characters of the training text in code-point order, then the learnt subwords in the
 * order they were learnt. A special token written literally in a text is matched before anything else, as
 * HF matches added tokens. With [BOS] and [EOS] among the special tokens, {@code encode(text, true)} wraps
 * the text in them. Instances are immutable and thread-safe.
 */
public abstract sealed class SubwordTokenizer permits BpeTokenizer, WordPieceTokenizer {
    public static final String PAD = "[PAD]";
    public static final String UNK = "[UNK]";
    public static final String BOS = "[BOS]";
    public static final String EOS = "[EOS]";
    /** The special tokens our trainers use unless told otherwise. */
    public static final List<String> DEFAULT_SPECIAL_TOKENS = List.of(PAD, UNK, BOS, EOS);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> vocabulary;
    private final Map<String, Integer> ids;
    private final List<String> specialTokens;
    private final int unkId;
    private final int bosId;
    private final int eosId;

    SubwordTokenizer(List<String> vocabulary, List<String> specialTokens) {
        this.vocabulary = List.copyOf(vocabulary);
        this.specialTokens = List.copyOf(specialTokens);
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < vocabulary.size(); id++) {
            if (ids.put(vocabulary.get(id), id) != null) {
                throw new IllegalArgumentException("token " + vocabulary.get(id) + " is in the vocabulary twice");
            }
        }
        this.ids = Map.copyOf(ids);
        if (!this.specialTokens.equals(this.vocabulary.subList(0, specialTokens.size()))) {
            throw new IllegalArgumentException("the special tokens must come first in the vocabulary");
        }
        this.unkId = ids.get(UNK);
        this.bosId = ids.getOrDefault(BOS, -1);
        this.eosId = ids.getOrDefault(EOS, -1);
    }

    /** Checks the trainers' special tokens: distinct, not empty, [UNK] among them (unseen characters need it). */
    static List<String> checkSpecialTokens(List<String> specialTokens) {
        if (!specialTokens.contains(UNK)) {
            throw new GlossaException("the special tokens " + specialTokens + " must include " + UNK);
        }
        if (specialTokens.stream().distinct().count() != specialTokens.size()
                || specialTokens.stream().anyMatch(String::isEmpty)) {
            throw new GlossaException("the special tokens " + specialTokens + " must be distinct and not empty");
        }
        return List.copyOf(specialTokens);
    }

    // ---- encoding ----

    /** The tokens of a text, no special tokens added (those written in the text are kept as such). */
    public List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        for (int id : encode(text, false)) {
            tokens.add(vocabulary.get(id));
        }
        return tokens;
    }

    /** The ids of a text, wrapped in [BOS] … [EOS] when {@code addSpecialTokens} and both exist. */
    public int[] encode(String text, boolean addSpecialTokens) {
        Objects.requireNonNull(text, "text");
        List<Integer> out = new ArrayList<>();
        boolean wrap = addSpecialTokens && bosId >= 0 && eosId >= 0;
        if (wrap) {
            out.add(bosId);
        }
        for (Segment segment : segments(text, specialTokens)) {
            if (segment.special()) {
                out.add(ids.get(segment.text()));
            } else {
                for (String word : WordSplitter.words(segment.text())) {
                    segmentWord(word, out);
                }
            }
        }
        if (wrap) {
            out.add(eosId);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Ids back to text as HF decodes them: tokens joined by the Metaspace rule, special tokens optionally left out. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= vocabulary.size()) {
                throw new GlossaException("token id " + id + " is outside the vocabulary of " + vocabulary.size()
                        + " tokens");
            }
            if (!(skipSpecialTokens && id < specialTokens.size())) {
                tokens.add(vocabulary.get(id));
            }
        }
        return WordSplitter.join(tokens);
    }

    /** Appends the ids of one word (a piece of {@link WordSplitter#words}) to {@code out}. */
    abstract void segmentWord(String word, List<Integer> out);

    /** A text cut at the special tokens written in it. */
    record Segment(String text, boolean special) {}

    /**
     * Cuts a text at every special token in it, taking at each position the longest one that starts there
     * (HF's leftmost-longest matching of added tokens, done on the raw text before normalization).
     */
    static List<Segment> segments(String text, List<String> specialTokens) {
        List<Segment> segments = new ArrayList<>();
        int plainStart = 0;
        for (int i = 0; i < text.length(); ) {
            String match = null;
            for (String special : specialTokens) {
                if (text.startsWith(special, i) && (match == null || special.length() > match.length())) {
                    match = special;
                }
            }
            if (match == null) {
                i++;
                continue;
            }
            if (i > plainStart) {
                segments.add(new Segment(text.substring(plainStart, i), false));
            }
            segments.add(new Segment(match, true));
            i += match.length();
            plainStart = i;
        }
        if (plainStart < text.length()) {
            segments.add(new Segment(text.substring(plainStart), false));
        }
        return segments;
    }

    // ---- vocabulary ----

    /** The number of tokens, special ones included: the rows an embedding table needs. */
    public int vocabSize() {
        return vocabulary.size();
    }

    /** Token strings by id. */
    public List<String> vocabulary() {
        return vocabulary;
    }

    public List<String> specialTokens() {
        return specialTokens;
    }

    /** The id of a token; throws when there is none. */
    public int id(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new GlossaException("token \"" + token + "\" is not in the vocabulary");
        }
        return id;
    }

    /** The id of a token, or -1. */
    int idOrMissing(String token) {
        return ids.getOrDefault(token, -1);
    }

    int unkId() {
        return unkId;
    }

    // ---- tokenizer.json ----

    /** The model block of tokenizer.json ("BPE" or "WordPiece"). */
    abstract ObjectNode modelJson();

    /** The whole tokenizer.json, in HF's layout. */
    public String toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < specialTokens.size(); id++) {
            added.addObject().put("id", id).put("content", specialTokens.get(id)).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.set("normalizer", WordSplitter.normalizerJson());
        root.set("pre_tokenizer", WordSplitter.preTokenizerJson());
        if (bosId >= 0 && eosId >= 0) {
            root.set("post_processor", templateJson());
        } else {
            root.putNull("post_processor");
        }
        root.set("decoder", WordSplitter.decoderJson());
        root.set("model", modelJson());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of plain nodes always serializes
        }
    }

    /** Writes tokenizer.json (atomically). */
    public void write(Path tokenizerJson) {
        byte[] bytes = toJson().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(tokenizerJson, temporary -> Files.write(temporary, bytes));
    }

    /** [BOS] $A [EOS] for one text; [BOS] $A [EOS] $B [EOS] for a pair (not used in translation, HF wants one). */
    private ObjectNode templateJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode template = f.objectNode().put("type", "TemplateProcessing");
        ArrayNode single = template.putArray("single");
        single.add(specialPiece(BOS, 0)).add(sequencePiece("A", 0)).add(specialPiece(EOS, 0));
        ArrayNode pair = template.putArray("pair");
        pair.add(specialPiece(BOS, 0)).add(sequencePiece("A", 0)).add(specialPiece(EOS, 0))
                .add(sequencePiece("B", 1)).add(specialPiece(EOS, 1));
        ObjectNode tokens = template.putObject("special_tokens");
        for (String token : List.of(BOS, EOS)) {
            ObjectNode entry = tokens.putObject(token).put("id", token);
            entry.putArray("ids").add(ids.get(token));
            entry.putArray("tokens").add(token);
        }
        return template;
    }

    private static ObjectNode specialPiece(String token, int typeId) {
        ObjectNode piece = JsonNodeFactory.instance.objectNode();
        piece.putObject("SpecialToken").put("id", token).put("type_id", typeId);
        return piece;
    }

    private static ObjectNode sequencePiece(String sequence, int typeId) {
        ObjectNode piece = JsonNodeFactory.instance.objectNode();
        piece.putObject("Sequence").put("id", sequence).put("type_id", typeId);
        return piece;
    }

    /** model.vocab: token → id in id order. */
    ObjectNode vocabJson() {
        ObjectNode vocab = JsonNodeFactory.instance.objectNode();
        for (int id = 0; id < vocabulary.size(); id++) {
            vocab.put(vocabulary.get(id), id);
        }
        return vocab;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + vocabulary.size() + " tokens]";
    }
}
