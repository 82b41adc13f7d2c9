package org.glossa.embeddings.glove;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.embeddings.KeyedVectors;
import org.glossa.embeddings.Vocabulary;
import org.glossa.embeddings.corpus.EncodedCorpus;
import org.glossa.embeddings.corpus.SentenceSource;

/**
 * GloVe's whole pipeline, as Stanford GloVe's demo runs its four tools: count the vocabulary
 * ({@code vocab_count}), count co-occurrences ({@link CooccurrenceCounter}, {@code cooccur}), shuffle them
 * ({@link CooccurrenceShuffler}, {@code shuffle}), train ({@link GloveTrainer}, {@code glove}).
 *
 * <pre>{@code
 * SentenceSource corpus = TextCorpus.wikiExtractor(file, TextOptions.defaults().withLowercase(true));
 * GloveResult result = Glove.train(corpus, GloveOptions.demo().withThreads(2), GloveListener.NONE);
 * VectorFiles.write(result.vectors(), Path.of("vectors.txt"), VectorFormat.GLOVE_TEXT);
 * }</pre>
 *
 * <p>Each line of the corpus is a context boundary, as for the C tools (a line longer than the corpus's
 * maximum sentence length is cut there, which the C tools do not do). The stages' files (vocab.txt in
 * {@code vocab_count}'s format, cooccurrence.bin and cooccurrence.shuf.bin in the C tools' binary format,
 * checkpoint.safetensors) go to the work directory: kept there when one is given, so that a later run
 * with {@code resume} skips the stages already done and continues training from the last checkpoint;
 * otherwise in a temporary directory deleted at the end.
 */
public final class Glove {
    static final String VOCABULARY_FILE = "vocab.txt";
    static final String COOCCURRENCE_FILE = "cooccurrence.bin";
    static final String SHUFFLED_FILE = "cooccurrence.shuf.bin";
    static final String CHECKPOINT_FILE = "checkpoint.safetensors";
    static final String RUN_FILE = "run.properties";

    private Glove() {}

    /** Runs every stage on {@code corpus} (read once, when no finished stage can be reused). */
    public static GloveResult train(SentenceSource corpus, GloveOptions options, GloveListener listener) {
        long start = System.nanoTime();
        if (options.tempDirectory() != null) {
            createDirectory(options.tempDirectory());
        }
        boolean temporary = options.workDirectory() == null;
        Path work = temporary ? createTempDirectory(options.tempDirectory()) : createDirectory(options.workDirectory());
        try {
            return run(corpus, options, listener, work, start);
        } finally {
            if (temporary) {
                AtomicFiles.deleteRecursively(work);
            }
        }
    }

    private static GloveResult run(SentenceSource corpus, GloveOptions options, GloveListener listener, Path work,
                                   long start) {
        Path vocabularyFile = work.resolve(VOCABULARY_FILE);
        Path cooccurrenceFile = work.resolve(COOCCURRENCE_FILE);
        Path shuffledFile = work.resolve(SHUFFLED_FILE);
        Path checkpointFile = work.resolve(CHECKPOINT_FILE);
        Map<String, Double> stageSeconds = new LinkedHashMap<>();
        Properties settings = settings(corpus, options);
        boolean resume = options.resume();
        if (resume) {
            checkSameSettings(work.resolve(RUN_FILE), settings);
        } else {
            // A fresh run: files of an earlier one must not be mistaken for this run's.
            for (String name : List.of(VOCABULARY_FILE, COOCCURRENCE_FILE, SHUFFLED_FILE, CHECKPOINT_FILE)) {
                AtomicFiles.deleteRecursively(work.resolve(name));
            }
        }
        writeSettings(work.resolve(RUN_FILE), settings);

        boolean haveShuffled = resume && Files.isRegularFile(shuffledFile);
        boolean haveCooccurrences = haveShuffled || resume && Files.isRegularFile(cooccurrenceFile);
        Vocabulary vocabulary = resume && Files.isRegularFile(vocabularyFile) ? readVocabulary(vocabularyFile) : null;

        if (!haveCooccurrences) {
            long stage = System.nanoTime();
            EncodedCorpus encoded = vocabulary != null
                    ? EncodedCorpus.encode(corpus, vocabulary, EncodedCorpus.Storage.TEMP_FILE, options.tempDirectory(),
                    options.showProgress())
                    : EncodedCorpus.encode(corpus, options.minCount(), options.maxVocab(), EncodedCorpus.Storage.TEMP_FILE,
                    options.tempDirectory(), options.showProgress());
            try (encoded) {
                if (vocabulary == null) {
                    vocabulary = encoded.vocabulary();
                    writeVocabulary(vocabulary, vocabularyFile);
                }
                finish("vocabulary", stage, stageSeconds, listener);
                stage = System.nanoTime();
                CooccurrenceCounter.count(visitor -> encoded.forEachSentence(visitor::sentence), vocabulary.size(),
                        encoded.tokens(), options.cooccurrenceOptions(), cooccurrenceFile, options.showProgress());
                finish("cooccurrence", stage, stageSeconds, listener);
            }
        } else if (vocabulary == null) {
            throw new GlossaException("work directory " + work + " has co-occurrences but no " + VOCABULARY_FILE
                    + ": cannot resume");
        }
        if (!haveShuffled) {
            long stage = System.nanoTime();
            CooccurrenceShuffler.shuffle(cooccurrenceFile, shuffledFile, options.seed(), options.memoryBytes(),
                    options.tempDirectory(), options.showProgress());
            finish("shuffle", stage, stageSeconds, listener);
        }

        long stage = System.nanoTime();
        List<IterationReport> reports = new ArrayList<>();
        GloveListener collecting = new GloveListener() {
            @Override
            public void iterationFinished(IterationReport report) {
                reports.add(report);
                listener.iterationFinished(report);
            }
        };
        TrainingOptions training = options.trainingOptions().withCheckpoints(options.checkpointEvery(),
                options.checkpointEvery() > 0 ? checkpointFile : null);
        GloveParameters parameters = resume && Files.isRegularFile(checkpointFile)
                ? GloveTrainer.resume(checkpointFile, shuffledFile, training, collecting)
                : GloveTrainer.train(shuffledFile, vocabulary.size(), training, collecting);
        if (parameters.vocabularySize() != vocabulary.size()) {
            throw new GlossaException("checkpoint " + checkpointFile + " has " + parameters.vocabularySize()
                    + " words, " + vocabularyFile + " has " + vocabulary.size());
        }
        finish("training", stage, stageSeconds, listener);
        KeyedVectors vectors = parameters.toKeyedVectors(vocabulary.words(), vocabulary.counts(), options.outputMode(),
                options.unkVector());
        return new GloveResult(vectors, vocabulary, parameters, reports, CooccurrenceFile.records(shuffledFile),
                stageSeconds, (System.nanoTime() - start) / 1e9);
    }

