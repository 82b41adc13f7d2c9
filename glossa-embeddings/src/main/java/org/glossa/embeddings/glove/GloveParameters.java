package org.glossa.embeddings.glove;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glossa.core.GlossaException;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.SafeTensorsFile;
import org.glossa.core.safetensors.TensorData;
import org.glossa.embeddings.KeyedVectors;

/**
 * The state of a GloVe model being trained: word vectors w with biases b, context vectors w̃ with biases b̃,
 * and the AdaGrad sums of squared gradients of all of them (glove.c's {@code W} and {@code gradsq}).
 * Each word's row holds its vectorSize values followed by its bias, as in glove.c. Training threads write
 * the arrays without locks (Hogwild); read the vectors only once training has returned.
 *
 * <p>A checkpoint is a safetensors file with the four (V, vectorSize + 1) float32 tensors {@code word},
 * {@code context}, {@code word_gradsq} and {@code context_gradsq}, and the number of iterations done in
 * its metadata.
 */
public final class GloveParameters {
    static final String FORMAT = "glossa-glove-checkpoint";

    final int vocabularySize;
    final int vectorSize;
    final float[] word;          // (V, D + 1): w and b
    final float[] context;       // (V, D + 1): w̃ and b̃
    final float[] wordGradsq;    // (V, D + 1)
    final float[] contextGradsq; // (V, D + 1)
    int iterationsDone;
    long records;                // records of the training file, to check a resumed run reads the same file

    private GloveParameters(int vocabularySize, int vectorSize, float[] word, float[] context, float[] wordGradsq,
                            float[] contextGradsq) {
        this.vocabularySize = vocabularySize;
        this.vectorSize = vectorSize;
        this.word = word;
        this.context = context;
        this.wordGradsq = wordGradsq;
        this.contextGradsq = contextGradsq;
    }

