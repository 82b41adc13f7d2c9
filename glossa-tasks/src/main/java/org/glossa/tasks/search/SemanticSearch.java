package org.glossa.tasks.search;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.glossa.core.GlossaException;
import org.glossa.core.GlossaHome;
import org.glossa.core.Progress;
import org.glossa.models.bert.SentenceEmbedder;

/**
 * Semantic search over a small in-memory corpus: every text is embedded once into a unit-length
 * vector; a query is embedded the same way and the texts are ranked by cosine similarity, which for
 * unit vectors is their dot product.
 *
 * <p>Instances are immutable and thread-safe as long as the query embedder is.
 */
public final class SemanticSearch {
    /** Name of the bundled corpus on the classpath, beside this class. */
    private static final String BUNDLED_SAMPLE = "wiki-sample.txt";

    /** One search result: the position of the text in the indexed corpus, the text, and its cosine score. */
    public record Hit(int index, String text, double score) {}

    private final List<String> texts;
    private final float[][] vectors; // (N, D), unit rows
    private final Function<String, float[]> queryEmbedder;

    /** Package-private so that tests can rank hand-made vectors without a model. */
    SemanticSearch(List<String> texts, float[][] vectors, Function<String, float[]> queryEmbedder) {
        if (texts.size() != vectors.length) {
            throw new IllegalArgumentException(texts.size() + " texts but " + vectors.length + " vectors");
        }
        this.texts = List.copyOf(texts);
        this.vectors = vectors;
        this.queryEmbedder = queryEmbedder;
    }

    /**
     * Embeds every text with {@code embedder} (batched by the embedder) and keeps the vectors. With
     * {@code showProgress}, a progress bar with texts/s and the time left is drawn on standard error.
     * The returned index uses {@code embedder} for queries, so it must stay open while searching.
     */
    public static SemanticSearch index(SentenceEmbedder embedder, List<String> texts, boolean showProgress) {
        return index(embedder, texts, showProgress, null);
    }

    /** Where the commands keep corpus vectors: {@code $GLOSSA_HOME/cache/embeddings}. */
    public static Path defaultCacheDir() {
        return GlossaHome.dir().resolve("cache").resolve("embeddings");
    }

    /**
     * As {@link #index(SentenceEmbedder, List, boolean)}, keeping the corpus vectors in {@code cacheDir}
     * (when not null): a later index of the same texts with the same model files and settings reads them
     * back instead of embedding again. A damaged cache file is ignored and rewritten.
     */
    public static SemanticSearch index(SentenceEmbedder embedder, List<String> texts, boolean showProgress, Path cacheDir) {
        if (texts.isEmpty()) {
            throw new GlossaException("nothing to index: the corpus is empty");
        }
        float[][] vectors;
        if (cacheDir == null || embedder.fingerprint() == null) {
            vectors = embed(embedder, texts, showProgress);
        } else {
            Path file = cacheDir.resolve(EmbeddingCache.key(embedder.fingerprint(), texts) + ".f32");
            vectors = EmbeddingCache.read(file, texts.size(), embedder.dimension());
            if (vectors == null) {
                vectors = embed(embedder, texts, showProgress);
                EmbeddingCache.write(file, vectors);
            }
        }
        return new SemanticSearch(texts, vectors, query -> embedder.embed(List.of(query))[0]);
    }

    /** Unit-length embeddings of {@code texts}, in order; optionally with a progress bar (texts/s, time left) on standard error. */
    public static float[][] embed(SentenceEmbedder embedder, List<String> texts, boolean showProgress) {
        if (!showProgress) {
            return embedder.embed(texts);
        }
        try (Progress progress = Progress.start("embedding", texts.size(), "texts")) {
            return embedder.embed(texts, progress::advance); // the embedder reports each finished batch's size
        }
    }

    /** Number of indexed texts. */
    public int size() {
        return texts.size();
    }

    /** The {@code topK} texts most similar to {@code query}, best first; equal scores keep corpus order. */
    public List<Hit> search(String query, int topK) {
        if (topK < 1) {
            throw new GlossaException("top-k must be at least 1, got " + topK);
        }
        float[] queryVector = queryEmbedder.apply(query); // (D)
        double[] scores = new double[texts.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = dot(queryVector, vectors[i]);
        }
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                .limit(topK)
                .map(i -> new Hit(i, texts.get(i), scores[i]))
                .toList();
    }

    private static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("query vector has " + a.length + " dimensions, the index " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /**
     * Reads a corpus: one text per line, UTF-8, blank lines skipped, surrounding whitespace removed.
     *
     * @throws GlossaException naming the file when it is missing, unreadable, not UTF-8 (with the line), or empty
     */
    public static List<String> readCorpus(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new GlossaException(file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new GlossaException(file + ": permission denied", e);
        } catch (IOException e) {
            throw new GlossaException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<String> texts = splitLines(bytes, file.toString());
        if (texts.isEmpty()) {
            throw new GlossaException(file + ": corpus is empty");
        }
        return texts;
    }

    /**
     * Reads texts from a stream as {@link #readCorpus(Path)} does, naming the stream {@code source} in
     * errors; an empty list when it holds no text.
     */
    public static List<String> readTexts(InputStream in, String source) {
        try {
            return splitLines(in.readAllBytes(), source);
        } catch (IOException e) {
            throw new GlossaException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The bundled sample corpus: a few hundred English Wikipedia paragraphs, "Title: paragraph" per text. */
    public static List<String> bundledSample() {
        try (InputStream in = SemanticSearch.class.getResourceAsStream(BUNDLED_SAMPLE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUNDLED_SAMPLE + " is missing from the classpath");
            }
            return readTexts(in, BUNDLED_SAMPLE);
        } catch (IOException e) {
            throw new GlossaException(BUNDLED_SAMPLE + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Splits UTF-8 bytes into non-blank stripped lines. Each line is decoded on its own so that an
     * invalid byte is reported with its line number.
     */
    private static List<String> splitLines(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int lineNumber = 1; start < bytes.length; lineNumber++) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            String line;
            try {
                line = decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
            } catch (CharacterCodingException e) {
                throw new GlossaException(source + ": line " + lineNumber + " is not valid UTF-8");
            }
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // a byte order mark some editors write
            }
            line = line.strip(); // also drops the \r of Windows line ends
            if (!line.isEmpty()) {
                lines.add(line);
            }
            start = end + 1;
        }
        return lines;
    }
}
