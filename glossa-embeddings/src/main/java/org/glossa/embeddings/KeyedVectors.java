package org.glossa.embeddings;

import org.glossa.core.GlossaException;
import org.glossa.embeddings.io.VectorFiles;
import org.glossa.embeddings.io.VectorFormat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Immutable word vectors: a vocabulary (most frequent first, as trainers and the C tool write them) and a
 * row-major matrix of {@code size() × dimension()} floats. Thread-safe.
 *
 * <p>Queries follow gensim's {@code KeyedVectors} (4.x): cosine similarity on unit-normalised vectors
 * (computed once, lazily), {@link #mostSimilar(List, List, int, int)} ranks by the cosine to the mean of
 * the query words' unit vectors (weights +1 and -1) and leaves the query words out, 3CosMul as Levy &amp;
 * Goldberg (2014) with cosines shifted to [0, 1], and a vocabulary restriction to the first rows. Top-n
 * search keeps a bounded heap per query; a batch of queries shares each pass over the matrix, which is
 * also split over threads for large vocabularies.
 */
public final class KeyedVectors {
    private final List<String> words;
    private final Map<String, Integer> index;
    private final float[] vectors; // (N, D) row-major
    private final int dimension;
    private final long[] counts; // corpus counts by row, or null when unknown
    private volatile float[] unitVectors; // (N, D) rows scaled to length 1 (zero rows stay zero); made on first use

    /** One answer of a similarity query. */
    public record Neighbor(String word, int row, double similarity) {}

    /** A query by rows: the rows whose unit vectors count positively and negatively. */
    public record RowQuery(int[] positive, int[] negative) {
        public RowQuery {
            if (positive.length + negative.length == 0) {
                throw new IllegalArgumentException("a query needs at least one row");
            }
        }
    }

    /**
     * @param words the vocabulary, row order; no duplicates
     * @param vectors row-major (words.size() × dimension), copied
     * @param dimension vector size
     * @param counts corpus frequency per word, or null
     */
    public KeyedVectors(List<String> words, float[] vectors, int dimension, long[] counts) {
        this(words, vectors.clone(), dimension, counts, true);
    }

    private KeyedVectors(List<String> words, float[] vectors, int dimension, long[] counts, boolean unused) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        if ((long) words.size() * dimension != vectors.length) {
            throw new IllegalArgumentException(words.size() + " words × " + dimension + " dimensions != "
                    + vectors.length + " floats");
        }
        if (counts != null && counts.length != words.size()) {
            throw new IllegalArgumentException(counts.length + " counts for " + words.size() + " words");
        }
        this.words = List.copyOf(words);
        this.index = new HashMap<>(Math.max(16, words.size() * 2));
        for (int i = 0; i < words.size(); i++) {
            if (index.put(words.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate word '" + words.get(i) + "'");
            }
        }
        this.vectors = vectors;
        this.dimension = dimension;
        this.counts = counts == null ? null : counts.clone();
    }

    /**
     * Like the constructor but without copying {@code vectors}: the array now belongs to the returned
     * object and the caller must not touch it again. Saves a copy of a large matrix (loaders, trainers).
     */
    public static KeyedVectors adopt(List<String> words, float[] vectors, int dimension, long[] counts) {
        return new KeyedVectors(words, vectors, dimension, counts, true);
    }

    /** Reads a word2vec text/binary or GloVe file, detecting its format (see {@link VectorFiles}). */
    public static KeyedVectors load(Path file) {
        return VectorFiles.read(file);
    }

    /** Writes these vectors in {@code format} (see {@link VectorFiles}). */
    public void save(Path file, VectorFormat format) {
        VectorFiles.write(this, file, format);
    }

    public int size() {
        return words.size();
    }

    public int dimension() {
        return dimension;
    }

    public List<String> words() {
        return words;
    }

    /** Row of {@code word}, or -1. */
    public int indexOf(String word) {
        Integer i = index.get(word);
        return i == null ? -1 : i;
    }

    public boolean contains(String word) {
        return index.containsKey(word);
    }

    /** A copy of the vector of row {@code i}. */
    public float[] vector(int i) {
        return Arrays.copyOfRange(vectors, i * dimension, (i + 1) * dimension);
    }

    /** A copy of the vector of {@code word}; an unknown word is an error that names it. */
    public float[] vector(String word) {
        return vector(rowOf(word));
    }

    /** Copies row {@code i} into {@code destination} at {@code offset} (no allocation; writers use it). */
    public void copyVector(int i, float[] destination, int offset) {
        System.arraycopy(vectors, i * dimension, destination, offset, dimension);
    }

    /** A copy of row {@code i} scaled to unit length (a zero vector stays zero). */
    public float[] unitVector(int i) {
        return Arrays.copyOfRange(unit(), i * dimension, (i + 1) * dimension);
    }

    /** Corpus count of row {@code i}, or -1 when unknown. */
    public long count(int i) {
        return counts == null ? -1 : counts[i];
    }

    /** Whether corpus counts are known. */
    public boolean hasCounts() {
        return counts != null;
    }

    /** Row of {@code word}; an unknown word is an error that names it. */
    public int rowOf(String word) {
        Integer i = index.get(word);
        if (i == null) {
            throw new GlossaException("word not in vocabulary: '" + word + "'");
        }
        return i;
    }

    /** Rows of {@code words}; unknown words are one error naming all of them. */
    public int[] rowsOf(List<String> words) {
        int[] rows = new int[words.size()];
        Set<String> unknown = new LinkedHashSet<>();
        for (int i = 0; i < rows.length; i++) {
            rows[i] = indexOf(words.get(i));
            if (rows[i] < 0) {
                unknown.add("'" + words.get(i) + "'");
            }
        }
        if (!unknown.isEmpty()) {
            throw new GlossaException((unknown.size() == 1 ? "word" : "words") + " not in vocabulary: "
                    + String.join(", ", unknown));
        }
        return rows;
    }

    // ---------------------------------------------------------------------------------------------
    // Similarity queries

    /** Cosine similarity of two words. */
    public double similarity(String a, String b) {
        return similarity(rowOf(a), rowOf(b));
    }

    /** Cosine similarity of two rows. */
    public double similarity(int a, int b) {
        float[] u = unit();
        return dot(u, a * dimension, u, b * dimension, dimension);
    }

    /** The {@code topN} nearest words to {@code word}, without it. */
    public List<Neighbor> mostSimilar(String word, int topN) {
        return mostSimilar(List.of(word), List.of(), topN, 0);
    }

    /**
     * gensim's {@code most_similar}: the words nearest (cosine) to the mean of the unit vectors of
     * {@code positive} (weight +1) and {@code negative} (weight -1), leaving out the query words.
     *
     * @param restrictVocab search only the first rows (the most frequent words); 0 or less: all
     */
    public List<Neighbor> mostSimilar(List<String> positive, List<String> negative, int topN, int restrictVocab) {
        RowQuery query = queryOf(positive, negative);
        return mostSimilar(List.of(query), topN, restrictVocab).get(0);
    }

    /** gensim's {@code similar_by_vector}: the words nearest (cosine) to {@code vector}, none left out. */
    public List<Neighbor> mostSimilar(float[] vector, int topN, int restrictVocab) {
        if (vector.length != dimension) {
            throw new GlossaException("query vector has " + vector.length + " values, the vectors have " + dimension);
        }
        float[] query = vector.clone();
        normalise(query, 0, dimension);
        return search(query, 1, null, null, topN, restrictVocab).get(0);
    }

    /**
     * gensim's {@code most_similar_cosmul} (3CosMul of Levy &amp; Goldberg, "Linguistic Regularities in
     * Sparse and Explicit Word Representations", 2014, eq. 4 with footnote 7): each cosine is shifted to
     * [0, 1] as (1 + cos) / 2, and a word scores the product over {@code positive} divided by the product
     * over {@code negative} plus 1e-6. The query words are left out.
     */
    public List<Neighbor> mostSimilarCosMul(List<String> positive, List<String> negative, int topN,
                                            int restrictVocab) {
        if (positive.isEmpty()) {
            throw new GlossaException("3CosMul needs at least one positive word");
        }
        return mostSimilarCosMul(List.of(queryOf(positive, negative)), topN, restrictVocab).get(0);
    }

    /**
     * Many {@link #mostSimilar(List, List, int, int)} queries by rows at once: each pass over the matrix
     * serves a batch of queries (analogy evaluation uses this).
     */
    public List<List<Neighbor>> mostSimilar(List<RowQuery> queries, int topN, int restrictVocab) {
        int n = queries.size();
        float[] means = new float[n * dimension]; // (Q, D)
        int[][] excluded = new int[n][];
        float[] u = unit();
        for (int q = 0; q < n; q++) {
            RowQuery query = queries.get(q);
            // gensim: weighted mean of unit vectors, then unit length (the division by the weight sum
            // does not change the direction, so only the normalisation is done).
            for (int row : query.positive()) {
                addScaled(means, q * dimension, u, row * dimension, 1f);
            }
            for (int row : query.negative()) {
                addScaled(means, q * dimension, u, row * dimension, -1f);
            }
            normalise(means, q * dimension, dimension);
            excluded[q] = rowsOfQuery(query);
        }
        return search(means, n, excluded, null, topN, restrictVocab);
    }

    /** Many {@link #mostSimilarCosMul} queries by rows at once. */
    public List<List<Neighbor>> mostSimilarCosMul(List<RowQuery> queries, int topN, int restrictVocab) {
        int total = 0;
        for (RowQuery query : queries) {
            if (query.positive().length == 0) {
                throw new GlossaException("3CosMul needs at least one positive word");
            }
            total += query.positive().length + query.negative().length;
        }
        float[] terms = new float[total * dimension]; // every query word's unit vector, query after query
        int[][] layout = new int[queries.size()][]; // per query: first term, positive count, negative count
        int[][] excluded = new int[queries.size()][];
        float[] u = unit();
        int term = 0;
        for (int q = 0; q < queries.size(); q++) {
            RowQuery query = queries.get(q);
            layout[q] = new int[] {term, query.positive().length, query.negative().length};
            for (int row : query.positive()) {
                System.arraycopy(u, row * dimension, terms, term++ * dimension, dimension);
            }
            for (int row : query.negative()) {
                System.arraycopy(u, row * dimension, terms, term++ * dimension, dimension);
            }
            excluded[q] = rowsOfQuery(query);
        }
        return search(terms, total, excluded, layout, topN, restrictVocab);
    }

    /**
     * gensim's {@code doesnt_match}: the word least similar (cosine) to the normalised mean of the words'
     * unit vectors. Unknown words are an error here (gensim drops them with a warning).
     */
    public String doesntMatch(List<String> words) {
        if (words.isEmpty()) {
            throw new GlossaException("doesntMatch needs at least one word");
        }
        int[] rows = rowsOf(words);
        float[] u = unit();
        float[] mean = new float[dimension];
        for (int row : rows) {
            addScaled(mean, 0, u, row * dimension, 1f);
        }
        normalise(mean, 0, dimension);
        String worst = null;
        float worstScore = Float.POSITIVE_INFINITY;
        for (int i = 0; i < rows.length; i++) {
            float score = dot(u, rows[i] * dimension, mean, 0, dimension);
            // gensim sorts (score, word) pairs and takes the last of the descending order: the lowest
            // score, and among equal scores the smallest word.
            if (score < worstScore || (score == worstScore && words.get(i).compareTo(worst) < 0)) {
                worst = words.get(i);
                worstScore = score;
            }
        }
        return worst;
    }

    private RowQuery queryOf(List<String> positive, List<String> negative) {
        if (positive.isEmpty() && negative.isEmpty()) {
            throw new GlossaException("a similarity query needs at least one word");
        }
        List<String> all = new ArrayList<>(positive);
        all.addAll(negative);
        int[] rows = rowsOf(all);
        return new RowQuery(Arrays.copyOfRange(rows, 0, positive.size()),
                Arrays.copyOfRange(rows, positive.size(), rows.length));
    }

    private static int[] rowsOfQuery(RowQuery query) {
        int[] rows = Arrays.copyOf(query.positive(), query.positive().length + query.negative().length);
        System.arraycopy(query.negative(), 0, rows, query.positive().length, query.negative().length);
        return rows;
    }

    // ---------------------------------------------------------------------------------------------
    // Search

    /** Query vectors per pass over the matrix. */
    private static final int BATCH_VECTORS = 128;

    /**
     * The top rows for each query. {@code vectors} holds {@code count} unit vectors (C, D). Without a
     * layout, vector q is query q and scores are cosines; with one, query q combines its terms by 3CosMul.
     */
    private List<List<Neighbor>> search(float[] vectors, int count, int[][] excluded, int[][] layout, int topN,
                                        int restrictVocab) {
        int limit = restrictVocab <= 0 ? size() : Math.min(restrictVocab, size());
        int queries = layout == null ? count : layout.length;
        List<List<Neighbor>> answers = new ArrayList<>(queries);
        if (topN <= 0) {
            for (int q = 0; q < queries; q++) {
                answers.add(List.of());
            }
            return answers;
        }
        // Batches of whole queries holding at most BATCH_VECTORS vectors (one query may hold more).
        int q = 0;
        while (q < queries) {
            int firstVector = layout == null ? q : layout[q][0];
            int end = q;
            int vectorsInBatch = 0;
            while (end < queries) {
                int size = layout == null ? 1 : layout[end][1] + layout[end][2];
                if (vectorsInBatch > 0 && vectorsInBatch + size > BATCH_VECTORS) {
                    break;
                }
                vectorsInBatch += size;
                end++;
            }
            Heap[] heaps = searchBatch(vectors, firstVector, vectorsInBatch, q, end, excluded, layout, topN, limit);
            for (int i = 0; i < heaps.length; i++) {
                answers.add(heaps[i].toNeighbors(words));
            }
            q = end;
        }
        return answers;
    }

    private Heap[] searchBatch(float[] vectors, int firstVector, int batch, int firstQuery, int endQuery,
                               int[][] excluded, int[][] layout, int topN, int limit) {
        int d = dimension;
        // (D, B): the batch transposed, one array per dimension, so that a matrix row meets all query
        // vectors in plain element-wise loops that the JIT turns into SIMD instructions.
        float[][] transposed = new float[d][batch];
        for (int v = 0; v < batch; v++) {
            for (int k = 0; k < d; k++) {
                transposed[k][v] = vectors[(firstVector + v) * d + k];
            }
        }
        int queries = endQuery - firstQuery;
        long work = (long) limit * d * batch;
        int parts = work < (1L << 22) ? 1
                : (int) Math.min(Math.max(1, limit / 64), 4L * Runtime.getRuntime().availableProcessors());
        float[] u = unit();
        Heap[][] partial = IntStream.range(0, parts).parallel().mapToObj(part -> {
            int from = (int) ((long) limit * part / parts);
            int to = (int) ((long) limit * (part + 1) / parts);
            Heap[] heaps = new Heap[queries];
            for (int i = 0; i < queries; i++) {
                heaps[i] = new Heap(topN);
            }
            if (batch == 1 && layout == null) {
                scanSingle(u, vectors, firstVector * d, from, to, heaps[0],
                        excluded == null ? null : excluded[firstQuery]);
            } else {
                scanBatch(u, transposed, batch, from, to, heaps, firstQuery, excluded, layout, firstVector);
            }
            return heaps;
        }).toArray(Heap[][]::new);
        Heap[] merged = partial[0];
        for (int p = 1; p < parts; p++) {
            for (int i = 0; i < queries; i++) {
                merged[i].addAll(partial[p][i]);
            }
        }
        return merged;
    }

    private void scanSingle(float[] u, float[] query, int queryOffset, int from, int to, Heap heap, int[] excluded) {
        int d = dimension;
        for (int row = from; row < to; row++) {
            float score = dot(u, row * d, query, queryOffset, d);
            if (heap.accepts(score, row) && !contains(excluded, row)) {
                heap.add(score, row);
            }
        }
    }

    private void scanBatch(float[] u, float[][] transposed, int batch, int from, int to, Heap[] heaps, int firstQuery,
                           int[][] excluded, int[][] layout, int firstVector) {
        int d = dimension;
        float[] dots = new float[batch]; // (B) this row's dot product with each query vector
        for (int row = from; row < to; row++) {
            Arrays.fill(dots, 0f);
            int base = row * d;
            int k = 0;
            for (; k + 3 < d; k += 4) { // four dimensions per pass: a quarter of the loads and stores of dots
                float u0 = u[base + k];
                float u1 = u[base + k + 1];
                float u2 = u[base + k + 2];
                float u3 = u[base + k + 3];
                float[] t0 = transposed[k];
                float[] t1 = transposed[k + 1];
                float[] t2 = transposed[k + 2];
                float[] t3 = transposed[k + 3];
                for (int v = 0; v < batch; v++) {
                    dots[v] += u0 * t0[v] + u1 * t1[v] + u2 * t2[v] + u3 * t3[v];
                }
            }
            for (; k < d; k++) {
                float u0 = u[base + k];
                float[] t0 = transposed[k];
                for (int v = 0; v < batch; v++) {
                    dots[v] += u0 * t0[v];
                }
            }
            for (int i = 0; i < heaps.length; i++) {
                int query = firstQuery + i;
                float score = layout == null ? dots[i]
                        : cosMul(dots, layout[query][0] - firstVector, layout[query][1], layout[query][2]);
                if (heaps[i].accepts(score, row) && (excluded == null || !contains(excluded[query], row))) {
                    heaps[i].add(score, row);
                }
            }
        }
    }

    /** 3CosMul from the cosines of one row with a query's positive then negative terms. */
    private static float cosMul(float[] dots, int at, int positives, int negatives) {
        float numerator = 1f;
        for (int i = 0; i < positives; i++) {
            numerator *= (1f + dots[at + i]) / 2f;
        }
        float denominator = 1f;
        for (int i = 0; i < negatives; i++) {
            denominator *= (1f + dots[at + positives + i]) / 2f;
        }
        return numerator / (denominator + 0.000001f);
    }

    private static boolean contains(int[] rows, int row) {
        if (rows != null) {
            for (int r : rows) {
                if (r == row) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The k best (score, row) pairs seen: a min-heap whose root is the worst kept; ties keep lower rows. */
    private static final class Heap {
        private final float[] scores;
        private final int[] rows;
        private int size;

        Heap(int capacity) {
            scores = new float[capacity];
            rows = new int[capacity];
        }

        /** Whether (score, row) would enter: the heap is not full, or it beats the worst kept. */
        boolean accepts(float score, int row) {
            return size < scores.length || better(score, row, scores[0], rows[0]);
        }

        private static boolean better(float s1, int r1, float s2, int r2) {
            return s1 > s2 || (s1 == s2 && r1 < r2);
        }

        void add(float score, int row) {
            if (size < scores.length) {
                int i = size++;
                while (i > 0) { // sift up
                    int parent = (i - 1) / 2;
                    if (!better(scores[parent], rows[parent], score, row)) {
                        break;
                    }
                    scores[i] = scores[parent];
                    rows[i] = rows[parent];
                    i = parent;
                }
                scores[i] = score;
                rows[i] = row;
            } else if (better(score, row, scores[0], rows[0])) {
                int i = 0;
                while (true) { // sift down from the root
                    int child = 2 * i + 1;
                    if (child >= size) {
                        break;
                    }
                    if (child + 1 < size && better(scores[child], rows[child], scores[child + 1], rows[child + 1])) {
                        child++;
                    }
                    if (!better(score, row, scores[child], rows[child])) {
                        break;
                    }
                    scores[i] = scores[child];
                    rows[i] = rows[child];
                    i = child;
                }
                scores[i] = score;
                rows[i] = row;
            }
        }

        void addAll(Heap other) {
            for (int i = 0; i < other.size; i++) {
                if (accepts(other.scores[i], other.rows[i])) {
                    add(other.scores[i], other.rows[i]);
                }
            }
        }

        /** Best first. */
        List<Neighbor> toNeighbors(List<String> words) {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> better(scores[a], rows[a], scores[b], rows[b]) ? -1
                    : better(scores[b], rows[b], scores[a], rows[a]) ? 1 : 0);
            List<Neighbor> result = new ArrayList<>(size);
            for (int i : order) {
                result.add(new Neighbor(words.get(rows[i]), rows[i], scores[i]));
            }
            return result;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Vector arithmetic

    /** The unit-normalised matrix, computed once on first use (double-checked locking on a volatile field). */
    private float[] unit() {
        float[] u = unitVectors;
        if (u == null) {
            synchronized (this) {
                u = unitVectors;
                if (u == null) {
                    u = vectors.clone();
                    for (int row = 0; row < size(); row++) {
                        normalise(u, row * dimension, dimension);
                    }
                    unitVectors = u;
                }
            }
        }
        return u;
    }

    /** Scales {@code v[from, from + n)} to unit length; a zero vector stays zero (as gensim's unitvec). */
    private static void normalise(float[] v, int from, int n) {
        double sum = 0;
        for (int i = from; i < from + n; i++) {
            sum += (double) v[i] * v[i];
        }
        if (sum > 0) {
            float norm = (float) Math.sqrt(sum);
            for (int i = from; i < from + n; i++) {
                v[i] /= norm;
            }
        }
    }

    /** {@code target[at, at + D) += weight × source[from, from + D)}. */
    private void addScaled(float[] target, int at, float[] source, int from, float weight) {
        for (int i = 0; i < dimension; i++) {
            target[at + i] += weight * source[from + i];
        }
    }

    /** A dot product with four running sums (independent additions pipeline; the JIT does not reorder floats). */
    private static float dot(float[] a, int aFrom, float[] b, int bFrom, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aFrom + i] * b[bFrom + i];
            s1 += a[aFrom + i + 1] * b[bFrom + i + 1];
            s2 += a[aFrom + i + 2] * b[bFrom + i + 2];
            s3 += a[aFrom + i + 3] * b[bFrom + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aFrom + i] * b[bFrom + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
