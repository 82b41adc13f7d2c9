package org.glossa.tasks.squad;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;

/**
 * From start/end logits to answers, as HuggingFace's utils_qa.postprocess_qa_predictions does it.
 *
 * <p>Per example, over all its features (windows): the {@code nBest} highest start and end logits of
 * each feature are paired; a pair is a candidate when both tokens are context tokens, end &ge; start and
 * the span has at most {@code maxAnswerLength} tokens; its score is start logit + end logit and its
 * text the context from the start token's first character to the end token's last. The null score is
 * the smallest [CLS] score (start[0] + end[0]) over the features. The {@code nBest} best candidates
 * (for SQuAD 2.0 the null answer among them, added when it does not make the cut) get softmax
 * probabilities. SQuAD 1.1 answers with the best candidate; SQuAD 2.0 says "" (no answer) when the null
 * score exceeds the best non-null candidate's by more than {@code nullThreshold}.
 *
 * <p>Two details follow HF on purpose: when no span qualifies, the candidate list gets a placeholder
 * with the text "empty" and score 0 (which then is the answer, unless the null wins); and the
 * probabilities are over the n-best list only. One differs: only a feature's own tokens are searched,
 * never padding (HF searches the padded logits, where padding can take places in the top n).
 */
public final class QaPostprocess {
    private QaPostprocess() {}

    /** HF's n_best_size, max_answer_length, version_2_with_negative and null_score_diff_threshold. */
    public record Options(int nBest, int maxAnswerLength, boolean versionTwo, double nullThreshold) {
        public Options {
            if (nBest < 1) {
                throw new GlossaException("nBest must be at least 1, got " + nBest);
            }
            if (maxAnswerLength < 1) {
                throw new GlossaException("maxAnswerLength must be at least 1, got " + maxAnswerLength);
            }
        }

        /** run_qa's defaults for SQuAD 2.0: 20 candidates, answers up to 30 tokens, threshold 0. */
        public static Options defaults() {
            return new Options(20, 30, true, 0.0);
        }

        public Options withNullThreshold(double threshold) {
            return new Options(nBest, maxAnswerLength, versionTwo, threshold);
        }
    }

    /**
     * One candidate answer.
     *
     * @param text the context's characters [charStart, charEnd); "" for the null answer
     * @param charStart UTF-16 offset in the context; 0 for the null answer, -1 for the "empty" placeholder
     * @param charEnd exclusive end, with the same conventions
     * @param probability softmax of the scores over the example's n-best list
     */
    public record Candidate(String text, double score, double startLogit, double endLogit, int charStart, int charEnd,
                            double probability) {
        /** The null answer ("no answer", the [CLS] span). */
        public boolean isNull() {
            return charStart == 0 && charEnd == 0;
        }

        Candidate withProbability(double p) {
            return new Candidate(text, score, startLogit, endLogit, charStart, charEnd, p);
        }
    }

