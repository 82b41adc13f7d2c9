package org.glossa.tasks.translate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.glossa.core.GlossaException;

/**
 * The Anki/Tatoeba Spanish–English pairs of the TensorFlow "NMT with attention" tutorial
 * ({@code spa-eng/spa.txt}: 118,964 lines of {@code English<TAB>Spanish}), read Spanish → English as the
 * tutorial translates, with our fixed split.
 *
 * <p><b>The split.</b> Pairs that share a Spanish sentence (Tatoeba often gives one sentence several
 * translations: "Ve." / "Vete." / "Vaya." for "Go.", and the other way round) are kept together, so no test
 * input is ever seen in training. The groups, in file order, are shuffled by {@code new Random(SEED)}
 * (whose sequence the Java specification fixes) with our own Fisher–Yates loop, then dealt out: a group
 * goes to the test part if it still fits in {@value #TEST_PAIRS} pairs, else to validation if it fits in
 * {@value #VALIDATION_PAIRS}, else to training. Each part keeps file order. Nothing depends on hash order,
 * so the split is the same in every run and JVM.
 */
public final class SpaEng {
    /** Where the file lives below ../shared. */
    public static final String FILE = "data/spa-eng/spa.txt";
    public static final int TEST_PAIRS = 2_000;
    public static final int VALIDATION_PAIRS = 2_000;
    public static final long SEED = 20_180_513L; // the date of the file (_about.txt)

    private SpaEng() {}

    /** spa.txt from ../shared (see {@code charlm.Corpus#defaultCorpus} for the lookup). */
    public static Path defaultFile() {
        return SharedData.locate(FILE, "the spa.txt file");
    }

    /** The pairs of an Anki file, Spanish (column 2) → English (column 1). */
    public static ParallelCorpus read(Path file) {
        return ParallelCorpus.readTabSeparated(file, 1, 0);
    }

    /** Our fixed split of the Spanish → English pairs: {@value #TEST_PAIRS} test, {@value #VALIDATION_PAIRS} validation. */
    public static DataSplit split(ParallelCorpus corpus) {
        return split(corpus.pairs(), TEST_PAIRS, VALIDATION_PAIRS, SEED);
    }

    /** Splits pairs keeping those with the same source sentence together (see the class comment). */
    public static DataSplit split(List<SentencePair> pairs, int testPairs, int validationPairs, long seed) {
        Map<String, List<Integer>> bySource = new LinkedHashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            bySource.computeIfAbsent(pairs.get(i).source(), s -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> groups = new ArrayList<>(bySource.values());
        Random random = new Random(seed);
        for (int i = groups.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            List<Integer> swap = groups.get(i);
            groups.set(i, groups.get(j));
            groups.set(j, swap);
        }
        boolean[] inTest = new boolean[pairs.size()];
        boolean[] inValidation = new boolean[pairs.size()];
        int test = 0;
        int validation = 0;
        for (List<Integer> group : groups) {
            if (test + group.size() <= testPairs) {
                test += group.size();
                group.forEach(i -> inTest[i] = true);
            } else if (validation + group.size() <= validationPairs) {
                validation += group.size();
                group.forEach(i -> inValidation[i] = true);
            }
        }
        if (test != testPairs || validation != validationPairs) {
            throw new GlossaException("cannot split " + pairs.size() + " pairs into " + testPairs + " test and "
                    + validationPairs + " validation pairs");
        }
        List<SentencePair> trainPart = new ArrayList<>();
        List<SentencePair> validationPart = new ArrayList<>();
        List<SentencePair> testPart = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            (inTest[i] ? testPart : inValidation[i] ? validationPart : trainPart).add(pairs.get(i));
        }
        return new DataSplit(trainPart, validationPart, testPart);
    }
}
