package org.glossa.tasks.squad;

import java.net.URLDecoder;
import java.text.BreakIterator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.glossa.core.GlossaException;

/**
 * The SQuAD 2.0-style training set Glossa can build from the data it has: the SQuAD 1.1 training set
 * with the articles the SQuAD 2.0 excerpt covers swapped for their 2.0 versions (which add the real
 * unanswerable questions), plus synthetic unanswerable questions, since the 43,498 of SQuAD 2.0's
 * training set are not available.
 *
 * <p><b>Synthetic negatives</b>, of two kinds, labelled impossible:
 * <ul>
 *   <li><i>another paragraph</i>: the question paired with another paragraph of its own article that does
 *       not contain any of its answers (compared case-insensitively). Such a paragraph is on the
 *       question's topic, so the model cannot tell it apart by subject alone, but it rarely talks about
 *       the very thing asked for;</li>
 *   <li><i>answer removed</i>: the question's own paragraph without the sentences that hold its answer,
 *       kept only when the rest no longer contains the answer's text. This comes closer to SQuAD 2.0's
 *       adversarially written questions, whose paragraph does talk about the thing asked for;</li>
 *   <li><i>edited question</i>: the question edited ({@link QuestionEdits}: a name or number swapped for
 *       another of the article, a word for its opposite, a negated auxiliary) on its own unchanged
 *       paragraph, as SQuAD 2.0's crowd workers wrote most of theirs. Its labels are the noisiest.</li>
 * </ul>
 * All are easier than the real ones, so expect a higher NoAns score on them than on SQuAD 2.0's. Their
 * ids are the question's id + {@value #SYNTHETIC_SUFFIX} + a number.
 */
public final class SquadTrainingData {
    /** Marks the id of a synthetic unanswerable question: {@code <question id>-synthetic-negative-<k>}. */
    public static final String SYNTHETIC_SUFFIX = "-synthetic-negative-";

    private SquadTrainingData() {}

    /** Whether {@code example} was made by {@link #syntheticNegatives}. */
    public static boolean isSynthetic(SquadExample example) {
        return example.id().contains(SYNTHETIC_SUFFIX);
    }

    /**
     * How two files were merged.
     *
     * @param examples the merged examples
     * @param replacedArticles articles of the first file replaced by the second file's version
     * @param addedArticles articles of the second file that the first did not have (appended)
     * @param removedQuestions questions of the first file that the replacement removed
     * @param insertedQuestions questions of the second file (all of them are in the result)
     */
    public record Merged(List<SquadExample> examples, int replacedArticles, int addedArticles, int removedQuestions,
                         int insertedQuestions) {}

    /**
     * The examples of {@code base} (SQuAD 1.1) with every article that {@code replacements} (SQuAD 2.0) has
     * replaced by the latter's version, in place of the first question of that article; articles are
     * matched by title (percent-encoding aside), so none is doubled. Articles only {@code replacements}
     * has come last. Fails if the result would hold an id twice.
     */
    public static Merged merge(List<SquadExample> base, List<SquadExample> replacements) {
        Map<String, List<SquadExample>> byTitle = new LinkedHashMap<>();
        for (SquadExample example : replacements) {
            byTitle.computeIfAbsent(titleKey(example.title()), k -> new ArrayList<>()).add(example);
        }
        List<SquadExample> merged = new ArrayList<>(base.size() + replacements.size());
        Set<String> emitted = new HashSet<>();
        int removed = 0;
        for (SquadExample example : base) {
            String key = titleKey(example.title());
            List<SquadExample> replacement = byTitle.get(key);
            if (replacement == null) {
                merged.add(example);
                continue;
            }
            if (emitted.add(key)) {
                merged.addAll(replacement);
            }
            removed++;
        }
        int replaced = emitted.size();
        int added = 0;
        for (var entry : byTitle.entrySet()) {
            if (!emitted.contains(entry.getKey())) {
                merged.addAll(entry.getValue());
                added++;
            }
        }
        Set<String> ids = new HashSet<>();
        for (SquadExample example : merged) {
            if (!ids.add(example.id())) {
                throw new GlossaException("question id " + example.id() + " is in both training files under different"
                        + " article titles: merging them would train on it twice");
            }
        }
        return new Merged(List.copyOf(merged), replaced, added, removed, replacements.size());
    }

