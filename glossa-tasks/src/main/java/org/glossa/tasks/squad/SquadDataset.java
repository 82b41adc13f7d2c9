package org.glossa.tasks.squad;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;

/**
 * Reads SQuAD v1.1 and v2.0 JSON files:
 * <pre>{"version": ..., "data": [{"title", "paragraphs": [{"context", "qas": [
 *     {"id", "question", "answers": [{"text", "answer_start"}], "is_impossible"?, "plausible_answers"?}]}]}]}</pre>
 *
 * <p>The file is streamed one article at a time, so the 30 MB SQuAD 1.1 training set never sits in memory
 * as one JSON tree. Every answer is checked against its context: {@code answer_start} counts code points
 * (Python's indexes) and is converted to a UTF-16 offset, and the context must hold the answer text
 * there. Unanswerable questions (v2.0 {@code is_impossible}) keep an empty answer list; their
 * {@code plausible_answers} are not read.
 *
 * <p>Malformed input gets a one-line {@link GlossaException} naming the file, the article (1-based, with
 * its title), the paragraph (1-based), the question id and what is wrong.
 */
public final class SquadDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The longest piece of a text quoted in an error message. */
    private static final int QUOTE_LIMIT = 60;

    private SquadDataset() {}

    /**
     * Reads a labelled file (training or evaluation): every question that is not marked impossible must
     * have at least one answer. Examples come in file order.
     */
    public static List<SquadExample> read(Path json) {
        return read(json, true);
    }

    /**
     * Reads a file; with {@code requireAnswers} false, questions may come without answers (or without an
     * "answers" key), as in a file of new questions to answer.
     */
    public static List<SquadExample> read(Path json, boolean requireAnswers) {
        List<SquadExample> examples = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        boolean sawData = false;
        try (InputStream in = Files.newInputStream(json); JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new GlossaException(json + " is not a SQuAD file: expected a JSON object with a \"data\" list");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!field.equals("data")) {
                    parser.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    throw new GlossaException(json + ": \"data\" must be a list of articles, got " + value.asString());
                }
                sawData = true;
                int article = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    article++;
                    JsonNode node = JSON.readTree(parser);
                    new ArticleReader(json, article, requireAnswers, ids, examples).read(node);
                }
            }
        } catch (NoSuchFileException e) {
            throw new GlossaException("SQuAD file not found: " + json, e);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new GlossaException(json + " is not valid JSON" + where + ": " + oneLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            if (Files.isDirectory(json)) {
                throw new GlossaException("SQuAD file " + json + " is a directory", e);
            }
            throw new GlossaException("cannot read SQuAD file " + json + ": " + AtomicFiles.describe(e), e);
        }
        if (!sawData) {
            throw new GlossaException(json + " is not a SQuAD file: no \"data\" list");
        }
        return examples;
    }

    /** Checks and converts one article; {@code where()} says which part of the file an error is about. */
    private static final class ArticleReader {
        private final Path file;
        private final int article;
        private final boolean requireAnswers;
        private final Set<String> ids;
        private final List<SquadExample> out;
        private String title = "";
        private int paragraph;      // 1-based; 0 before the first
        private String questionId;  // null outside a question

        ArticleReader(Path file, int article, boolean requireAnswers, Set<String> ids, List<SquadExample> out) {
            this.file = file;
            this.article = article;
            this.requireAnswers = requireAnswers;
            this.ids = ids;
            this.out = out;
        }

        void read(JsonNode node) {
            if (node == null || !node.isObject()) {
                throw error("an article must be a JSON object, got " + kind(node));
            }
            JsonNode titleNode = node.get("title");
            if (titleNode != null && !titleNode.isNull()) {
                title = text(titleNode, "title");
            }
            for (JsonNode paragraphNode : list(node, "paragraphs")) {
                paragraph++;
                questionId = null;
                readParagraph(paragraphNode);
            }
        }

        private void readParagraph(JsonNode node) {
            if (!node.isObject()) {
                throw error("a paragraph must be a JSON object, got " + kind(node));
            }
            String context = text(required(node, "context"), "context");
            int[] utf16 = utf16Offsets(context);
            int contextCodePoints = utf16 == null ? context.length() : utf16.length - 1;
            for (JsonNode qa : list(node, "qas")) {
                questionId = null;
                if (!qa.isObject()) {
                    throw error("a question must be a JSON object, got " + kind(qa));
                }
                questionId = text(required(qa, "id"), "id");
                if (!ids.add(questionId)) {
                    throw error("question id appears twice in the file");
                }
                String question = text(required(qa, "question"), "question");
                boolean impossible = false;
                JsonNode impossibleNode = qa.get("is_impossible");
                if (impossibleNode != null && !impossibleNode.isNull()) {
                    if (!impossibleNode.isBoolean()) {
                        throw error("is_impossible must be true or false, got " + impossibleNode);
                    }
                    impossible = impossibleNode.booleanValue();
                }
                List<SquadExample.Answer> answers = new ArrayList<>();
                JsonNode answersNode = qa.get("answers");
                if (answersNode == null && requireAnswers) {
                    throw error("missing \"answers\"");
                }
                if (answersNode != null) {
                    int index = 0;
                    for (JsonNode answer : list(qa, "answers")) {
                        index++;
                        answers.add(readAnswer(answer, index, context, utf16, contextCodePoints));
                    }
                }
                if (impossible && !answers.isEmpty()) {
                    throw error("is_impossible is true but the question has " + answers.size() + " answer(s)");
                }
                if (!impossible && answers.isEmpty() && requireAnswers) {
                    throw error("an answerable question (is_impossible absent or false) has no answers");
                }
                out.add(new SquadExample(questionId, title, context, question, answers, impossible));
            }
        }

        private SquadExample.Answer readAnswer(JsonNode node, int index, String context, int[] utf16,
                                               int contextCodePoints) {
            String which = "answer " + index;
            if (!node.isObject()) {
                throw error(which + " must be a JSON object, got " + kind(node));
            }
            JsonNode textNode = node.get("text");
            if (textNode == null) {
                throw error(which + ": missing \"text\"");
            }
            String text = text(textNode, which + " text");
            if (text.isEmpty()) {
                throw error(which + " has an empty text");
            }
            JsonNode startNode = node.get("answer_start");
            if (startNode == null) {
                throw error(which + ": missing \"answer_start\"");
            }
            if (!startNode.canConvertToInt() || !startNode.isIntegralNumber()) {
                throw error(which + ": answer_start must be an integer, got " + startNode);
            }
            int startCodePoint = startNode.intValue();
            int lengthCodePoints = text.codePointCount(0, text.length());
            if (startCodePoint < 0 || startCodePoint + lengthCodePoints > contextCodePoints) {
                throw error(which + " \"" + quote(text) + "\": answer_start " + startCodePoint + " + length "
                        + lengthCodePoints + " is outside the context of " + contextCodePoints + " characters");
            }
            int start = utf16 == null ? startCodePoint : utf16[startCodePoint];
            if (!context.startsWith(text, start)) {
                String found = context.substring(start, Math.min(context.length(), start + text.length()));
                throw error(which + ": answer_start " + startCodePoint + " does not match the answer text \""
                        + quote(text) + "\": the context has \"" + quote(found) + "\" there");
            }
            return new SquadExample.Answer(text, start);
        }

        private JsonNode required(JsonNode node, String key) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                throw error("missing \"" + key + "\"");
            }
            return value;
        }

        private Iterable<JsonNode> list(JsonNode node, String key) {
            JsonNode value = required(node, key);
            if (!value.isArray()) {
                throw error("\"" + key + "\" must be a list, got " + kind(value));
            }
            return value;
        }

        private String text(JsonNode node, String what) {
            if (!node.isTextual()) {
                throw error(what + " must be a string, got " + kind(node));
            }
            return node.textValue();
        }

        private GlossaException error(String problem) {
            StringBuilder where = new StringBuilder().append(file).append(": article ").append(article);
            if (!title.isEmpty()) {
                where.append(" (\"").append(quote(title)).append("\")");
            }
            if (paragraph > 0) {
                where.append(", paragraph ").append(paragraph);
            }
            if (questionId != null) {
                where.append(", question ").append(quote(questionId));
            }
            return new GlossaException(where.append(": ").append(problem).toString());
        }
    }

    /**
     * The UTF-16 offset of each code-point offset of text, plus one entry for its end; null when the two
     * agree (no character outside the Basic Multilingual Plane), which is nearly always.
     */
    static int[] utf16Offsets(String text) {
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

    private static String kind(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        return node.isObject() ? "an object" : node.isArray() ? "a list" : node.isTextual() ? "a string" : node.toString();
    }

    /** A text for a one-line message: line breaks escaped, long texts cut. */
    static String quote(String text) {
        String flat = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\"", "\\\"");
        return flat.length() <= QUOTE_LIMIT ? flat : flat.substring(0, QUOTE_LIMIT) + "...";
    }

    private static String oneLine(String message) {
        return message == null ? "unknown error" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