    /**
     * The answers of every example.
     *
     * @param predictions id to answer text ("" = no answer), in example order
     * @param nbest id to the n-best candidates, best first
     * @param nullOdds id to the null score minus the best non-null candidate's score (HF's null_odds,
     *                 the official script's --na-prob-file); computed for SQuAD 1.1 too
     */
    public record Result(Map<String, String> predictions, Map<String, List<Candidate>> nbest,
                         Map<String, Double> nullOdds) {

        /** predictions.json, nbest_predictions.json, null_odds.json in dir, each written atomically. */
        public void write(Path dir) {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Map<String, List<Map<String, Object>>> nbestJson = new LinkedHashMap<>();
            nbest.forEach((id, candidates) -> {
                List<Map<String, Object>> list = new ArrayList<>();
                for (Candidate candidate : candidates) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("text", candidate.text());
                    entry.put("probability", candidate.probability());
                    entry.put("start_logit", candidate.startLogit());
                    entry.put("end_logit", candidate.endLogit());
                    entry.put("score", candidate.score());
                    entry.put("char_start", candidate.charStart());
                    entry.put("char_end", candidate.charEnd());
                    list.add(entry);
                }
                nbestJson.put(id, list);
            });
            AtomicFiles.write(dir.resolve("predictions.json"), temporary -> json.writeValue(temporary.toFile(), predictions));
            AtomicFiles.write(dir.resolve("nbest_predictions.json"), temporary -> json.writeValue(temporary.toFile(), nbestJson));
            AtomicFiles.write(dir.resolve("null_odds.json"), temporary -> json.writeValue(temporary.toFile(), nullOdds));
        }
    }

    /**
     * Answers every example from the logits of its features.
     *
     * @param features the features built from {@code examples} ({@link QaFeatures#build}); every example
     *                 needs at least one
     * @param startLogits startLogits[f]: the start logits of feature f over its tokens; rows may be longer
     *                    (padding), the extra entries are not read
     * @param endLogits likewise for the end logits
     */
    public static Result run(List<SquadExample> examples, List<QaFeature> features, float[][] startLogits,
                             float[][] endLogits, Options options) {
        if (startLogits.length != features.size() || endLogits.length != features.size()) {
            throw new GlossaException("got logits for " + startLogits.length + " (start) and " + endLogits.length
                    + " (end) features, but there are " + features.size() + " features");
        }
        List<List<Integer>> featuresOfExample = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            featuresOfExample.add(new ArrayList<>(1));
        }
        for (int f = 0; f < features.size(); f++) {
            QaFeature feature = features.get(f);
            if (feature.exampleIndex() < 0 || feature.exampleIndex() >= examples.size()) {
                throw new GlossaException("feature " + f + " belongs to example " + feature.exampleIndex() + ", but there are "
                        + examples.size() + " examples");
            }
            if (startLogits[f].length < feature.length() || endLogits[f].length < feature.length()) {
                throw new GlossaException("feature " + f + " has " + feature.length() + " tokens but " + startLogits[f].length
                        + " start and " + endLogits[f].length + " end logits");
            }
            featuresOfExample.get(feature.exampleIndex()).add(f);
        }
        Map<String, String> predictions = new LinkedHashMap<>();
        Map<String, List<Candidate>> nbest = new LinkedHashMap<>();
        Map<String, Double> nullOdds = new LinkedHashMap<>();
        for (int e = 0; e < examples.size(); e++) {
            SquadExample example = examples.get(e);
            if (featuresOfExample.get(e).isEmpty()) {
                throw new GlossaException("question " + example.id() + " has no features to answer from");
            }
            answer(example, features, featuresOfExample.get(e), startLogits, endLogits, options,
                    predictions, nbest, nullOdds);
        }
        return new Result(Collections.unmodifiableMap(predictions), Collections.unmodifiableMap(nbest),
                Collections.unmodifiableMap(nullOdds));
    }

    private static void answer(SquadExample example, List<QaFeature> features, List<Integer> featureIndexes,
                               float[][] startLogits, float[][] endLogits, Options options,
                               Map<String, String> predictions, Map<String, List<Candidate>> nbest,
                               Map<String, Double> nullOdds) {
        String context = example.context();
        Candidate nullCandidate = null;
        List<Candidate> candidates = new ArrayList<>();
        for (int f : featureIndexes) {
            QaFeature feature = features.get(f);
            float[] start = startLogits[f];
            float[] end = endLogits[f];
            // Scores are float sums, as numpy adds HF's float32 logits.
            float nullScore = start[0] + end[0];
            if (nullCandidate == null || nullCandidate.score() > nullScore) {
                nullCandidate = new Candidate("", nullScore, start[0], end[0], 0, 0, 0);
            }
            int[] topEnds = topIndexes(end, feature.length(), options.nBest());
            for (int s : topIndexes(start, feature.length(), options.nBest())) {
                for (int t : topEnds) {
                    if (!feature.isContext(s) || !feature.isContext(t)) {
                        continue;
                    }
                    if (t < s || t - s + 1 > options.maxAnswerLength()) {
                        continue;
                    }
                    int charStart = feature.offsetStart()[s];
                    int charEnd = feature.offsetEnd()[t];
                    candidates.add(new Candidate(context.substring(charStart, charEnd), start[s] + end[t], start[s], end[t],
                            charStart, charEnd, 0));
                }
            }
        }
        if (options.versionTwo()) {
            candidates.add(nullCandidate);
        }
        // Stable: equal scores keep the order of features and of the top-n lists.
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed());
        List<Candidate> best = new ArrayList<>(candidates.subList(0, Math.min(options.nBest(), candidates.size())));
        if (options.versionTwo() && !best.contains(nullCandidate)) {
            best.add(nullCandidate);
        }
        if (best.isEmpty() || (best.size() == 1 && best.get(0).text().isEmpty())) {
            best.add(0, new Candidate("empty", 0, 0, 0, -1, -1, 0));
        }
        double maxScore = best.stream().mapToDouble(Candidate::score).max().orElseThrow();
        double sum = 0;
        double[] exp = new double[best.size()];
        for (int i = 0; i < best.size(); i++) {
            exp[i] = Math.exp(best.get(i).score() - maxScore);
            sum += exp[i];
        }
        for (int i = 0; i < best.size(); i++) {
            best.set(i, best.get(i).withProbability(exp[i] / sum));
        }
        Candidate bestNonNull = best.stream().filter(c -> !c.text().isEmpty()).findFirst().orElseThrow();
        // HF: null score - start logit - end logit of the best non-null answer, in float as numpy does.
        float scoreDifference = (float) nullCandidate.score() - (float) bestNonNull.startLogit()
                - (float) bestNonNull.endLogit();
        String answer;
        if (options.versionTwo()) {
            answer = scoreDifference > options.nullThreshold() ? "" : bestNonNull.text();
        } else {
            answer = best.get(0).text();
        }
        predictions.put(example.id(), answer);
        nbest.put(example.id(), List.copyOf(best));
        nullOdds.put(example.id(), (double) scoreDifference);
    }

    /**
     * The indexes of the n largest of logits[0, length), largest first; equal logits by increasing index
     * (numpy's argsort leaves their order unspecified).
     */
    static int[] topIndexes(float[] logits, int length, int n) {
        int count = Math.min(n, length);
        int[] top = new int[count];
        boolean[] taken = new boolean[length];
        for (int k = 0; k < count; k++) {
            int best = -1;
            for (int i = 0; i < length; i++) {
                if (!taken[i] && (best < 0 || logits[i] > logits[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            top[k] = best;
        }
        return top;
    }
}
