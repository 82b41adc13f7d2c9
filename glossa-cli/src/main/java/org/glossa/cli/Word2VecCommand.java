package org.glossa.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.Vocabulary;
import org.glossa.embeddings.corpus.CorpusFormat;
import org.glossa.embeddings.corpus.EncodedCorpus;
import org.glossa.embeddings.corpus.TextCorpus;
import org.glossa.embeddings.corpus.TextOptions;
import org.glossa.embeddings.io.VectorFiles;
import org.glossa.embeddings.io.VectorFormat;
import org.glossa.embeddings.word2vec.Architecture;
import org.glossa.embeddings.word2vec.EpochReport;
import org.glossa.embeddings.word2vec.Word2Vec;
import org.glossa.embeddings.word2vec.Word2VecListener;
import org.glossa.embeddings.word2vec.Word2VecOptions;
import org.glossa.embeddings.word2vec.Word2VecResult;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code glossa word2vec}: trains word2vec vectors ({@code train}) and writes a corpus as Glossa tokenises
 * it ({@code tokenize}). Also home of the pieces the GloVe command shares: the corpus options, the output
 * format choice, the training threads and the metrics log.
 */
@Command(name = "word2vec", mixinStandardHelpOptions = true,
        description = "Train word2vec vectors (CBOW or skip-gram) on a text corpus; write a corpus as Glossa tokenises it.",
        subcommands = {Word2VecCommand.Train.class, Word2VecCommand.Tokenize.class})
final class Word2VecCommand {

    // ------------------------------------------------------------------ shared pieces

    /** The corpus options of {@code word2vec train}, {@code word2vec tokenize} and {@code glove train}. */
    static final class CorpusOptions {
        @Option(names = "--corpus", paramLabel = "FILE", required = true,
                description = "UTF-8 text, plain or gzip; repeat for several files, read as one corpus.")
        List<Path> files;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto", converter = FormatConverter.class,
                description = "lines (one sentence per line; windows never cross a line break), raw (running text),"
                        + " wiki (WikiExtractor output: <doc> lines dropped, one paragraph per line) or auto"
                        + " (default: wiki when the first line is a <doc ...> tag, else lines).")
        CorpusFormat format; // null: auto

        @Option(names = "--lowercase", description = "Lower-case every token.")
        boolean lowercase;

        @Option(names = "--token-pattern", paramLabel = "RE",
                description = "Tokens are the matches of this Java regular expression, e.g. '\\p{L}+|\\p{N}+' (runs of"
                        + " letters or of digits: drops punctuation); default: split on whitespace, as word2vec.c and gensim.")
        String tokenPattern;

        @Option(names = "--max-sentence-length", paramLabel = "N", defaultValue = "10000",
                description = "Cut longer sentences (and raw text) into pieces of N tokens (default 10000, gensim's).")
        int maxSentenceLength;

        /** The corpus these options describe; the format is detected from the first file when not given. */
        TextCorpus corpus() {
            TextOptions options = TextOptions.defaults().withLowercase(lowercase).withTokenPattern(tokenPattern)
                    .withMaxSentenceLength(maxSentenceLength);
            return new TextCorpus(files, resolvedFormat(), options);
        }