    /** A title as a comparison key: the 1.1 file keeps the percent-encoding of some titles ("Bras%C3%ADlia"). */
    static String titleKey(String title) {
        if (title.indexOf('%') < 0) {
            return title;
        }
        try {
            return URLDecoder.decode(title.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return title; // a literal '%' that is no escape
        }
    }

    /**
     * Synthetic negatives made from the answerable questions of {@code examples}.
     *
     * @param examples the training questions; articles are their titles, paragraphs their distinct contexts
     * @param requested how many were asked for: round(ratio × answerable questions)
     * @param made how many could be made (a question whose article has no paragraph without its answer gets none)
     * @param answerRemoved how many of them are the question's own paragraph with its answer's sentences removed
     * @param editedQuestion how many of them are the question edited, on its own paragraph
     */
    public record Negatives(List<SquadExample> examples, int requested, int made, int answerRemoved, int editedQuestion) {}

    /**
     * {@code ratio} synthetic unanswerable questions per answerable question of {@code examples}, drawn
     * from {@code new Random(seed)}: every question gets ⌊ratio⌋ and a draw without replacement of
     * answerable questions gets one more, up to round(ratio × answerable) in all. With probability
     * {@code answerRemovedShare} the first of a question's negatives is its own paragraph with the
     * sentences holding its answers removed (when the rest holds none of its answers), with probability
     * {@code editedShare} the question edited on its own paragraph (when an edit applies); otherwise, or
     * when that kind cannot be made, it and the others are drawn without replacement among the other
     * paragraphs of its article that do not contain any of its answers (case-insensitive). The result
     * follows the order of {@code examples}.
     */
    public static Negatives syntheticNegatives(List<SquadExample> examples, double ratio, double answerRemovedShare,
                                               double editedShare, long seed) {
        if (!(ratio >= 0) || Double.isInfinite(ratio)) {
            throw new GlossaException("the ratio of synthetic negatives must be >= 0, got " + ratio);
        }
        checkShares(answerRemovedShare, editedShare);
        List<Integer> answerable = new ArrayList<>();
        Map<String, List<String>> paragraphsOf = new LinkedHashMap<>(); // title → distinct contexts, in file order
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            SquadExample example = examples.get(i);
            if (example.hasAnswer() && !isSynthetic(example)) {
                answerable.add(i);
            }
            if (seen.computeIfAbsent(example.title(), k -> new LinkedHashSet<>()).add(example.context())) {
                paragraphsOf.computeIfAbsent(example.title(), k -> new ArrayList<>()).add(example.context());
            }
        }
        int requested = (int) Math.round(ratio * answerable.size());
        if (requested == 0) {
            return new Negatives(List.of(), 0, 0, 0, 0);
        }
        Random random = new Random(seed);
        int each = (int) Math.floor(ratio);
        int extra = requested - each * answerable.size();
        int[] counts = new int[answerable.size()];
        java.util.Arrays.fill(counts, each);
        int[] order = shuffled(answerable.size(), random);
        for (int k = 0; k < extra; k++) {
            counts[order[k]]++;
        }
        Map<String, String> lowerCase = new java.util.HashMap<>();
        Map<String, List<String>> mentionsOf = new java.util.HashMap<>(); // title → the names and numbers of its paragraphs
        List<SquadExample> negatives = new ArrayList<>(requested);
        int answerRemoved = 0;
        int edited = 0;
        for (int q = 0; q < answerable.size(); q++) {
            if (counts[q] == 0) {
                continue;
            }
            SquadExample example = examples.get(answerable.get(q));
            int made = 0;
            // Drawn only when asked for, so that shares of 0 leave the draws of the other kind as they were.
            double kind = answerRemovedShare > 0 || editedShare > 0 ? random.nextDouble() : 1;
            if (kind < answerRemovedShare) {
                String rest = withoutAnswerSentences(example);
                if (rest != null) {
                    negatives.add(impossible(example, rest, ++made));
                    answerRemoved++;
                }
            } else if (kind < answerRemovedShare + editedShare) {
                List<String> articleMentions = mentionsOf.computeIfAbsent(example.title(), title -> {
                    Set<String> all = new LinkedHashSet<>();
                    paragraphsOf.get(title).forEach(paragraph -> all.addAll(QuestionEdits.mentions(paragraph)));
                    return List.copyOf(all);
                });
                QuestionEdits.Edit edit = QuestionEdits.edit(example.question(), example.context(), articleMentions, random);
                if (edit != null) {
                    negatives.add(impossible(example, example.context(), edit.question(), ++made));
                    edited++;
                }
            }
            List<String> eligible = new ArrayList<>();
            for (String paragraph : paragraphsOf.get(example.title())) {
                if (!paragraph.equals(example.context())
                        && !containsAnyAnswer(lowerCase.computeIfAbsent(paragraph, p -> p.toLowerCase(Locale.ROOT)), example)) {
                    eligible.add(paragraph);
                }
            }
            int take = Math.min(counts[q] - made, eligible.size());
            for (int k = 0; k < take; k++) {
                int pick = k + random.nextInt(eligible.size() - k); // partial Fisher–Yates: without replacement
                String paragraph = eligible.set(pick, eligible.get(k));
                eligible.set(k, paragraph);
                negatives.add(impossible(example, paragraph, ++made));
            }
        }
        return new Negatives(List.copyOf(negatives), requested, negatives.size(), answerRemoved, edited);
    }