    private static void finish(String name, long stageStart, Map<String, Double> stageSeconds, GloveListener listener) {
        double seconds = (System.nanoTime() - stageStart) / 1e9;
        stageSeconds.put(name, seconds);
        listener.stageFinished(name, seconds);
    }

    /** The settings that decide what the stages' files contain; a resumed run must share them. */
    private static Properties settings(SentenceSource corpus, GloveOptions options) {
        Properties settings = new Properties();
        settings.setProperty("corpus", corpus.description());
        settings.setProperty("min-count", Integer.toString(options.minCount()));
        settings.setProperty("max-vocab", Integer.toString(options.maxVocab()));
        settings.setProperty("window-size", Integer.toString(options.windowSize()));
        settings.setProperty("symmetric", Boolean.toString(options.symmetric()));
        settings.setProperty("distance-weighting", Boolean.toString(options.distanceWeighting()));
        settings.setProperty("seed", Long.toString(options.seed()));
        settings.setProperty("vector-size", Integer.toString(options.vectorSize()));
        return settings;
    }

    private static void checkSameSettings(Path file, Properties settings) {
        if (!Files.isRegularFile(file)) {
            return; // nothing to resume: every stage runs
        }
        Properties earlier = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            earlier.load(in);
        } catch (IOException e) {
            throw new GlossaException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
        for (String key : settings.stringPropertyNames()) {
            String before = earlier.getProperty(key);
            String now = settings.getProperty(key);
            if (!now.equals(before)) {
                throw new GlossaException("cannot resume the GloVe run in " + file.getParent() + ": it was made with "
                        + key + " " + before + ", this run asks for " + now);
            }
        }
    }

    private static void writeSettings(Path file, Properties settings) {
        AtomicFiles.write(file, temporary -> {
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                settings.store(out, "settings of a Glossa GloVe run (checked when resuming)");
            }
        });
    }

    /** Writes the vocabulary as vocab_count does: "word count" per line, most frequent first. */
    static void writeVocabulary(Vocabulary vocabulary, Path file) {
        AtomicFiles.write(file, temporary -> {
            try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                for (int id = 0; id < vocabulary.size(); id++) {
                    out.write(vocabulary.word(id));
                    out.write(' ');
                    out.write(Long.toString(vocabulary.count(id)));
                    out.write('\n');
                }
            }
        });
    }

    /** Reads a vocabulary in vocab_count's format ("word count" per line). */
    static Vocabulary readVocabulary(Path file) {
        List<String> words = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                int space = line.lastIndexOf(' ');
                try {
                    if (space <= 0) {
                        throw new NumberFormatException();
                    }
                    counts.add(Long.parseLong(line.substring(space + 1)));
                } catch (NumberFormatException e) {
                    throw new GlossaException(file + " line " + number + ": expected \"word count\", got \"" + line + "\"");
                }
                words.add(line.substring(0, space));
            }
        } catch (IOException e) {
            throw new GlossaException("cannot read vocabulary " + file + ": " + AtomicFiles.describe(e), e);
        }
        if (words.isEmpty()) {
            throw new GlossaException("vocabulary file " + file + " is empty");
        }
        return Vocabulary.of(words, counts.stream().mapToLong(Long::longValue).toArray());
    }

    private static Path createTempDirectory(Path parent) {
        try {
            return parent == null ? Files.createTempDirectory("glossa-glove-")
                    : Files.createTempDirectory(Files.createDirectories(parent), "glossa-glove-");
        } catch (IOException e) {
            throw new GlossaException("cannot create a temporary directory for GloVe: " + AtomicFiles.describe(e), e);
        }
    }

    private static Path createDirectory(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new GlossaException("cannot create directory " + directory + ": " + AtomicFiles.describe(e), e);
        }
    }
}
