package org.glossa.tasks.squad;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;

/**
 * The official SQuAD 2.0 evaluation (evaluate-v2.0.py), in Java, figure for figure.
 *
 * <p>Answers are compared after normalisation: lower-cased, ASCII punctuation removed, the words
 * "a", "an", "the" removed, whitespace collapsed. Exact match is 1 when the normalised texts are equal;
 * F1 is the harmonic mean of precision and recall over the normalised words. A question with no gold
 * answer (an empty answer list, or only answers that normalise to nothing) has "" as its only gold
 * answer. Each question takes its best score over its gold answers; the figures are percentages.
 *
 * <p>With no-answer probabilities (for instance run_qa's null odds), a question whose probability
 * exceeds the threshold is scored as if "" had been predicted, and best_exact/best_f1 give the score of
 * the best threshold over those probabilities, as the script's find_best_thresh computes it (including
 * its walk through ties in file order).
 *
 * <p>Like the script, sums run in the data set's question order with plain double additions, so the
 * figures equal Python 3.11's bit for bit (Python 3.12 sums floats with compensation, which can change
 * the last digit of the 15th place).
 */
public final class SquadEvaluation {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SquadEvaluation() {}

    /**
     * Scores predictions (id to answer text, "" for no answer) against a data set. Every question needs a
     * prediction (the script fails without one); predictions for other ids are ignored.
     *
     * @param naProbs id to no-answer probability, or null: then, as the script does without a
     *                na-prob file, nothing is thresholded and there are no best_* figures
     * @param naProbThreshold predict "" where the no-answer probability exceeds this (the script's 1.0 default)
     */
    public static Scores evaluate(List<SquadExample> dataset, Map<String, String> predictions,
                                  Map<String, Double> naProbs, double naProbThreshold) {
        if (dataset.isEmpty()) {
            throw new GlossaException("cannot evaluate on a data set without questions");
        }
        int n = dataset.size();
        double[] exact = new double[n];
        double[] f1 = new double[n];
        boolean[] hasAnswer = new boolean[n];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SquadExample example = dataset.get(i);
            hasAnswer[i] = example.hasAnswer();
            String prediction = predictions.get(example.id());
            if (prediction == null) {
                missing.add(example.id());
                continue;
            }
            // Normalised once each: gold answers that normalise to "" do not count; none left means "".
            List<String> gold = new ArrayList<>();
            for (SquadExample.Answer answer : example.answers()) {
                String normalised = normalizeAnswer(answer.text());
                if (!normalised.isEmpty()) {
                    gold.add(normalised);
                }
            }
            if (gold.isEmpty()) {
                gold.add("");
            }
            String normalisedPrediction = normalizeAnswer(prediction);
            List<String> predictedTokens = PythonText.split(normalisedPrediction);
            for (String answer : gold) {
                exact[i] = Math.max(exact[i], answer.equals(normalisedPrediction) ? 1 : 0);
                f1[i] = Math.max(f1[i], f1(PythonText.split(answer), predictedTokens));
            }
        }
        if (!missing.isEmpty()) {
            throw new GlossaException("no prediction for question " + missing.get(0) + " (" + missing.size() + " of "
                    + n + " questions have none)");
        }
        if (naProbs != null) {
            for (SquadExample example : dataset) {
                if (!naProbs.containsKey(example.id())) {
                    throw new GlossaException("no no-answer probability for question " + example.id());
                }
            }
        }

