package org.glossa.embeddings.eval;

import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.Progress;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.KeyedVectors.Neighbor;
import org.glossa.embeddings.KeyedVectors.RowQuery;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Word analogies "a is to b as c is to d" in the questions-words format (": section" lines, then four
 * words per line), scored two ways:
 *
 * <ul>
 * <li>{@link #evaluate} as gensim's {@code KeyedVectors.evaluate_word_analogies} (4.x): only the first
 *     {@code restrictVocab} rows (300,000) take part; case-insensitive by default, by upper-casing the
 *     questions and the vocabulary, where each upper-cased form stands for its first (most frequent)
 *     row; a question with a word outside that vocabulary is skipped and counted; the answer is the
 *     best of the top five of {@code mostSimilar([b, c], [a])} whose upper-cased form is none of a, b, c.
 *     3CosMul may replace 3CosAdd (gensim's evaluation has 3CosAdd only).
 * <li>{@link #evaluateLikeWord2vecC} as word2vec.c's {@code compute-accuracy}: the first
 *     {@code threshold} rows (30,000 in its demo; 0 = all), ASCII letters upper-cased, the single
 *     nearest row to b − a + c other than the rows of a, b, c (by cosine, which must be positive), the
 *     first five sections semantic and the rest syntactic.
 * </ul>
 * In gensim's mode, sections whose name starts with "gram" are syntactic and the others semantic
 * (for questions-words.txt both rules give the same split).
 */
public final class Analogies {
    private Analogies() {}

    public enum Method {
        /** b − a + c: cosine to the mean of unit vectors (Mikolov et al. 2013). */
        COS_ADD,
        /** 3CosMul (Levy &amp; Goldberg 2014). */
        COS_MUL
    }

    /**
     * @param restrictVocab rows that take part (gensim's default 300,000); 0 or less: all
     * @param caseInsensitive upper-case questions and vocabulary (gensim's default)
     * @param keepOutcomes record every evaluated question's answer in the result
     * @param showProgress report progress on standard error
     */
    public record Options(int restrictVocab, boolean caseInsensitive, Method method, boolean keepOutcomes,
                          boolean showProgress) {
        public static Options defaults() {
            return new Options(300_000, true, Method.COS_ADD, false, false);
        }

        public Options withRestrictVocab(int restrictVocab) {
            return new Options(restrictVocab, caseInsensitive, method, keepOutcomes, showProgress);
        }

        public Options withCaseInsensitive(boolean caseInsensitive) {
            return new Options(restrictVocab, caseInsensitive, method, keepOutcomes, showProgress);
        }

        public Options withMethod(Method method) {
            return new Options(restrictVocab, caseInsensitive, method, keepOutcomes, showProgress);
        }

        public Options withKeepOutcomes(boolean keepOutcomes) {
            return new Options(restrictVocab, caseInsensitive, method, keepOutcomes, showProgress);
        }

        public Options withShowProgress(boolean showProgress) {
            return new Options(restrictVocab, caseInsensitive, method, keepOutcomes, showProgress);
        }
    }

    /** Accuracy over some questions: {@code evaluated} were answered, {@code skipped} had unknown words. */
    public record Score(String name, int correct, int evaluated, int skipped, double accuracy) {
        static Score of(String name, int correct, int evaluated, int skipped) {
            return new Score(name, correct, evaluated, skipped, evaluated == 0 ? 0 : (double) correct / evaluated);
        }
    }

    /** One evaluated question, as the words were matched (upper-cased when case-insensitive). */
    public record Outcome(String section, String a, String b, String c, String expected, String predicted,
                          boolean correct) {}

    /**
     * @param mode "gensim" or "word2vec.c"
     * @param questions well-formed questions in the file
     * @param skipped questions with a word outside the vocabulary
     * @param oovRatio skipped / questions
     * @param outcomes every evaluated question, when asked for; else null
     */
    public record Result(String mode, String method, int restrictVocab, boolean caseInsensitive, List<Score> sections,
                         Score semantic, Score syntactic, Score total, int questions, int skipped, double oovRatio,
                         List<Outcome> outcomes) {
        /** A few lines for people: each section, semantic, syntactic, total. */
        public String summary() {
            StringBuilder s = new StringBuilder();
            for (Score score : sections) {
                s.append(line(score));
            }
            s.append(line(semantic)).append(line(syntactic)).append(line(total));
            s.append(String.format(Locale.ROOT, "questions: %d, skipped (out of vocabulary): %d (%.1f%%)%n",
                    questions, skipped, 100 * oovRatio));
            return s.toString();
        }

        private static String line(Score score) {
            return String.format(Locale.ROOT, "%-28s %6.2f%%  (%d / %d)%n", score.name(), 100 * score.accuracy(),
                    score.correct(), score.evaluated());
        }
    }

    /** A question as read: its words, in file order, and its section. */
    private record Question(int section, String a, String b, String c, String expected) {}

    /** Evaluates with gensim's defaults (300,000 words, case-insensitive, 3CosAdd). */
    public static Result evaluate(KeyedVectors vectors, Path questions) {
        return evaluate(vectors, questions, Options.defaults());
    }

    /** gensim's {@code evaluate_word_analogies}; see the class comment. */
    public static Result evaluate(KeyedVectors vectors, Path questionFile, Options options) {
        List<String> sectionNames = new ArrayList<>();
        List<Question> questions = readGensimStyle(questionFile, sectionNames, options.caseInsensitive());
        int limit = limit(vectors, options.restrictVocab());
        Map<String, Integer> vocabulary = firstRows(vectors, limit,
                options.caseInsensitive() ? w -> w.toUpperCase(Locale.ROOT) : w -> w);

        int sections = sectionNames.size();
        int[] correct = new int[sections];
        int[] evaluated = new int[sections];
        int[] skipped = new int[sections];
        List<Question> asked = new ArrayList<>();
        List<RowQuery> queries = new ArrayList<>();
        selectAnswerable(questions, vocabulary, skipped, asked, queries);
        List<Outcome> outcomes = options.keepOutcomes() ? new ArrayList<>() : null;
        List<List<Neighbor>> answers = answer(vectors, queries, options.method(), 5, limit, options.showProgress());
        for (int i = 0; i < asked.size(); i++) {
            Question q = asked.get(i);
            // gensim: the first of the top five whose (upper-cased) word is none of the question's first three
            // words; when all five are, the last one stands.
            String predicted = null;
            for (Neighbor neighbor : answers.get(i)) {
                predicted = options.caseInsensitive() ? neighbor.word().toUpperCase(Locale.ROOT) : neighbor.word();
                if (vocabulary.containsKey(predicted) && !predicted.equals(q.a()) && !predicted.equals(q.b())
                        && !predicted.equals(q.c())) {
                    break;
                }
            }
            boolean right = q.expected().equals(predicted);
            evaluated[q.section()]++;
            if (right) {
                correct[q.section()]++;
            }
            if (outcomes != null) {
                outcomes.add(new Outcome(sectionNames.get(q.section()), q.a(), q.b(), q.c(), q.expected(), predicted, right));
            }
        }
        boolean[] semantic = new boolean[sections];
        for (int s = 0; s < sections; s++) {
            semantic[s] = sectionNames.get(s) == null || !sectionNames.get(s).startsWith("gram");
        }
        return result("gensim", options, limit, sectionNames, correct, evaluated, skipped, semantic, outcomes);
    }

    /**
     * Both tools ask only the questions whose four words are in the (restricted) vocabulary: those go to
     * {@code asked} with their query b + c − a, the others count as skipped in their section.
     */
    private static void selectAnswerable(List<Question> questions, Map<String, Integer> vocabulary, int[] skipped,
                                         List<Question> asked, List<RowQuery> queries) {
        for (Question q : questions) {
            Integer a = vocabulary.get(q.a());
            Integer b = vocabulary.get(q.b());
            Integer c = vocabulary.get(q.c());
            if (a == null || b == null || c == null || !vocabulary.containsKey(q.expected())) {
                skipped[q.section()]++;
                continue;
            }
            asked.add(q);
            queries.add(new RowQuery(new int[] {b, c}, new int[] {a}));
        }
    }

    /**
     * word2vec.c's {@code compute-accuracy FILE threshold}; see the class comment.
     *
     * @param threshold rows that take part (30,000 in word2vec.c's demo); 0 or less: all
     */
    public static Result evaluateLikeWord2vecC(KeyedVectors vectors, Path questionFile, int threshold) {
        int limit = limit(vectors, threshold);
        Map<String, Integer> vocabulary = firstRows(vectors, limit, Analogies::asciiUpper);
        List<String> sectionNames = new ArrayList<>();
        List<Question> questions = readWord2vecCStyle(questionFile, sectionNames);
        int sections = sectionNames.size();
        int[] correct = new int[sections];
        int[] evaluated = new int[sections];
        int[] skipped = new int[sections];
        List<Question> asked = new ArrayList<>();
        List<RowQuery> queries = new ArrayList<>();
        selectAnswerable(questions, vocabulary, skipped, asked, queries);
        List<List<Neighbor>> answers = answer(vectors, queries, Method.COS_ADD, 1, limit, false);
        for (int i = 0; i < asked.size(); i++) {
            Question q = asked.get(i);
            List<Neighbor> best = answers.get(i);
            // compute-accuracy starts from a best score of 0: a row must score above it to be an answer.
            String predicted = best.isEmpty() || !(best.get(0).similarity() > 0) ? null : asciiUpper(best.get(0).word());
            evaluated[q.section()]++;
            if (q.expected().equals(predicted)) {
                correct[q.section()]++;
            }
        }
        boolean[] semantic = new boolean[sections];
        for (int s = 0; s < sections; s++) {
            semantic[s] = s < 6; // compute-accuracy: section numbers 1-5 (0: questions before any header)
        }
        Options options = Options.defaults().withRestrictVocab(limit);
        return result("word2vec.c", options, limit, sectionNames, correct, evaluated, skipped, semantic, null);
    }

    private static int limit(KeyedVectors vectors, int restrict) {
        return restrict <= 0 ? vectors.size() : Math.min(restrict, vectors.size());
    }

    /** Upper-cased (or not) form → its first row among the first {@code limit} rows. */
    private static Map<String, Integer> firstRows(KeyedVectors vectors, int limit,
                                                  java.util.function.UnaryOperator<String> form) {
        Map<String, Integer> rows = new HashMap<>(limit * 2);
        for (int row = 0; row < limit; row++) {
            rows.putIfAbsent(form.apply(vectors.words().get(row)), row);
        }
        return rows;
    }

    private static List<List<Neighbor>> answer(KeyedVectors vectors, List<RowQuery> queries, Method method, int topN,
                                               int limit, boolean showProgress) {
        List<List<Neighbor>> answers = new ArrayList<>(queries.size());
        int chunk = 2048; // progress steps; each chunk is searched in batches
        try (Progress progress = showProgress ? Progress.start("analogies", queries.size(), "questions")
                : Progress.quiet()) {
            for (int from = 0; from < queries.size(); from += chunk) {
                List<RowQuery> part = queries.subList(from, Math.min(queries.size(), from + chunk));
                answers.addAll(method == Method.COS_ADD ? vectors.mostSimilar(part, topN, limit)
                        : vectors.mostSimilarCosMul(part, topN, limit));
                progress.advance(part.size());
            }
        }
        return answers;
    }

    private static Result result(String mode, Options options, int limit, List<String> names, int[] correct,
                                 int[] evaluated, int[] skipped, boolean[] semantic, List<Outcome> outcomes) {
        List<Score> sections = new ArrayList<>();
        int[] sem = new int[3];
        int[] syn = new int[3];
        for (int s = 0; s < names.size(); s++) {
            if (s == 0 && names.get(0) == null) {
                if (evaluated[0] + skipped[0] == 0) {
                    continue; // no questions before the first header (the usual case)
                }
            }
            sections.add(Score.of(names.get(s) == null ? "(no section)" : names.get(s), correct[s], evaluated[s], skipped[s]));
            int[] group = semantic[s] ? sem : syn;
            group[0] += correct[s];
            group[1] += evaluated[s];
            group[2] += skipped[s];
        }
        int questions = sem[1] + sem[2] + syn[1] + syn[2];
        int skippedAll = sem[2] + syn[2];
        return new Result(mode, options.method().name(), limit, options.caseInsensitive(), List.copyOf(sections),
                Score.of("semantic", sem[0], sem[1], sem[2]), Score.of("syntactic", syn[0], syn[1], syn[2]),
                Score.of("total", sem[0] + syn[0], sem[1] + syn[1], skippedAll), questions, skippedAll,
                questions == 0 ? 0 : (double) skippedAll / questions, outcomes == null ? null : List.copyOf(outcomes));
    }

    // ---------------------------------------------------------------------------------------------
    // Question files

    /**
     * gensim's reading: a line starting ": " opens a section (its name is the rest, stripped); other lines
     * split on whitespace, and those without exactly four words are skipped (blank lines too). A
     * question before any section is an error, as in gensim. Section 0 is reserved (unused here).
     */
    private static List<Question> readGensimStyle(Path file, List<String> sectionNames, boolean upper) {
        List<Question> questions = new ArrayList<>();
        sectionNames.add(null);
        int lineNumber = 0;
        for (String line : readLines(file)) {
            lineNumber++;
            if (line.startsWith(": ")) {
                sectionNames.add(stripColonsAndSpaces(line));
                continue;
            }
            String[] words = line.strip().split("\\s+");
            if (words.length != 4 || words[0].isEmpty()) {
                continue; // gensim: "Skipping invalid line"
            }
            if (sectionNames.size() == 1) {
                throw new GlossaException(file + ": line " + lineNumber + ": a question before the first ': section' line");
            }
            if (upper) {
                for (int i = 0; i < 4; i++) {
                    words[i] = words[i].toUpperCase(Locale.ROOT);
                }
            }
            questions.add(new Question(sectionNames.size() - 1, words[0], words[1], words[2], words[3]));
        }
        return questions;
    }

    /** Python's {@code line.lstrip(': ').strip()}. */
    private static String stripColonsAndSpaces(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ':' || line.charAt(i) == ' ')) {
            i++;
        }
        return line.substring(i).strip();
    }

    /**
     * compute-accuracy's reading: whitespace-separated tokens; ":" (or "EXIT") opens a section named by
     * the next token, any other token starts a question of four. Section 0 holds questions before the
     * first header (semantic, as there).
     */
    private static List<Question> readWord2vecCStyle(Path file, List<String> sectionNames) {
        List<String> tokens = new ArrayList<>();
        for (String line : readLines(file)) {
            for (String token : line.strip().split("[ \\t\\x0B\\f\\r]+")) {
                if (!token.isEmpty()) {
                    tokens.add(token);
                }
            }
        }
        List<Question> questions = new ArrayList<>();
        sectionNames.add(null);
        int i = 0;
        while (i < tokens.size()) {
            String first = asciiUpper(tokens.get(i));
            if (first.equals(":") || first.equals("EXIT")) {
                if (i + 1 >= tokens.size()) {
                    break;
                }
                sectionNames.add(tokens.get(i + 1));
                i += 2;
                continue;
            }
            if (i + 3 >= tokens.size()) {
                break; // compute-accuracy would reread stale words here; an incomplete last question is dropped
            }
            questions.add(new Question(sectionNames.size() - 1, first, asciiUpper(tokens.get(i + 1)),
                    asciiUpper(tokens.get(i + 2)), asciiUpper(tokens.get(i + 3))));
            i += 4;
        }
        return questions;
    }

    /** C's {@code toupper} in the C locale: a-z only. */
    static String asciiUpper(String s) {
        char[] chars = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 'a' && ch <= 'z') {
                if (chars == null) {
                    chars = s.toCharArray();
                }
                chars[i] = (char) (ch - 32);
            }
        }
        return chars == null ? s : new String(chars);
    }

    /** The lines of a UTF-8 file; malformed UTF-8 is an error naming the file. */
    static List<String> readLines(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return text.lines().toList();
        } catch (CharacterCodingException e) {
            throw new GlossaException(file + ": not valid UTF-8");
        } catch (IOException e) {
            throw new GlossaException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
    }
}