    /** The shares of the two own-paragraph kinds: each at least 0, together at most 1 (the rest: another paragraph). */
    static void checkShares(double answerRemovedShare, double editedShare) {
        if (!(answerRemovedShare >= 0 && answerRemovedShare <= 1)) {
            throw new GlossaException("the share of answer-removed negatives must be between 0 and 1, got " + answerRemovedShare);
        }
        if (!(editedShare >= 0 && answerRemovedShare + editedShare <= 1 + 1e-9)) {
            throw new GlossaException("the shares of answer-removed and edited-question negatives must be >= 0 and add up to"
                    + " at most 1, got " + answerRemovedShare + " and " + editedShare);
        }
    }

    private static SquadExample impossible(SquadExample source, String context, int number) {
        return impossible(source, context, source.question(), number);
    }

    private static SquadExample impossible(SquadExample source, String context, String question, int number) {
        return new SquadExample(source.id() + SYNTHETIC_SUFFIX + number, source.title(), context, question, List.of(), true);
    }

    /**
     * The context of {@code example} without the sentences (java.text.BreakIterator's, English) that
     * overlap any of its answers, or null when nothing is left or the rest still contains an answer's
     * text (case-insensitive), e.g. a name the paragraph repeats.
     */
    static String withoutAnswerSentences(SquadExample example) {
        String context = example.context();
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        sentences.setText(context);
        StringBuilder rest = new StringBuilder(context.length());
        for (int start = sentences.first(), end = sentences.next(); end != BreakIterator.DONE;
             start = end, end = sentences.next()) {
            boolean holdsAnswer = false;
            for (SquadExample.Answer answer : example.answers()) {
                holdsAnswer |= answer.start() < end && answer.end() > start;
            }
            if (!holdsAnswer) {
                rest.append(context, start, end);
            }
        }
        String text = rest.toString().strip();
        if (text.isEmpty() || containsAnyAnswer(text.toLowerCase(Locale.ROOT), example)) {
            return null;
        }
        return text;
    }

    private static boolean containsAnyAnswer(String lowerCaseParagraph, SquadExample example) {
        for (SquadExample.Answer answer : example.answers()) {
            if (lowerCaseParagraph.contains(answer.text().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** The first {@code n} of {@code examples} after a shuffle drawn from {@code new Random(seed)}; all of them when n ≤ 0 or n ≥ size. */
    public static List<SquadExample> subset(List<SquadExample> examples, int n, long seed) {
        if (n <= 0 || n >= examples.size()) {
            return examples;
        }
        int[] order = shuffled(examples.size(), new Random(seed));
        List<SquadExample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(examples.get(order[i]));
        }
        return List.copyOf(out);
    }

    /** 0 … n-1 in a Fisher–Yates order drawn from {@code random}. */
    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
