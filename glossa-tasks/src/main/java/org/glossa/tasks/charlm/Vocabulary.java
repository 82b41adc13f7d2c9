package org.glossa.tasks.charlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;

/**
 * The tokens of a character- or word-level language model, built from its training corpus and saved as
 * {@code vocab.json} beside the model.
 *
 * <p>Character level: every distinct Unicode code point of the corpus, sorted (the TensorFlow tutorial's
 * {@code sorted(set(text))}). Word level: the text is cut into words (letters, digits, apostrophes inside
 * words), single punctuation marks and single whitespace characters, so that the tokens joined give back the
 * text exactly; the most frequent {@code maxSize − 1} of them are kept and the rest become {@value #UNKNOWN}.
 */
public final class Vocabulary {
    /** The file beside {@code config.json} and {@code model.safetensors}. */
    public static final String FILE_NAME = "vocab.json";
    /** The word-level token standing for words outside the vocabulary. */
    public static final String UNKNOWN = "<unk>";

    /** What a token is. */
    public enum Level {
        CHAR, WORD;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Level parse(String value, String where) {
            for (Level level : values()) {
                if (level.key().equalsIgnoreCase(value)) {
                    return level;
                }
            }
            throw new GlossaException(where + ": token level '" + value + "' is not 'char' or 'word'");
        }
    }

    // A word, a number, or any other single character (punctuation, a space, a newline).
    private static final Pattern WORD_TOKEN = Pattern.compile("[\\p{L}\\p{M}][\\p{L}\\p{M}\\p{N}]*(?:['’][\\p{L}\\p{M}]+)*|\\p{N}+|.",
            Pattern.DOTALL);

    private final Level level;
    private final List<String> tokens;
    private final Map<String, Integer> ids = new HashMap<>();
    private final int unknownId;

