package org.glossa.embeddings.eval;

import org.glossa.core.GlossaException;
import org.glossa.embeddings.KeyedVectors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Word-pair similarity (WordSim-353, SimLex-999 and the like) as gensim's
 * {@code KeyedVectors.evaluate_word_pairs}: the cosine of each pair against the human score, as Pearson
 * and Spearman correlations. Only the first {@code restrictVocab} rows take part (300,000), words are
 * upper-cased on both sides by default (each form standing for its first row), and pairs with an
 * unknown word are skipped and counted.
 *
 * <p>Lines: "word1 word2 score", separated by tabs, or else commas, or else spaces; further columns are
 * ignored (gensim's tab-only reader skips such lines). Blank lines and lines starting with '#' are
 * comments; a line whose third column is not a number (a header) is skipped and counted.
 */
public final class WordPairs {
    private WordPairs() {}

    public record Options(int restrictVocab, boolean caseInsensitive) {
        public static Options defaults() {
            return new Options(300_000, true);
        }
    }

    /**
     * @param pairs pairs scored
     * @param oovPairs pairs skipped for an unknown word
     * @param invalidLines non-comment lines that were not "word word number"
     * @param oovRatio oovPairs / (pairs + oovPairs), as a fraction (gensim reports a percentage)
     */
    public record Result(String file, int pairs, int oovPairs, int invalidLines, double oovRatio, double pearson,
                         double pearsonP, double spearman, double spearmanP) {
        public String summary() {
            return String.format(Locale.ROOT,
                    "%s: Spearman %.4f (p %.3g), Pearson %.4f (p %.3g), %d pairs, %d out of vocabulary (%.1f%%)",
                    file, spearman, spearmanP, pearson, pearsonP, pairs, oovPairs, 100 * oovRatio);
        }
    }

    public static Result evaluate(KeyedVectors vectors, Path file) {
        return evaluate(vectors, file, Options.defaults());
    }

    public static Result evaluate(KeyedVectors vectors, Path file, Options options) {
        int limit = options.restrictVocab() <= 0 ? vectors.size() : Math.min(options.restrictVocab(), vectors.size());
        Map<String, Integer> vocabulary = new HashMap<>(limit * 2);
        for (int row = 0; row < limit; row++) {
            String word = vectors.words().get(row);
            vocabulary.putIfAbsent(options.caseInsensitive() ? word.toUpperCase(Locale.ROOT) : word, row);
        }
        List<Double> gold = new ArrayList<>();
        List<Double> model = new ArrayList<>();
        int oov = 0;
        int invalid = 0;
        for (String line : Analogies.readLines(file)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = split(line);
            double score;
            try {
                if (fields.length < 3) {
                    throw new NumberFormatException();
                }
                score = Double.parseDouble(fields[2].strip());
            } catch (NumberFormatException e) {
                invalid++;
                continue;
            }
            String a = fields[0].strip();
            String b = fields[1].strip();
            if (options.caseInsensitive()) {
                a = a.toUpperCase(Locale.ROOT);
                b = b.toUpperCase(Locale.ROOT);
            }
            Integer rowA = vocabulary.get(a);
            Integer rowB = vocabulary.get(b);
            if (rowA == null || rowB == null) {
                oov++;
                continue;
            }
            gold.add(score);
            model.add(vectors.similarity(rowA, rowB));
        }
        if (gold.isEmpty()) {
            throw new GlossaException(file + ": no word pair to score (" + oov + " with unknown words, " + invalid
                    + " lines not 'word word score')");
        }
        double[] x = gold.stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = model.stream().mapToDouble(Double::doubleValue).toArray();
        Correlation.Value pearson = Correlation.pearson(x, y);
        Correlation.Value spearman = Correlation.spearman(x, y);
        return new Result(file.getFileName().toString(), x.length, oov, invalid, (double) oov / (x.length + oov),
                pearson.coefficient(), pearson.pValue(), spearman.coefficient(), spearman.pValue());
    }

    private static String[] split(String line) {
        if (line.indexOf('\t') >= 0) {
            return line.split("\t");
        }
        if (line.indexOf(',') >= 0) {
            return line.split(",");
        }
        return line.strip().split("\\s+");
    }
}