    /**
     * Fresh parameters as glove.c draws them: every value (biases too) uniform in [-0.5, 0.5) / vectorSize,
     * word rows first, then context rows; every squared-gradient sum 1, so the first steps use the full
     * learning rate.
     */
    static GloveParameters initial(int vocabularySize, int vectorSize, long seed) {
        long size = (long) vocabularySize * (vectorSize + 1);
        if (size > Integer.MAX_VALUE - 16) {
            throw new GlossaException(vocabularySize + " words × " + (vectorSize + 1)
                    + " values do not fit in one Java array; use a smaller vocabulary or vector size");
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] word = new float[(int) size];
        float[] context = new float[(int) size];
        for (float[] values : List.of(word, context)) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() - 0.5) / vectorSize);
            }
        }
        float[] wordGradsq = new float[(int) size];
        float[] contextGradsq = new float[(int) size];
        Arrays.fill(wordGradsq, 1f);
        Arrays.fill(contextGradsq, 1f);
        return new GloveParameters(vocabularySize, vectorSize, word, context, wordGradsq, contextGradsq);
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    public int vectorSize() {
        return vectorSize;
    }

    /** Training iterations these parameters have been through. */
    public int iterationsDone() {
        return iterationsDone;
    }

    /** A copy of the word vector w of {@code id} (without bias). */
    public float[] wordVector(int id) {
        return Arrays.copyOfRange(word, id * (vectorSize + 1), id * (vectorSize + 1) + vectorSize);
    }

    /** A copy of the context vector w̃ of {@code id} (without bias). */
    public float[] contextVector(int id) {
        return Arrays.copyOfRange(context, id * (vectorSize + 1), id * (vectorSize + 1) + vectorSize);
    }

    public float wordBias(int id) {
        return word[id * (vectorSize + 1) + vectorSize];
    }

    public float contextBias(int id) {
        return context[id * (vectorSize + 1) + vectorSize];
    }

    /**
     * The vectors of {@code mode} as {@link KeyedVectors}.
     *
     * @param words     the vocabulary's words, by id ({@link #vocabularySize()} of them)
     * @param counts    their corpus counts, or null
     * @param unkVector append "&lt;unk&gt;", the mean of the (up to) 100 rarest words' parameters, as glove.c does
     *                  by default ({@code use_unk_vec}) for words a user looks up that training never saw
     */
    public KeyedVectors toKeyedVectors(List<String> words, long[] counts, OutputMode mode, boolean unkVector) {
        if (words.size() != vocabularySize) {
            throw new GlossaException(words.size() + " words given for GloVe parameters of " + vocabularySize + " words");
        }
        int stride = vectorSize + 1;
        int dimension = mode.dimension(vectorSize);
        int rows = vocabularySize + (unkVector ? 1 : 0);
        float[] vectors = new float[Math.toIntExact((long) rows * dimension)];
        for (int id = 0; id < vocabularySize; id++) {
            writeRow(vectors, id * dimension, word, context, id * stride, mode);
        }
        List<String> names = new ArrayList<>(words);
        long[] allCounts = counts == null ? null : Arrays.copyOf(counts, rows);
        if (unkVector) {
            if (words.contains("<unk>")) {
                throw new GlossaException("the vocabulary has the word <unk>, which names GloVe's unknown-word vector:"
                        + " drop the <unk> vector or rename the token in the corpus");
            }
            // glove.c: each of the rarest words' values divided by their number, then summed.
            int rare = Math.min(100, vocabularySize);
            float[] unkWord = new float[stride];
            float[] unkContext = new float[stride];
            for (int id = vocabularySize - rare; id < vocabularySize; id++) {
                for (int b = 0; b < stride; b++) {
                    unkWord[b] += word[id * stride + b] / rare;
                    unkContext[b] += context[id * stride + b] / rare;
                }
            }
            writeRow(vectors, vocabularySize * dimension, unkWord, unkContext, 0, mode);
            names.add("<unk>");
        }
        return KeyedVectors.adopt(names, vectors, dimension, allCounts);
    }

    private void writeRow(float[] out, int at, float[] w, float[] c, int from, OutputMode mode) {
        int d = vectorSize;
        switch (mode) {
            case ALL -> {
                System.arraycopy(w, from, out, at, d + 1);
                System.arraycopy(c, from, out, at + d + 1, d + 1);
            }
            case WORD -> System.arraycopy(w, from, out, at, d);
            case WORD_PLUS_CONTEXT -> {
                for (int b = 0; b < d; b++) {
                    out[at + b] = w[from + b] + c[from + b];
                }
            }
            case WORD_AND_CONTEXT -> {
                System.arraycopy(w, from, out, at, d);
                System.arraycopy(c, from, out, at + d, d);
            }
        }
    }

    /** Writes a checkpoint (atomically: a reader never sees half of one). */
    public void saveCheckpoint(Path file) {
        long[] shape = {vocabularySize, vectorSize + 1};
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("word", TensorData.ofFloats(word, shape));
        tensors.put("context", TensorData.ofFloats(context, shape));
        tensors.put("word_gradsq", TensorData.ofFloats(wordGradsq, shape));
        tensors.put("context_gradsq", TensorData.ofFloats(contextGradsq, shape));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("iterations_done", Integer.toString(iterationsDone));
        metadata.put("vocabulary_size", Integer.toString(vocabularySize));
        metadata.put("vector_size", Integer.toString(vectorSize));
        metadata.put("records", Long.toString(records));
        SafeTensors.write(file, tensors, metadata);
    }

    /** Reads a checkpoint written by {@link #saveCheckpoint}. */
    public static GloveParameters loadCheckpoint(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new GlossaException("GloVe checkpoint " + file + " does not exist");
        }
        try (SafeTensorsFile in = SafeTensors.open(file)) {
            Map<String, String> metadata = in.metadata();
            if (!FORMAT.equals(metadata.get("format"))) {
                throw new GlossaException(file + " is not a GloVe checkpoint (its metadata has no format "
                        + FORMAT + ")");
            }
            int vocabularySize = intField(file, metadata, "vocabulary_size");
            int vectorSize = intField(file, metadata, "vector_size");
            float[][] arrays = new float[4][];
            String[] names = {"word", "context", "word_gradsq", "context_gradsq"};
            for (int i = 0; i < names.length; i++) {
                TensorData tensor = in.get(names[i]);
                long[] shape = tensor.shape();
                if (shape.length != 2 || shape[0] != vocabularySize || shape[1] != vectorSize + 1) {
                    throw new GlossaException(file + ": tensor '" + names[i] + "' has shape " + Arrays.toString(shape)
                            + ", expected [" + vocabularySize + ", " + (vectorSize + 1) + "]");
                }
                arrays[i] = tensor.toFloats();
            }
            GloveParameters parameters = new GloveParameters(vocabularySize, vectorSize, arrays[0], arrays[1],
                    arrays[2], arrays[3]);
            parameters.iterationsDone = intField(file, metadata, "iterations_done");
            parameters.records = metadata.containsKey("records") ? longField(file, metadata, "records") : -1;
            return parameters;
        }
    }

    private static int intField(Path file, Map<String, String> metadata, String name) {
        return Math.toIntExact(longField(file, metadata, name));
    }

    private static long longField(Path file, Map<String, String> metadata, String name) {
        String value = metadata.get(name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new GlossaException(file + ": checkpoint metadata '" + name + "' is "
                    + (value == null ? "missing" : "not a number: " + value));
        }
    }
}
