package org.glossa.tasks.squad;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Edits that turn an answerable question into one that its own paragraph does not answer, the way SQuAD 2.0's
 * crowd workers wrote most of its unanswerable questions (Rajpurkar, Jia and Liang 2018, table 2: entity swap,
 * antonym, negation, ...). Unlike a question paired with another paragraph, the edited question still matches
 * its paragraph word for word but one, which is what makes SQuAD 2.0's negatives hard.
 * <ul>
 *   <li><b>entity swap</b>: a name or number of the question that the paragraph mentions is replaced by one of
 *       the same kind (a name of as many words, a year, another number) from elsewhere in the article that the
 *       paragraph never mentions;</li>
 *   <li><b>antonym</b>: a word with a listed opposite (most/least, first/last, before/after, ...) is replaced by
 *       its opposite when the paragraph never uses the opposite;</li>
 *   <li><b>negation</b>: the question's first auxiliary verb is negated (did → didn't, was → wasn't, ...).</li>
 * </ul>
 * These are heuristics: some edited questions remain answerable (a negated question sometimes has an answer
 * too), so their labels are noisy; they are one kind of synthetic negative among others, not the only one.
 */
final class QuestionEdits {
    private QuestionEdits() {}

    /** How a question was edited. */
    enum Kind { ENTITY_SWAP, ANTONYM, NEGATION }

    /** An edited question and how it was made. */
    record Edit(Kind kind, String question) {}

    /** A capitalised word, hyphens and inner apostrophes included (O'Brien, Jay-Z); a trailing 's is cut off later. */
    private static final String WORD = "\\p{Lu}[\\p{L}\\p{M}\\p{Nd}]*(?:['’\\-.]\\p{L}[\\p{L}\\p{M}\\p{Nd}]*)*";
    /** Runs of capitalised words: the names of a text (and sentence-initial words, filtered below). */
    private static final Pattern NAME = Pattern.compile(WORD + "(?: " + WORD + ")*");
    /** Numbers as written in SQuAD text: 1998, 3,000, 4.5. */
    private static final Pattern NUMBER = Pattern.compile("(?<![\\p{L}\\p{Nd}])\\d(?:[\\d,]*\\d)?(?:\\.\\d+)?(?![\\p{L}\\p{Nd}])");
    private static final Pattern YEAR = Pattern.compile("1\\d{3}|20\\d{2}");
    private static final Pattern LETTERS = Pattern.compile("\\p{L}+");

