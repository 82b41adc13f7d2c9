package org.glossa.cli;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.glossa.core.GlossaException;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.eval.Analogies;
import org.glossa.embeddings.eval.Pca;
import org.glossa.embeddings.eval.WordPairs;
import org.glossa.embeddings.io.VectorFiles;
import org.glossa.embeddings.io.VectorFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code glossa vectors}: queries, evaluation, conversion and plots of word-vector files (word2vec text or
 * binary, GloVe text; the format is detected).
 */
@Command(name = "vectors", mixinStandardHelpOptions = true,
        description = "Query, evaluate, convert and plot word vectors (word2vec.c/gensim text or binary, GloVe text).",
        subcommands = {VectorsCommand.Similar.class, VectorsCommand.Analogy.class, VectorsCommand.Eval.class,
            VectorsCommand.Convert.class, VectorsCommand.Plot.class})
final class VectorsCommand {
    /** Where the analogy questions live relative to the repository root (and in {@code glossa.shared}). */
    static final String QUESTIONS_WORDS = "data/word-analogy/questions-words.txt";

    static KeyedVectors load(Path file, int limit) {
        return VectorFiles.read(file, VectorFiles.ReadOptions.defaults().withLimit(limit));
    }

    static void checkPositive(CommandSpec spec, String option, int value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, got " + value);
        }
    }

    static void printNeighbors(PrintWriter out, List<KeyedVectors.Neighbor> neighbors) {
        int rank = 1;
        for (KeyedVectors.Neighbor neighbor : neighbors) {
            out.println(String.format(Locale.ROOT, "%3d  %.4f  %s", rank++, neighbor.similarity(), neighbor.word()));
        }
    }

    /**
     * questions-words.txt, looked up as {@code $glossa.shared/data/…} when that property is set, else as
     * {@code ../shared/data/…} from the working directory and its parents, then from the directory of the
     * glossa jar and its parents (so {@code ./glossa} finds it beside the repository from anywhere); null if
     * none of them has it.
     */
    static Path defaultAnalogies() {
        List<Path> starts = new ArrayList<>();
        String shared = System.getProperty("glossa.shared");
        if (shared != null && Files.isRegularFile(Path.of(shared).resolve(QUESTIONS_WORDS))) {
            return Path.of(shared).resolve(QUESTIONS_WORDS).normalize();
        }
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(VectorsCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            // no code location (unusual class loaders): the working directory alone
        }
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("../shared").resolve(QUESTIONS_WORDS).normalize();
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ similar

    @Command(name = "similar", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "The words nearest (cosine) to the mean of the unit vectors of WORD... minus those of the --negative words,"
                        + " as gensim's most_similar; the query words are left out. Prints rank, similarity and word."
            })
    static final class Similar implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "VECTORS", description = "Vector file (format detected; gzip allowed).")
        Path file;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "WORD", description = "Positive words.")
        List<String> positive;

        @Option(names = "--negative", paramLabel = "WORD", arity = "1..*", description = "Words counted negatively.")
        List<String> negative = new ArrayList<>();

        @Option(names = {"-n", "--top-n"}, paramLabel = "N", defaultValue = "10", description = "Number of words to print (default 10).")
        int topN;

        @Option(names = "--cosmul", description = "Rank by 3CosMul (Levy & Goldberg, 2014) instead of the cosine to the mean.")
        boolean cosMul;

        @Option(names = "--restrict", paramLabel = "N", defaultValue = "0", description = "Search only the N most frequent words (default 0: all).")
        int restrict;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Read only the first N vectors of the file (default 0: all).")
        int limit;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            checkPositive(spec, "--top-n", topN);
            KeyedVectors vectors = load(file, limit);
            List<KeyedVectors.Neighbor> neighbors = cosMul
                    ? vectors.mostSimilarCosMul(positive, negative, topN, restrict)
                    : vectors.mostSimilar(positive, negative, topN, restrict);
            PrintWriter out = spec.commandLine().getOut();
            printNeighbors(out, neighbors);
            out.flush();
            return 0;
        }
    }

    // ------------------------------------------------------------------ analogy

    @Command(name = "analogy", mixinStandardHelpOptions = true, sortOptions = false,
            description = "A is to B as C is to ?: the words nearest to B − A + C (cosine to the mean of unit vectors, or"
                    + " 3CosMul), leaving out A, B and C.")
    static final class Analogy implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "VECTORS", description = "Vector file (format detected; gzip allowed).")
        Path file;

        @Parameters(index = "1", paramLabel = "A")
        String a;

        @Parameters(index = "2", paramLabel = "B")
        String b;

        @Parameters(index = "3", paramLabel = "C")
        String c;

        @Option(names = {"-n", "--top-n"}, paramLabel = "N", defaultValue = "5", description = "Number of answers to print (default 5).")
        int topN;

        @Option(names = "--cosmul", description = "3CosMul (Levy & Goldberg, 2014) instead of 3CosAdd.")
        boolean cosMul;

        @Option(names = "--restrict", paramLabel = "N", defaultValue = "0", description = "Search only the N most frequent words (default 0: all).")
        int restrict;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Read only the first N vectors of the file (default 0: all).")
        int limit;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            checkPositive(spec, "--top-n", topN);
            KeyedVectors vectors = load(file, limit);
            List<String> positive = List.of(b, c);
            List<String> negative = List.of(a);
            List<KeyedVectors.Neighbor> answers = cosMul
                    ? vectors.mostSimilarCosMul(positive, negative, topN, restrict)
                    : vectors.mostSimilar(positive, negative, topN, restrict);
            PrintWriter out = spec.commandLine().getOut();
            out.println(a + " : " + b + " :: " + c + " : ?");
            printNeighbors(out, answers);
            out.flush();
            return 0;
        }
    }

    // ------------------------------------------------------------------ eval

    /** gensim's evaluate_word_analogies, or word2vec.c's compute-accuracy with its demo's 30,000 words. */
    enum Mode { GENSIM, C30K }

    static final class ModeConverter implements CommandLine.ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "gensim" -> Mode.GENSIM;
                case "c30k", "c" -> Mode.C30K;
                default -> throw new TypeConversionException("'" + value + "' is not an evaluation mode: use gensim or c30k");
            };
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Analogy accuracy (questions-words format) per section, semantic, syntactic and total, with the questions"
                        + " skipped for out-of-vocabulary words; word-pair similarity (Spearman, Pearson) for --pairs files.",
                "Modes: gensim (default) scores as gensim's evaluate_word_analogies: the 300,000 most frequent words,"
                        + " case-insensitive, the best of the top 5 that is not a question word; c30k as word2vec.c's"
                        + " compute-accuracy in its demo: the 30,000 most frequent words, the single nearest.",
                "Without --analogies the questions are ../shared/" + QUESTIONS_WORDS + " beside the repository;"
                        + " with only --pairs, no analogies are run."
            })
    static final class Eval implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "VECTORS", description = "Vector file (format detected; gzip allowed).")
        Path file;

        @Option(names = "--analogies", paramLabel = "FILE", description = "Analogy questions (default: questions-words.txt, see above).")
        Path analogies;

        @Option(names = "--mode", paramLabel = "gensim|c30k", defaultValue = "gensim", converter = ModeConverter.class,
                description = "How analogies are scored (default gensim).")
        Mode mode;

        @Option(names = "--restrict", paramLabel = "N",
                description = "Only the N most frequent words take part (default 300000 for gensim, 30000 for c30k; 0: all).")
        Integer restrict;

        @Option(names = "--case-sensitive", description = "gensim mode: match words as they are, not upper-cased.")
        boolean caseSensitive;

        @Option(names = "--cosmul", description = "gensim mode: answer with 3CosMul instead of 3CosAdd.")
        boolean cosMul;

        @Option(names = "--pairs", paramLabel = "FILE", description = "Word-pair similarity file (word1 word2 score); repeatable.")
        List<Path> pairs = new ArrayList<>();

        @Option(names = "--json", description = "Print the results as one JSON object.")
        boolean json;

        @Option(names = "--no-progress", description = "No progress bar.")
        boolean noProgress;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (mode == Mode.C30K && (caseSensitive || cosMul)) {
                throw new ParameterException(spec.commandLine(), "--case-sensitive and --cosmul apply to --mode gensim only");
            }
            if (restrict != null && restrict < 0) {
                throw new ParameterException(spec.commandLine(), "--restrict must be 0 (all) or more, got " + restrict);
            }
            Path questions = analogies;
            if (questions == null && pairs.isEmpty()) {
                questions = defaultAnalogies();
                if (questions == null) {
                    throw new GlossaException("no --analogies FILE given and ../shared/" + QUESTIONS_WORDS
                            + " was not found beside the repository or the working directory");
                }
            }
            KeyedVectors vectors = load(file, 0);
            Analogies.Result analogyResult = null;
            if (questions != null) {
                analogyResult = switch (mode) {
                    case GENSIM -> Analogies.evaluate(vectors, questions, Analogies.Options.defaults()
                            .withRestrictVocab(restrict != null ? restrict : 300_000)
                            .withCaseInsensitive(!caseSensitive)
                            .withMethod(cosMul ? Analogies.Method.COS_MUL : Analogies.Method.COS_ADD)
                            .withShowProgress(!noProgress && !json));
                    case C30K -> Analogies.evaluateLikeWord2vecC(vectors, questions, restrict != null ? restrict : 30_000);
                };
            }
            List<WordPairs.Result> pairResults = new ArrayList<>();
            for (Path file : pairs) {
                pairResults.add(WordPairs.evaluate(vectors, file, new WordPairs.Options(
                        restrict != null ? restrict : 300_000, !caseSensitive)));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Word2VecCommand.json(toJson(file, vectors, questions, analogyResult, pairResults)));
            } else {
                out.printf(Locale.ROOT, "vectors: %s (%s words × %d)%n", file, Word2VecCommand.thousands(vectors.size()),
                        vectors.dimension());
                if (analogyResult != null) {
                    printAnalogies(out, questions, analogyResult);
                }
                for (WordPairs.Result result : pairResults) {
                    out.println(result.summary());
                }
            }
            out.flush();
            return 0;
        }

        private static void printAnalogies(PrintWriter out, Path questions, Analogies.Result result) {
            out.printf(Locale.ROOT, "analogies: %s (%s: %s most frequent words, %s, %s)%n", questions, result.mode(),
                    Word2VecCommand.thousands(result.restrictVocab()),
                    result.caseInsensitive() ? "case-insensitive" : "case-sensitive",
                    result.method().equals("COS_MUL") ? "3CosMul" : "3CosAdd");
            for (Analogies.Score score : result.sections()) {
                out.print(line(score));
            }
            out.print(line(result.semantic()));
            out.print(line(result.syntactic()));
            out.print(line(result.total()));
            out.printf(Locale.ROOT, "questions: %d, skipped (out of vocabulary): %d (%.1f%%)%n", result.questions(),
                    result.skipped(), 100 * result.oovRatio());
        }

        private static String line(Analogies.Score score) {
            return String.format(Locale.ROOT, "%-28s %6.2f%%  (%d / %d, %d skipped)%n", score.name(),
                    100 * score.accuracy(), score.correct(), score.evaluated(), score.skipped());
        }

        private static Map<String, Object> toJson(Path file, KeyedVectors vectors, Path questions,
                                                  Analogies.Result result, List<WordPairs.Result> pairResults) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("vectors", file.toString());
            root.put("words", vectors.size());
            root.put("dimension", vectors.dimension());
            if (result != null) {
                Map<String, Object> analogies = new LinkedHashMap<>();
                analogies.put("file", questions.toString());
                analogies.put("mode", result.mode());
                analogies.put("method", result.method().equals("COS_MUL") ? "3CosMul" : "3CosAdd");
                analogies.put("restrict_vocab", result.restrictVocab());
                analogies.put("case_insensitive", result.caseInsensitive());
                analogies.put("sections", result.sections().stream().map(Eval::score).toList());
                analogies.put("semantic", score(result.semantic()));
                analogies.put("syntactic", score(result.syntactic()));
                analogies.put("total", score(result.total()));
                analogies.put("questions", result.questions());
                analogies.put("skipped", result.skipped());
                analogies.put("oov_ratio", result.oovRatio());
                root.put("analogies", analogies);
            }
            List<Map<String, Object>> pairs = new ArrayList<>();
            for (WordPairs.Result r : pairResults) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("file", r.file());
                p.put("pairs", r.pairs());
                p.put("oov_pairs", r.oovPairs());
                p.put("invalid_lines", r.invalidLines());
                p.put("oov_ratio", r.oovRatio());
                p.put("spearman", r.spearman());
                p.put("spearman_p", r.spearmanP());
                p.put("pearson", r.pearson());
                p.put("pearson_p", r.pearsonP());
                pairs.add(p);
            }
            if (!pairs.isEmpty()) {
                root.put("pairs", pairs);
            }
            return root;
        }

        private static Map<String, Object> score(Analogies.Score score) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", score.name());
            s.put("correct", score.correct());
            s.put("evaluated", score.evaluated());
            s.put("skipped", score.skipped());
            s.put("accuracy", score.accuracy());
            return s;
        }
    }

    // ------------------------------------------------------------------ convert

    @Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Rewrites a vector file in another layout: word2vec text (\"N D\" header), word2vec binary or GloVe"
                    + " text (no header). gzip-compressed when OUT ends in .gz.")
    static final class Convert implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "IN", description = "Vector file to read (format detected unless --from).")
        Path in;

        @Parameters(index = "1", paramLabel = "OUT", description = "File to write.")
        Path out;

        @Option(names = "--to", paramLabel = "FORMAT", converter = Word2VecCommand.VectorFormatConverter.class,
                description = "text, binary or glove (default: binary for a .bin name, else text).")
        VectorFormat to;

        @Option(names = "--from", paramLabel = "FORMAT", converter = Word2VecCommand.VectorFormatConverter.class,
                description = "Layout of IN when detection is not wanted.")
        VectorFormat from;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Convert only the first N vectors (default 0: all).")
        int limit;

        @Option(names = "--no-line-breaks", description = "Binary rows without a trailing line break, as gensim writes them.")
        boolean noLineBreaks;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (limit < 0) {
                throw new ParameterException(spec.commandLine(), "--limit must be 0 (all) or more, got " + limit);
            }
            VectorFormat target = to != null ? to
                    : VectorFormat.fromFileName(out.getFileName().toString()) == VectorFormat.WORD2VEC_BINARY
                    ? VectorFormat.WORD2VEC_BINARY : VectorFormat.WORD2VEC_TEXT;
            if (noLineBreaks && target != VectorFormat.WORD2VEC_BINARY) {
                throw new ParameterException(spec.commandLine(), "--no-line-breaks applies to binary output only");
            }
            VectorFormat source = from != null ? from : VectorFiles.detect(in);
            KeyedVectors vectors = VectorFiles.read(in, VectorFiles.ReadOptions.defaults().withFormat(source).withLimit(limit));
            VectorFiles.write(vectors, out, target, !noLineBreaks);
            PrintWriter printed = spec.commandLine().getOut();
            printed.printf(Locale.ROOT, "read %s vectors × %d from %s (%s), wrote %s (%s)%n",
                    Word2VecCommand.thousands(vectors.size()), vectors.dimension(), in, Word2VecCommand.describe(source),
                    out, Word2VecCommand.describe(target));
            printed.flush();
            return 0;
        }
    }

    // ------------------------------------------------------------------ plot

    @Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
            description = "A 2-D PCA map of the words (PNG or SVG by the name of --out); prints each word's coordinates.")
    static final class Plot implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "VECTORS", description = "Vector file (format detected; gzip allowed).")
        Path file;

        @Parameters(index = "1..*", arity = "3..*", paramLabel = "WORD", description = "At least three words to place.")
        List<String> words;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "Image to write: a .png or .svg name.")
        Path out;

        @Option(names = "--title", paramLabel = "TEXT", description = "Chart title (default: the vector file's name).")
        String title;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Read only the first N vectors of the file (default 0: all).")
        int limit;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!name.endsWith(".png") && !name.endsWith(".svg")) {
                throw new ParameterException(spec.commandLine(), "--out must name a .png or .svg file, got " + out);
            }
            if (words.stream().distinct().count() != words.size()) {
                throw new ParameterException(spec.commandLine(), "a word is given twice: " + words);
            }
            KeyedVectors vectors = load(file, limit);
            Pca.Projection projection = Pca.plotWords(vectors, words, out,
                    title != null ? title : "PCA of " + words.size() + " words, " + file.getFileName());
            PrintWriter printed = spec.commandLine().getOut();
            printed.printf(Locale.ROOT, "wrote %s: PC1 %.1f%%, PC2 %.1f%% of the variance%n", out,
                    100 * projection.varianceRatio()[0], 100 * projection.varianceRatio()[1]);
            for (int i = 0; i < words.size(); i++) {
                printed.printf(Locale.ROOT, "%10.4f %10.4f  %s%n", projection.points()[i][0], projection.points()[i][1],
                        words.get(i));
            }
            printed.flush();
            return 0;
        }
    }
}