        CorpusFormat resolvedFormat() {
            return format != null ? format : detectFormat(files.get(0));
        }
    }

    /** Accepts lines, raw, wiki (or wikiextractor) and auto, in any case. */
    static final class FormatConverter implements CommandLine.ITypeConverter<CorpusFormat> {
        @Override
        public CorpusFormat convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "auto" -> null;
                case "lines" -> CorpusFormat.LINES;
                case "raw" -> CorpusFormat.RAW;
                case "wiki", "wikiextractor" -> CorpusFormat.WIKIEXTRACTOR;
                default -> throw new TypeConversionException("'" + value + "' is not a corpus format: use lines, raw, wiki or auto");
            };
        }
    }

    /** Accepts text, binary and glove (see {@link VectorFormat#parse}). */
    static final class VectorFormatConverter implements CommandLine.ITypeConverter<VectorFormat> {
        @Override
        public VectorFormat convert(String value) {
            try {
                return VectorFormat.parse(value);
            } catch (GlossaException e) {
                throw new TypeConversionException("'" + value + "' is not a vector format: use text, binary or glove");
            }
        }
    }

    /** WikiExtractor output when the first non-blank line of {@code file} (plain or gzip) is a {@code <doc ...>} tag. */
    static CorpusFormat detectFormat(Path file) {
        byte[] head = new byte[4096];
        int length = 0;
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = raw;
            if (isGzip(file)) {
                in = new GZIPInputStream(raw);
            }
            int n;
            while (length < head.length && (n = in.read(head, length, head.length - length)) > 0) {
                length += n;
            }
        } catch (NoSuchFileException e) {
            throw new GlossaException("corpus file " + file + " does not exist");
        } catch (IOException e) {
            throw new GlossaException("cannot read corpus file " + file + ": " + AtomicFiles.describe(e), e);
        }
        String text = new String(head, 0, length, StandardCharsets.UTF_8).stripLeading();
        return text.startsWith("<doc ") || text.startsWith("<doc>") ? CorpusFormat.WIKIEXTRACTOR : CorpusFormat.LINES;
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    static String formatName(CorpusFormat format) {
        return switch (format) {
            case LINES -> "lines";
            case RAW -> "raw";
            case WIKIEXTRACTOR -> "wiki";
        };
    }

    /** Where trained vectors go and in which layout. */
    static final class OutputOptions {
        @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the vectors.")
        Path out;

        @Option(names = "--output-format", paramLabel = "FORMAT", converter = VectorFormatConverter.class,
                description = "text (word2vec.c/gensim text with an \"N D\" header), binary (word2vec.c binary) or glove"
                        + " (headerless text); default: binary for a .bin name, else the command's usual text layout.")
        VectorFormat format;

        @Option(names = "--binary", description = "Same as --output-format binary (word2vec.c's -binary 1).")
        boolean binary;

        /** The chosen format: --output-format, --binary, a .bin name, else {@code fallback}. */
        VectorFormat resolve(CommandSpec spec, VectorFormat fallback) {
            // Checked now rather than after a long training.
            if (Files.isDirectory(out)) {
                throw new ParameterException(spec.commandLine(), "--out " + out + " is a directory: name the vector file");
            }
            if (binary && format != null && format != VectorFormat.WORD2VEC_BINARY) {
                throw new ParameterException(spec.commandLine(), "--binary contradicts --output-format "
                        + format.name().toLowerCase(Locale.ROOT));
            }
            if (binary) {
                return VectorFormat.WORD2VEC_BINARY;
            }
            if (format != null) {
                return format;
            }
            return VectorFormat.fromFileName(out.getFileName().toString()) == VectorFormat.WORD2VEC_BINARY
                    ? VectorFormat.WORD2VEC_BINARY : fallback;
        }
    }

    static String describe(VectorFormat format) {
        return switch (format) {
            case WORD2VEC_TEXT -> "word2vec text";
            case WORD2VEC_BINARY -> "word2vec binary";
            case GLOVE_TEXT -> "GloVe text";
        };
    }

    /**
     * Training threads: the global {@code --threads} (before or after the command), else
     * {@code GLOSSA_THREADS}, else every available processor.
     */
    static int trainingThreads(CommandSpec spec) {
        Integer threads = null;
        for (ParseResult level = spec.root().commandLine().getParseResult(); level != null; level = level.subcommand()) {
            Integer given = level.matchedOptionValue("--threads", (Integer) null);
            if (given != null) {
                threads = given;
            }
        }
        if (threads != null) {
            return threads;
        }
        String env = System.getenv("GLOSSA_THREADS");
        if (env != null && !env.isBlank()) {
            try {
                int n = Integer.parseInt(env.strip());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new GlossaException("environment variable GLOSSA_THREADS must be a positive number, got '" + env + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * A JSON-lines log rewritten whole (through a temporary file) after each line, so that a reader never
     * sees half a line and the file is complete after every epoch.
     */
    static final class MetricsLog {
        private final Path file;
        private final List<String> lines = new ArrayList<>();

        MetricsLog(Path file) {
            this.file = file;
        }

        void add(Map<String, Object> record) {
            if (file == null) {
                return;
            }
            lines.add(json(record));
            AtomicFiles.write(file, temporary -> Files.write(temporary, lines, StandardCharsets.UTF_8));
        }
    }

    /** One-line JSON of a map of numbers, strings and nested maps/lists; non-finite numbers become null. */
    static String json(Object value) {
        try {
            return HfConfig.mapper().writeValueAsString(finite(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object finite(Object value) {
        if (value instanceof Double d && !Double.isFinite(d)) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, finite(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Word2VecCommand::finite).toList();
        }
        return value;
    }

    /**
     * Prints a line while a progress bar may be drawn on the same terminal: on a console the bar's line is
     * cleared first, so that the message does not run on after it (the bar redraws itself below).
     */
    static void printAbove(PrintWriter out, String line) {
        out.println(System.console() != null ? "\r\033[2K" + line : line);
        out.flush();
    }

    /** A decimal without exponent or trailing zeros: 0.001, 0.0000025. */
    static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    static String threads(int n) {
        return n == 1 ? "1 thread" : n + " threads";
    }

    static String thousands(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    // ------------------------------------------------------------------ train

    /** CBOW or skip-gram; picocli makes the two flags exclusive. */
    static final class ArchitectureChoice {
        @Option(names = "--sg", description = "Skip-gram: each context word predicts the centre word.")
        boolean skipGram;

        @Option(names = "--cbow", description = "CBOW (default): the context's mean predicts the centre word.")
        boolean cbow;
    }

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Trains word2vec (Mikolov et al., 2013) as word2vec.c and gensim do: CBOW or skip-gram, negative sampling"
                        + " and/or hierarchical softmax, frequent-word subsampling, Hogwild threads. Prints a progress bar"
                        + " (words/s, ETA) on standard error and each epoch's mean loss on standard output.",
                "Threads: the global --threads N (default: $GLOSSA_THREADS, else all cores); --threads 1 with a --seed"
                        + " gives the same vectors bit for bit on every run.",
                "On a Wikipedia extract, for example: glossa word2vec train --corpus enwiki.txt --lowercase"
                        + " --token-pattern '\\p{L}+|\\p{N}+' --sg --out vectors.bin"
            })
    static final class Train implements Callable<Integer> {
        @Mixin
        CorpusOptions corpus;

        @Mixin
        OutputOptions output;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        ArchitectureChoice architecture;

        @Option(names = "--cbow-mean", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "CBOW averages the context vectors (default); --no-cbow-mean sums them.")
        boolean cbowMean;

        @Option(names = "--hs", description = "Hierarchical softmax (with --negative 0: instead of negative sampling).")
        boolean hierarchicalSoftmax;

        @Option(names = "--negative", paramLabel = "N", defaultValue = "5", description = "Negative samples per prediction; 0: none (default 5).")
        int negative;

        @Option(names = {"--dim", "--size"}, paramLabel = "N", defaultValue = "100", description = "Vector dimension (default 100).")
        int dimension;

        @Option(names = "--window", paramLabel = "N", defaultValue = "5",
                description = "Maximum distance to a context word; each word draws its window from 1..N (default 5).")
        int window;

        @Option(names = "--sample", paramLabel = "T", defaultValue = "1e-3",
                description = "Frequent-word subsampling threshold; 0: off (default 1e-3).")
        double sample;

        @Option(names = "--min-count", paramLabel = "N", defaultValue = "5", description = "Drop words seen fewer times (default 5).")
        int minCount;

        @Option(names = "--max-vocab", paramLabel = "N", defaultValue = "0", description = "Keep at most the N most frequent words (default 0: all).")
        int maxVocab;

        @Option(names = {"--epochs", "--iter"}, paramLabel = "N", defaultValue = "5", description = "Passes over the corpus (default 5).")
        int epochs;

        @Option(names = "--alpha", paramLabel = "X",
                description = "Initial learning rate (default 0.025 for skip-gram, 0.05 for CBOW, as word2vec.c; gensim uses 0.025 for both).")
        Double alpha;

        @Option(names = "--min-alpha", paramLabel = "X",
                description = "Final learning rate, reached linearly (default alpha × 1e-4, as word2vec.c; gensim's is 0.0001).")
        Double minAlpha;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the initial vectors and the random draws (default 1).")
        long seed;

        @Option(names = "--metrics", paramLabel = "FILE.jsonl", description = "Write one JSON line per epoch (loss, words, seconds, words/s, alpha).")
        Path metrics;

        @Option(names = "--save-vocab", paramLabel = "FILE", description = "Also write \"word count\" lines, as word2vec.c's -save-vocab.")
        Path saveVocab;

        @Option(names = "--no-progress", description = "No progress bars.")
        boolean noProgress;

        @Spec
        CommandSpec spec;

        Word2VecOptions options() {
            Architecture chosen = architecture != null && architecture.skipGram ? Architecture.SKIP_GRAM : Architecture.CBOW;
            try {
                return Word2VecOptions.defaults().withArchitecture(chosen).withDimension(dimension).withWindow(window)
                        .withNegative(negative).withHierarchicalSoftmax(hierarchicalSoftmax).withSample(sample)
                        .withMinCount(minCount).withMaxVocab(maxVocab).withEpochs(epochs).withAlpha(alpha)
                        .withMinAlpha(minAlpha).withCbowMean(cbowMean).withThreads(trainingThreads(spec)).withSeed(seed)
                        .withShowProgress(!noProgress).validate();
            } catch (GlossaException e) {
                // A bad value or combination of options: a usage error, before any reading.
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        @Override
        public Integer call() {
            Word2VecOptions options = options();
            VectorFormat format = output.resolve(spec, VectorFormat.WORD2VEC_TEXT);
            PrintWriter out = spec.commandLine().getOut();
            TextCorpus text = corpus.corpus();
            out.println("corpus: " + text.description() + " (" + formatName(text.format()) + ")");
            out.flush();
            MetricsLog log = new MetricsLog(metrics);
            Word2VecResult result;
            try (EncodedCorpus encoded = EncodedCorpus.encode(text, options.minCount(), options.maxVocab(),
                    options.storage(), options.tempDirectory(), options.showProgress())) {
                Vocabulary vocabulary = encoded.vocabulary();
                out.printf(Locale.ROOT, "vocabulary: %s words (min-count %d%s) of %s distinct; %s of %s corpus words kept%n",
                        thousands(vocabulary.size()), options.minCount(),
                        options.maxVocab() > 0 ? ", max-vocab " + options.maxVocab() : "", thousands(vocabulary.corpusTypes()),
                        thousands(encoded.tokens()), thousands(vocabulary.corpusTokens()));
                out.printf(Locale.ROOT, "training: %s, %s, %d dimensions, window %d, sample %s, %s, alpha %s → %s, %s%n",
                        options.architecture() == Architecture.SKIP_GRAM ? "skip-gram" : options.cbowMean() ? "CBOW (mean)" : "CBOW (sum)",
                        objective(options), options.dimension(), options.window(), plain(options.sample()), options.epochs() == 1 ? "1 epoch" : options.epochs() + " epochs",
                        plain(options.effectiveAlpha()), plain(options.effectiveMinAlpha()), threads(options.threads()));
                out.flush();
                result = Word2Vec.train(encoded, options, new Word2VecListener() {
                    @Override
                    public void epochFinished(EpochReport report) {
                        printAbove(out, report.toString());
                        Map<String, Object> record = new LinkedHashMap<>();
                        record.put("epoch", report.epoch());
                        record.put("epochs", report.epochs());
                        record.put("loss", report.loss());
                        record.put("predictions", report.predictions());
                        record.put("words", report.words());
                        record.put("trained_words", report.trainedWords());
                        record.put("seconds", report.seconds());
                        record.put("words_per_second", report.wordsPerSecond());
                        record.put("alpha", report.alpha());
                        log.add(record);
                    }
                });
            }
            KeyedVectors vectors = result.vectors();
            out.printf(Locale.ROOT, "trained in %.1f s: %,.0f words/s (corpus words in the vocabulary, before subsampling)%n",
                    result.seconds(), result.wordsPerSecond());
            VectorFiles.write(vectors, output.out, format);
            out.printf(Locale.ROOT, "wrote %s vectors × %d to %s (%s)%n", thousands(vectors.size()), vectors.dimension(),
                    output.out, describe(format));
            if (saveVocab != null) {
                VectorFiles.writeVocabulary(vectors, saveVocab);
                out.println("wrote the vocabulary to " + saveVocab);
            }
            out.flush();
            return 0;
        }

        private static String objective(Word2VecOptions options) {
            String negative = "negative " + options.negative();
            if (!options.hierarchicalSoftmax()) {
                return negative;
            }
            return options.negative() > 0 ? "hierarchical softmax + " + negative : "hierarchical softmax";
        }
    }

    // ------------------------------------------------------------------ tokenize

    @Command(name = "tokenize", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Writes the corpus as Glossa reads it: one sentence per line, tokens separated by one space (gzip when OUT"
                        + " ends in .gz). Training on that file with --format lines sees the same sentences, and so do"
                        + " gensim's LineSentence and the C tools (word2vec.c, GloVe), which makes comparisons exact."
            })
    static final class Tokenize implements Callable<Integer> {
        @Mixin
        CorpusOptions corpus;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the tokenised text.")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            TextCorpus text = corpus.corpus();
            // Whitespace splitting cannot make a token with a space in it; a token pattern can.
            boolean checkTokens = corpus.tokenPattern != null;
            long[] counts = new long[2]; // sentences, tokens
            boolean gzip = out.getFileName().toString().endsWith(".gz");
            AtomicFiles.write(out, temporary -> {
                try (OutputStream raw = Files.newOutputStream(temporary);
                     OutputStream stream = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
                     Writer writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16)) {
                    text.forEachSentence((tokens, length) -> {
                        try {
                            for (int i = 0; i < length; i++) {
                                String token = tokens[i];
                                if (checkTokens && holdsSeparator(token)) {
                                    throw new GlossaException("token '" + token + "' of " + text.description()
                                            + " holds whitespace, which a one-sentence-per-line file cannot keep:"
                                            + " use a --token-pattern that does not match spaces");
                                }
                                if (i > 0) {
                                    writer.write(' ');
                                }
                                writer.write(token);
                            }
                            writer.write('\n');
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        counts[0]++;
                        counts[1] += length;
                    });
                } catch (java.io.UncheckedIOException e) {
                    throw e.getCause();
                }
            });
            if (counts[1] == 0) {
                AtomicFiles.deleteRecursively(out);
                throw new GlossaException("corpus " + text.description() + " has no words");
            }
            PrintWriter printed = spec.commandLine().getOut();
            printed.printf(Locale.ROOT, "wrote %s sentences, %s tokens of %s (%s) to %s%n", thousands(counts[0]),
                    thousands(counts[1]), text.description(), formatName(text.format()), out);
            printed.flush();
            return 0;
        }

        /** Whether a reader that splits on whitespace (ours, Python's str.split) would cut {@code token}. */
        private static boolean holdsSeparator(String token) {
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085') {
                    return true;
                }
            }
            return false;
        }
    }
}