        // apply_no_ans_threshold: a question predicted unanswerable scores 1 exactly when it has no answer.
        double[] exactThresholded = exact.clone();
        double[] f1Thresholded = f1.clone();
        // Without probabilities the script takes 0.0 for every question (which only a negative threshold exceeds).
        for (int i = 0; i < n; i++) {
            double naProb = naProbs == null ? 0.0 : naProbs.get(dataset.get(i).id());
            if (naProb > naProbThreshold) {
                exactThresholded[i] = hasAnswer[i] ? 0 : 1;
                f1Thresholded[i] = hasAnswer[i] ? 0 : 1;
            }
        }
        Part all = part(exactThresholded, f1Thresholded, hasAnswer, null);
        Part hasAns = part(exactThresholded, f1Thresholded, hasAnswer, true);
        Part noAns = part(exactThresholded, f1Thresholded, hasAnswer, false);
        Best best = null;
        if (naProbs != null) {
            double[] bestExact = bestThreshold(dataset, predictions, exact, hasAnswer, naProbs);
            double[] bestF1 = bestThreshold(dataset, predictions, f1, hasAnswer, naProbs);
            best = new Best(bestExact[0], bestExact[1], bestF1[0], bestF1[1]);
        }
        return new Scores(all, hasAns, noAns, best);
    }

    /** make_eval_dict over all questions (which == null) or those with/without an answer; null when none. */
    private static Part part(double[] exact, double[] f1, boolean[] hasAnswer, Boolean which) {
        double exactSum = 0;
        double f1Sum = 0;
        int total = 0;
        for (int i = 0; i < exact.length; i++) {
            if (which == null || hasAnswer[i] == which) {
                exactSum += exact[i];
                f1Sum += f1[i];
                total++;
            }
        }
        return total == 0 ? null : new Part(100.0 * exactSum / total, 100.0 * f1Sum / total, total);
    }

    /**
     * find_best_thresh: start from "every question predicted unanswerable" (the no-answer questions
     * right), then walk the questions by increasing no-answer probability, letting each answer in turn,
     * and keep the best running score and the probability where it was reached. Returns {score, threshold}.
     */
    private static double[] bestThreshold(List<SquadExample> dataset, Map<String, String> predictions, double[] scores,
                                          boolean[] hasAnswer, Map<String, Double> naProbs) {
        Map<String, Integer> index = new HashMap<>();
        int noAnswers = 0;
        for (int i = 0; i < dataset.size(); i++) {
            index.put(dataset.get(i).id(), i);
            noAnswers += hasAnswer[i] ? 0 : 1;
        }
        List<Map.Entry<String, Double>> order = new ArrayList<>(naProbs.entrySet());
        // Stable, and -0.0 equal to 0.0, as Python's sorted.
        order.sort((a, b) -> a.getValue() < b.getValue() ? -1 : a.getValue() > b.getValue() ? 1 : 0);
        double current = noAnswers;
        double best = current;
        double threshold = 0.0;
        for (Map.Entry<String, Double> entry : order) {
            Integer i = index.get(entry.getKey());
            if (i == null) {
                continue;   // not a question of this data set
            }
            double change;
            if (hasAnswer[i]) {
                change = scores[i];
            } else {
                change = predictions.get(entry.getKey()).isEmpty() ? 0 : -1;
            }
            current += change;
            if (current > best) {
                best = current;
                threshold = entry.getValue();
            }
        }
        return new double[] {100.0 * best / dataset.size(), threshold};
    }

    /** The script's normalize_answer: lower case, no punctuation, no articles, single spaces. */
    public static String normalizeAnswer(String text) {
        String lower = PythonText.lower(text);
        StringBuilder noPunctuation = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (!isAsciiPunctuation(c)) {
                noPunctuation.append(c);
            }
        }
        return String.join(" ", PythonText.split(removeArticles(noPunctuation.toString())));
    }

    /** The script's exact-match score: 1 when the normalised texts are equal, else 0. */
    public static double exactMatch(String gold, String prediction) {
        return normalizeAnswer(gold).equals(normalizeAnswer(prediction)) ? 1 : 0;
    }

    /** The script's compute_f1: word-overlap F1 of the normalised texts; 1 or 0 when either is empty. */
    public static double f1(String gold, String prediction) {
        return f1(tokens(gold), tokens(prediction));
    }

    private static double f1(List<String> goldTokens, List<String> predictedTokens) {
        if (goldTokens.isEmpty() || predictedTokens.isEmpty()) {
            return goldTokens.equals(predictedTokens) ? 1 : 0;
        }
        Map<String, Integer> goldCounts = new HashMap<>();
        for (String token : goldTokens) {
            goldCounts.merge(token, 1, Integer::sum);
        }
        int same = 0;   // the size of the multiset intersection
        for (String token : predictedTokens) {
            Integer left = goldCounts.get(token);
            if (left != null && left > 0) {
                goldCounts.put(token, left - 1);
                same++;
            }
        }
        if (same == 0) {
            return 0;
        }
        // The script's operations in its order, for the same rounding.
        double precision = 1.0 * same / predictedTokens.size();
        double recall = 1.0 * same / goldTokens.size();
        return (2 * precision * recall) / (precision + recall);
    }

    private static List<String> tokens(String text) {
        return text.isEmpty() ? List.of() : PythonText.split(normalizeAnswer(text));
    }

    /** Python's string.punctuation: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ (ASCII only). */
    private static boolean isAsciiPunctuation(char c) {
        return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
    }

    /**
     * re.sub(r'\b(a|an|the)\b', ' ', text) with Python's Unicode \w: a match is exactly a maximal run of
     * word characters that is "a", "an" or "the", so each such run becomes a space.
     */
    private static String removeArticles(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            if (!PythonText.isWordCharacter(codePoint)) {
                out.appendCodePoint(codePoint);
                i += Character.charCount(codePoint);
                continue;
            }
            int end = i;
            while (end < text.length() && PythonText.isWordCharacter(text.codePointAt(end))) {
                end += Character.charCount(text.codePointAt(end));
            }
            String word = text.substring(i, end);
            out.append(word.equals("a") || word.equals("an") || word.equals("the") ? " " : word);
            i = end;
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ files

    /** A predictions file: one JSON object of question id to answer text ("" for no answer). */
    public static Map<String, String> readPredictions(Path json) {
        JsonNode root = readObject(json, "predictions file");
        Map<String, String> predictions = new LinkedHashMap<>();
        root.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isTextual()) {
                throw new GlossaException(json + ": the prediction for \"" + SquadDataset.quote(entry.getKey())
                        + "\" must be a string, got " + brief(entry.getValue()));
            }
            predictions.put(entry.getKey(), entry.getValue().textValue());
        });
        return predictions;
    }

    /** A no-answer probability file (or run_qa's null_odds.json): question id to a number, in file order. */
    public static Map<String, Double> readNaProbs(Path json) {
        JsonNode root = readObject(json, "no-answer probability file");
        Map<String, Double> naProbs = new LinkedHashMap<>();
        root.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isNumber()) {
                throw new GlossaException(json + ": the no-answer probability of \"" + SquadDataset.quote(entry.getKey())
                        + "\" must be a number, got " + brief(entry.getValue()));
            }
            naProbs.put(entry.getKey(), entry.getValue().doubleValue());
        });
        return naProbs;
    }

    /** A JSON value as it is written, cut to fit a one-line message. */
    private static String brief(JsonNode value) {
        String text = value.toString();
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }

    private static JsonNode readObject(Path json, String what) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(json));
        } catch (NoSuchFileException e) {
            throw new GlossaException(what + " not found: " + json, e);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new GlossaException(json + " is not valid JSON" + where + ": "
                    + e.getOriginalMessage().strip().replaceAll("\\s*\\R\\s*", " "), e);
        } catch (IOException e) {
            throw new GlossaException("cannot read " + what + " " + json + ": " + AtomicFiles.describe(e), e);
        }
        if (root == null || !root.isObject()) {
            throw new GlossaException(json + " is not a " + what + ": expected one JSON object of question id to value");
        }
        return root;
    }

    // ------------------------------------------------------------------ scores

    /** Exact match, F1 (percentages) and the number of questions of one group. */
    public record Part(double exact, double f1, int total) {}

    /** The best scores over no-answer thresholds and the thresholds that give them. */
    public record Best(double exact, double exactThreshold, double f1, double f1Threshold) {}

    /**
     * The script's figures.
     *
     * @param all every question
     * @param hasAns questions with an answer; null when there are none (the script leaves the keys out)
     * @param noAns questions without; null when there are none
     * @param best null without no-answer probabilities
     */
    public record Scores(Part all, Part hasAns, Part noAns, Best best) {
        public double exact() {
            return all.exact();
        }

        public double f1() {
            return all.f1();
        }

        public int total() {
            return all.total();
        }

        /**
         * The figures under the script's keys and in its order: exact, f1, total, HasAns_exact, HasAns_f1,
         * HasAns_total, NoAns_exact, NoAns_f1, NoAns_total, best_exact, best_exact_thresh, best_f1,
         * best_f1_thresh.
         */
        public Map<String, Number> asMap() {
            Map<String, Number> map = new LinkedHashMap<>();
            put(map, "", all);
            put(map, "HasAns_", hasAns);
            put(map, "NoAns_", noAns);
            if (best != null) {
                map.put("best_exact", best.exact());
                map.put("best_exact_thresh", best.exactThreshold());
                map.put("best_f1", best.f1());
                map.put("best_f1_thresh", best.f1Threshold());
            }
            return map;
        }

        private static void put(Map<String, Number> map, String prefix, Part part) {
            if (part != null) {
                map.put(prefix + "exact", part.exact());
                map.put(prefix + "f1", part.f1());
                map.put(prefix + "total", part.total());
            }
        }

        /** What the script prints: json.dumps(out_eval, indent=2), byte for byte. */
        public String toJson() {
            StringBuilder json = new StringBuilder("{");
            String separator = "\n  ";
            for (Map.Entry<String, Number> entry : asMap().entrySet()) {
                json.append(separator).append('"').append(entry.getKey()).append("\": ").append(format(entry.getValue()));
                separator = ",\n  ";
            }
            return json.append("\n}").toString();
        }

        /** What the script writes with --out-file: json.dump(out_eval), one line, byte for byte. */
        public String toJsonLine() {
            StringBuilder json = new StringBuilder("{");
            String separator = "";
            for (Map.Entry<String, Number> entry : asMap().entrySet()) {
                json.append(separator).append('"').append(entry.getKey()).append("\": ").append(format(entry.getValue()));
                separator = ", ";
            }
            return json.append('}').toString();
        }

        private static String format(Number value) {
            return value instanceof Integer ? value.toString() : PythonText.formatFloat(value.doubleValue());
        }
    }
}
