package org.glossa.tasks.translate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glossa.core.GlossaException;
import org.glossa.tasks.charlm.Corpus;

/**
 * Sentence pairs read from a tab-separated file (one pair per line, as the Anki/Tatoeba files of the
 * TensorFlow tutorial: {@code English<TAB>Spanish}, newer ones with a third attribution column) or from two
 * line-aligned files (line n of one translates line n of the other, as Multi30k's train.de / train.en).
 * Files are read strictly as UTF-8 (a byte-order mark is dropped, \r\n is accepted) and every sentence is
 * normalised ({@link TextNormalizer}).
 *
 * <p>Blank lines: those at the end of a file are ignored (Multi30k's train and val files end with one).
 * Elsewhere a blank line of a tab-separated file, or a line blank in both aligned files, is skipped and
 * counted in {@link #skippedBlankLines}; a line blank in only one aligned file means the files are out of
 * step and is an error, as are a line without a tab, a missing or empty column and differing line counts.
 *
 * @param pairs the pairs in file order
 * @param skippedBlankLines blank lines (or blank line pairs) skipped before the end of the file
 */
public record ParallelCorpus(List<SentencePair> pairs, int skippedBlankLines) {
    public ParallelCorpus {
        pairs = List.copyOf(pairs);
    }

    /**
     * Pairs from a tab-separated file: the source sentence in column {@code sourceColumn}, its translation
     * in {@code targetColumn} (0-based); further columns are ignored.
     */
    public static ParallelCorpus readTabSeparated(Path file, int sourceColumn, int targetColumn) {
        if (sourceColumn < 0 || targetColumn < 0 || sourceColumn == targetColumn) {
            throw new GlossaException("source and target columns must be two different columns >= 0, got "
                    + sourceColumn + " and " + targetColumn);
        }
        int needed = Math.max(sourceColumn, targetColumn) + 1;
        List<String> lines = lines(file);
        List<SentencePair> pairs = new ArrayList<>(lines.size());
        int skipped = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                skipped++;
                continue;
            }
            String where = file + ":" + (i + 1);
            if (line.indexOf('\t') < 0) {
                throw new GlossaException(where + ": no tab in the line; expected tab-separated columns ("
                        + needed + " needed)");
            }
            String[] columns = line.split("\t", -1);
            if (columns.length < needed) {
                throw new GlossaException(where + ": " + columns.length + " columns, column " + needed
                        + " is needed");
            }
            pairs.add(new SentencePair(field(columns[sourceColumn], where, sourceColumn),
                    field(columns[targetColumn], where, targetColumn)));
        }
        return new ParallelCorpus(pairs, skipped);
    }

    /** Pairs from two line-aligned files: line n of {@code sourceFile} is translated by line n of {@code targetFile}. */
    public static ParallelCorpus readAligned(Path sourceFile, Path targetFile) {
        List<String> sources = lines(sourceFile);
        List<String> targets = lines(targetFile);
        if (sources.size() != targets.size()) {
            throw new GlossaException("line counts differ: " + sourceFile + " has " + sources.size() + " lines, "
                    + targetFile + " has " + targets.size());
        }
        List<SentencePair> pairs = new ArrayList<>(sources.size());
        int skipped = 0;
        for (int i = 0; i < sources.size(); i++) {
            String source = TextNormalizer.normalize(sources.get(i));
            String target = TextNormalizer.normalize(targets.get(i));
            if (source.isEmpty() && target.isEmpty()) {
                skipped++;
            } else if (source.isEmpty() || target.isEmpty()) {
                Path blank = source.isEmpty() ? sourceFile : targetFile;
                Path other = source.isEmpty() ? targetFile : sourceFile;
                throw new GlossaException(blank + ":" + (i + 1) + " is blank but " + other + ":" + (i + 1)
                        + " is not: the files are not aligned");
            } else {
                pairs.add(new SentencePair(source, target));
            }
        }
        return new ParallelCorpus(pairs, skipped);
    }

    /** The number of pairs. */
    public int size() {
        return pairs.size();
    }

    /** Every pair the other way round (target → source). */
    public ParallelCorpus reversed() {
        return new ParallelCorpus(pairs.stream().map(SentencePair::reversed).toList(), skippedBlankLines);
    }

    private static String field(String raw, String where, int column) {
        String text = TextNormalizer.normalize(raw);
        if (text.isEmpty()) {
            throw new GlossaException(where + ": column " + (column + 1) + " is empty");
        }
        return text;
    }

    /** The lines of a UTF-8 file, \r\n accepted, blank lines at the end dropped. */
    private static List<String> lines(Path file) {
        String text = Corpus.read(file); // strict UTF-8, BOM dropped, one-line errors naming the file
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.endsWith("\r")) {
                lines.set(i, line.substring(0, line.length() - 1));
            }
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