    /** A vocabulary of these tokens, id = position. */
    public Vocabulary(Level level, List<String> tokens) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("a vocabulary needs at least one token");
        }
        this.level = level;
        this.tokens = List.copyOf(tokens);
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (level == Level.CHAR && token.codePointCount(0, token.length()) != 1) {
                throw new IllegalArgumentException("character vocabulary entry " + i + " is not one character: '" + token + "'");
            }
            if (ids.put(token, i) != null) {
                throw new IllegalArgumentException("token '" + token + "' appears twice in the vocabulary");
            }
        }
        unknownId = level == Level.WORD ? ids.getOrDefault(UNKNOWN, -1) : -1;
    }

    /** The vocabulary of {@code text}: all its characters, or its {@code maxSize} most frequent word tokens (0: all). */
    public static Vocabulary build(String text, Level level, int maxSize) {
        if (level == Level.CHAR) {
            TreeSet<Integer> codePoints = new TreeSet<>();
            text.codePoints().forEach(codePoints::add);
            List<String> tokens = new ArrayList<>(codePoints.size());
            codePoints.forEach(cp -> tokens.add(Character.toString(cp)));
            return new Vocabulary(level, tokens);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String token : split(text, Level.WORD)) {
            counts.merge(token, 1, Integer::sum);
        }
        // Most frequent first; ties in code-point order so the vocabulary does not depend on hash order.
        List<String> sorted = new ArrayList<>(counts.keySet());
        sorted.sort((a, b) -> counts.get(a).equals(counts.get(b)) ? a.compareTo(b) : counts.get(b) - counts.get(a));
        if (maxSize > 0 && sorted.size() > maxSize) {
            // The splitter never yields "<unk>" itself (it cuts it into '<', 'unk', '>'), so the name is free.
            sorted = new ArrayList<>(sorted.subList(0, maxSize - 1));
            sorted.add(0, UNKNOWN);
        }
        return new Vocabulary(level, sorted);
    }

    /** The tokens of {@code text} at this level (joined, they give back the text). */
    public static List<String> split(String text, Level level) {
        List<String> out = new ArrayList<>();
        if (level == Level.CHAR) {
            text.codePoints().forEach(cp -> out.add(Character.toString(cp)));
            return out;
        }
        Matcher matcher = WORD_TOKEN.matcher(text);
        while (matcher.find()) {
            out.add(matcher.group());
        }
        return out;
    }

    public Level level() {
        return level;
    }

    public int size() {
        return tokens.size();
    }

    public List<String> tokens() {
        return tokens;
    }

    public String token(int id) {
        return tokens.get(id);
    }

    /** The id of the unknown-word token, or −1 when there is none (character level, or every word kept). */
    public int unknownId() {
        return unknownId;
    }

    /**
     * The ids of {@code text}. At character level every character must be in the vocabulary; at word level
     * unknown words become {@value #UNKNOWN} when the vocabulary has it. Otherwise a {@link GlossaException}
     * names {@code what} (e.g. "the prime text") and the missing tokens.
     */
    public int[] encode(String text, String what) {
        List<String> pieces = split(text, level);
        int[] out = new int[pieces.size()];
        Set<String> missing = new LinkedHashSet<>();
        for (int i = 0; i < out.length; i++) {
            Integer id = ids.get(pieces.get(i));
            if (id == null) {
                if (unknownId < 0) {
                    missing.add(pieces.get(i));
                    continue;
                }
                id = unknownId;
            }
            out[i] = id;
        }
        if (!missing.isEmpty()) {
            List<String> shown = new ArrayList<>();
            for (String token : missing) {
                if (shown.size() == 10) {
                    shown.add("and " + (missing.size() - 10) + " more");
                    break;
                }
                shown.add(describe(token));
            }
            throw new GlossaException(what + " has " + (level == Level.CHAR ? "characters" : "words")
                    + " outside the model's vocabulary: " + String.join(", ", shown));
        }
        return out;
    }

    /** The text of these ids. */
    public String decode(int[] ids) {
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            out.append(tokens.get(id));
        }
        return out.toString();
    }

    /** A token for an error message: quoted, with control and non-ASCII characters spelled out. */
    static String describe(String token) {
        StringBuilder out = new StringBuilder("'");
        boolean plain = true;
        for (int cp : token.codePoints().toArray()) {
            switch (cp) {
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.appendCodePoint(cp);
            }
            plain &= cp >= 0x20 && cp < 0x7f;
        }
        out.append('\'');
        if (!plain && token.codePointCount(0, token.length()) == 1) {
            out.append(String.format(Locale.ROOT, " (U+%04X)", token.codePointAt(0)));
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ vocab.json

    /** Writes {@code vocab.json}: {@code {"level": "char", "tokens": [...]}}, the list in id order. */
    public void save(Path modelDir) {
        ObjectNode json = HfConfig.mapper().createObjectNode();
        json.put("level", level.key());
        ArrayNode array = json.putArray("tokens");
        tokens.forEach(array::add);
        HfConfig.write(modelDir.resolve(FILE_NAME), json);
    }

    /** Reads {@code vocab.json} of a model directory. */
    public static Vocabulary load(Path modelDir) {
        Path file = modelDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new GlossaException(file + ": no such file (a text-generation model needs its vocabulary)");
        }
        ObjectNode json = HfConfig.read(file);
        JsonNode level = json.get("level");
        JsonNode tokens = json.get("tokens");
        if (level == null || !level.isTextual()) {
            throw new GlossaException(file + ": required key 'level' is missing");
        }
        if (tokens == null || !tokens.isArray() || tokens.isEmpty()) {
            throw new GlossaException(file + ": 'tokens' must be a non-empty array of strings");
        }
        List<String> list = new ArrayList<>(tokens.size());
        for (JsonNode token : tokens) {
            if (!token.isTextual()) {
                throw new GlossaException(file + ": token " + list.size() + " is not a string");
            }
            list.add(token.asText());
        }
        try {
            return new Vocabulary(Level.parse(level.asText(), file.toString()), list);
        } catch (IllegalArgumentException e) {
            throw new GlossaException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Vocabulary that && level == that.level && tokens.equals(that.tokens);
    }

    @Override
    public int hashCode() {
        return level.hashCode() * 31 + tokens.hashCode();
    }

    @Override
    public String toString() {
        return level.key() + " vocabulary of " + tokens.size() + " tokens";
    }
}