    /** Capitalised only because they start a sentence or a question: never the first word of a name. */
    private static final Set<String> FUNCTION_WORDS = Set.of(
            "a", "about", "according", "after", "all", "along", "also", "although", "an", "and", "any", "approximately",
            "are", "as", "at", "because", "before", "besides", "between", "both", "but", "by", "can", "could", "despite",
            "did", "do", "does", "during", "each", "either", "even", "for", "from", "had", "has", "have", "he", "her",
            "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "many", "may", "more", "most", "much",
            "near", "not", "of", "on", "once", "one", "only", "or", "other", "over", "roughly", "several", "she", "since",
            "some", "such", "than", "that", "the", "their", "then", "there", "these", "they", "this", "those", "though",
            "through", "to", "under", "unlike", "until", "upon", "was", "we", "were", "what", "whatever", "when", "where",
            "whereas", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "you");
    /** Titles: dropped from the front of a name, and their full stop ends no sentence. */
    private static final Set<String> TITLES = Set.of("dr", "mr", "mrs", "ms", "st", "jr", "sr", "prof", "gen", "col", "lt",
            "sgt", "rev");
    private static final Set<String> MONTHS = Set.of("january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december");
    private static final Set<String> WEEKDAYS = Set.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
            "sunday");

    private static final Map<String, String> AUXILIARY_NEGATED = Map.ofEntries(
            Map.entry("is", "isn't"), Map.entry("are", "aren't"), Map.entry("was", "wasn't"), Map.entry("were", "weren't"),
            Map.entry("do", "don't"), Map.entry("does", "doesn't"), Map.entry("did", "didn't"), Map.entry("can", "can't"),
            Map.entry("could", "couldn't"), Map.entry("has", "hasn't"), Map.entry("have", "haven't"),
            Map.entry("had", "hadn't"), Map.entry("will", "won't"), Map.entry("would", "wouldn't"),
            Map.entry("should", "shouldn't"));
    private static final Pattern NEGATIVE = Pattern.compile("(?i)\\b(?:not|never|no|none|nothing|neither|nor|without)\\b|n't\\b");

    private static final Map<String, String> ANTONYMS = antonyms(
            "most least", "largest smallest", "biggest smallest", "highest lowest", "first last", "earliest latest",
            "before after", "more less", "increase decrease", "increased decreased", "maximum minimum", "best worst",
            "longest shortest", "oldest youngest", "older younger", "north south", "east west", "northern southern",
            "eastern western", "larger smaller", "higher lower", "strongest weakest", "fastest slowest", "major minor",
            "positive negative", "above below", "inside outside", "early late", "win lose", "won lost", "rise fall",
            "rose fell", "start end", "started ended", "beginning end", "common rare", "legal illegal", "public private");
    /** Each opposite as a whole word, to look for in a lower-cased paragraph. */
    private static final Map<String, Pattern> OPPOSITE_AS_WORD = wholeWords(ANTONYMS.values());

    private static Map<String, String> antonyms(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (String pair : pairs) {
            String[] words = pair.split(" ");
            map.putIfAbsent(words[0], words[1]);
            map.putIfAbsent(words[1], words[0]);
        }
        return Map.copyOf(map);
    }

    private static Map<String, Pattern> wholeWords(Collection<String> words) {
        Map<String, Pattern> patterns = new HashMap<>();
        words.forEach(word -> patterns.put(word, Pattern.compile("\\b" + word + "\\b")));
        return Map.copyOf(patterns);
    }

    /**
     * The names and numbers that {@code text} mentions. Names are runs of capitalised words less leading function
     * words and titles; a lone capitalised word that starts a sentence ("Prior to ...") counts only when the text
     * also capitalises it inside a sentence.
     */
    static Set<String> mentions(String text) {
        List<String> runs = new ArrayList<>();
        List<Boolean> sentenceInitial = new ArrayList<>();
        Set<String> capitalisedInside = new HashSet<>();
        Matcher names = NAME.matcher(text);
        while (names.find()) {
            boolean initial = startsSentence(text, names.start());
            String[] words = names.group().split(" ");
            for (int i = initial ? 1 : 0; i < words.length; i++) {
                capitalisedInside.add(withoutPossessive(words[i]));
            }
            runs.add(names.group());
            sentenceInitial.add(initial);
        }
        Set<String> mentions = new LinkedHashSet<>();
        for (int i = 0; i < runs.size(); i++) {
            String run = runs.get(i);
            String name = trimName(run);
            boolean loneOpener = sentenceInitial.get(i) && !run.contains(" ") && !capitalisedInside.contains(name);
            if (!name.isEmpty() && !loneOpener) {
                mentions.add(name);
            }
        }
        Matcher numbers = NUMBER.matcher(text);
        while (numbers.find()) {
            mentions.add(numbers.group());
        }
        return mentions;
    }

    /** Whether {@code index} starts the text or follows a sentence's end (. ! ? and spaces or quotes; not "Dr."). */
    private static boolean startsSentence(String text, int index) {
        int i = index - 1;
        while (i >= 0 && (Character.isWhitespace(text.charAt(i)) || "\"“‘'(".indexOf(text.charAt(i)) >= 0)) {
            i--;
        }
        if (i < 0) {
            return true;
        }
        if (text.charAt(i) == '.') { // not after a title or an initial: "Dr. Swann", "George W. Bush"
            int start = i;
            while (start > 0 && Character.isLetter(text.charAt(start - 1))) {
                start--;
            }
            String word = text.substring(start, i);
            return !(word.length() == 1 || TITLES.contains(word.toLowerCase(Locale.ROOT)));
        }
        return "!?".indexOf(text.charAt(i)) >= 0;
    }

    /** A name without leading function words and titles (sentence-initial "The", a question's "What", "Dr") and a trailing 's. */
    private static String trimName(String run) {
        String[] words = run.split(" ");
        int first = 0;
        while (first < words.length && (FUNCTION_WORDS.contains(words[first].toLowerCase(Locale.ROOT))
                || TITLES.contains(words[first].toLowerCase(Locale.ROOT)))) {
            first++;
        }
        return withoutPossessive(String.join(" ", Arrays.copyOfRange(words, first, words.length)));
    }

    private static String withoutPossessive(String name) {
        return name.endsWith("'s") || name.endsWith("’s") ? name.substring(0, name.length() - 2) : name;
    }

    /** What a mention can be swapped with: the same kind (year, number, month, weekday, name), and for names as many words. */
    private static String kindOf(String mention) {
        if (Character.isDigit(mention.charAt(0))) {
            return YEAR.matcher(mention).matches() ? "year" : "number";
        }
        String lower = mention.toLowerCase(Locale.ROOT);
        if (MONTHS.contains(lower)) {
            return "month";
        }
        return WEEKDAYS.contains(lower) ? "weekday" : "name/" + mention.split(" ").length;
    }

    /**
     * One edit of {@code question} that its {@code paragraph} no longer answers, or null when none applies: an edit
     * kind drawn among those that apply, then a draw within it. {@code articleMentions} are the mentions of the
     * question's article (its paragraphs' {@link #mentions}), the replacements an entity swap draws from.
     */
    static Edit edit(String question, String paragraph, List<String> articleMentions, Random random) {
        String paragraphLower = paragraph.toLowerCase(Locale.ROOT);
        List<Kind> kinds = new ArrayList<>(List.of(Kind.values()));
        while (!kinds.isEmpty()) {
            Kind kind = kinds.remove(random.nextInt(kinds.size()));
            String edited = switch (kind) {
                case ENTITY_SWAP -> swapEntity(question, paragraphLower, articleMentions, random);
                case ANTONYM -> antonym(question, paragraphLower);
                case NEGATION -> negate(question);
            };
            if (edited != null && !edited.equals(question)) {
                return new Edit(kind, edited);
            }
        }
        return null;
    }

    /**
     * A mention of the question that the paragraph has, swapped for a same-kind one of the article that it has not;
     * the question's mentions are tried in a random order.
     */
    static String swapEntity(String question, String paragraphLower, List<String> articleMentions, Random random) {
        List<String> grounded = new ArrayList<>();
        for (String mention : mentions(question)) {
            if (paragraphLower.contains(mention.toLowerCase(Locale.ROOT))) {
                grounded.add(mention);
            }
        }
        if (grounded.isEmpty() || articleMentions.isEmpty()) {
            return null;
        }
        Collections.shuffle(grounded, random);
        for (String original : grounded) {
            String kind = kindOf(original);
            // A few random draws rather than a scan of the whole article: most draws of the right kind qualify.
            for (int attempt = 0; attempt < 64; attempt++) {
                String replacement = articleMentions.get(random.nextInt(articleMentions.size()));
                if (kindOf(replacement).equals(kind) && !replacement.equalsIgnoreCase(original)
                        && !paragraphLower.contains(replacement.toLowerCase(Locale.ROOT))) {
                    return replaceWhole(question, original, replacement);
                }
            }
        }
        return null;
    }

    /** The first word of the question with a listed opposite that the paragraph never uses, replaced by it. */
    static String antonym(String question, String paragraphLower) {
        Matcher words = LETTERS.matcher(question);
        while (words.find()) {
            String word = words.group();
            String opposite = ANTONYMS.get(word.toLowerCase(Locale.ROOT));
            if (opposite != null && !OPPOSITE_AS_WORD.get(opposite).matcher(paragraphLower).find()) {
                return replaceWord(question, words, opposite);
            }
        }
        return null;
    }

    /** The question's first auxiliary verb among its first six words, negated; null for a question already negative. */
    static String negate(String question) {
        if (NEGATIVE.matcher(question).find()) {
            return null;
        }
        Matcher words = LETTERS.matcher(question);
        for (int index = 0; index < 6 && words.find(); index++) {
            String word = words.group();
            String negated = AUXILIARY_NEGATED.get(word.toLowerCase(Locale.ROOT));
            if (negated != null) {
                return replaceWord(question, words, negated);
            }
        }
        return null;
    }

    /** {@code text} with the word {@code word} has just found replaced by the lower-case {@code replacement}, capitalised as it was. */
    private static String replaceWord(String text, Matcher word, String replacement) {
        String cased = Character.isUpperCase(text.charAt(word.start()))
                ? Character.toUpperCase(replacement.charAt(0)) + replacement.substring(1) : replacement;
        return text.substring(0, word.start()) + cased + text.substring(word.end());
    }

    /** {@code text} with the first whole-word occurrence of {@code original} replaced. */
    private static String replaceWhole(String text, String original, String replacement) {
        Matcher matcher = Pattern.compile("(?<![\\p{L}\\p{Nd}])" + Pattern.quote(original) + "(?![\\p{L}\\p{Nd}])").matcher(text);
        if (!matcher.find()) {
            return null;
        }
        return text.substring(0, matcher.start()) + replacement + text.substring(matcher.end());
    }
}
