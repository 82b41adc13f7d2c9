package org.glossa.tasks.translate;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.bytedeco.pytorch.Tensor;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.models.seq2seq.Decoding;
import org.glossa.models.seq2seq.EncoderDecoder;
import org.glossa.models.seq2seq.RnnAttention;
import org.glossa.models.seq2seq.RnnAttentionConfig;
import org.glossa.models.seq2seq.SpecialTokens;
import org.glossa.models.transformer.Transformer;
import org.glossa.models.transformer.TransformerConfig;
import org.glossa.nn.Engine;
import org.glossa.nn.Module;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.glossa.text.HfTokenizer;
import org.glossa.text.train.SubwordTokenizer;

/**
 * A translation model of either architecture together with its two subword vocabularies: what a model directory
 * holds, and what training, {@code glossa translate run}, {@code eval} and {@code attention} work with.
 *
 * <p><b>The directory</b>: {@code config.json} (its {@code model_type} names the architecture:
 * {@value TransformerConfig#MODEL_TYPE} or {@value RnnAttentionConfig#MODEL_TYPE}), {@code model.safetensors},
 * {@code source/tokenizer.json} and {@code target/tokenizer.json} (the same file twice when one vocabulary serves
 * both languages), as {@link SubwordVocabularies#write} lays them out.
 *
 * <p><b>Token conventions</b>, the same for both architectures: a source sentence is its subword tokens followed by
 * [EOS] (Marian's convention; the encoder sees where the sentence ends); the decoder reads [BOS] and the target's
 * tokens, and predicts the target's tokens followed by [EOS]; [PAD] fills both sides of a batch.
 */
public final class TranslationModel {
    /** The two model families, by the names the command line uses. */
    public enum Architecture {
        RNN_ATTENTION("rnn-attention", RnnAttentionConfig.MODEL_TYPE),
        TRANSFORMER("transformer", TransformerConfig.MODEL_TYPE);

        private final String key;
        private final String modelType;

        Architecture(String key, String modelType) {
            this.key = key;
            this.modelType = modelType;
        }

        /** "rnn-attention" or "transformer". */
        public String key() {
            return key;
        }

        public static Architecture parse(String key) {
            for (Architecture architecture : values()) {
                if (architecture.key.equals(key)) {
                    return architecture;
                }
            }
            throw new GlossaException("architecture '" + key + "' is not one of " + keys());
        }

        static List<String> keys() {
            return Arrays.stream(values()).map(Architecture::key).toList();
        }

        /** The architecture a model directory's {@code config.json} declares; anything else is a one-line error. */
        public static Architecture ofDirectory(Path modelDir) {
            JsonNode config = HfConfig.read(modelDir);
            String type = config.path("model_type").asText("");
            for (Architecture architecture : values()) {
                if (architecture.modelType.equals(type)) {
                    return architecture;
                }
            }
            throw new GlossaException(modelDir.resolve(HfConfig.FILE_NAME) + ": model_type is "
                    + (type.isEmpty() ? "missing" : "'" + type + "'") + ", not a translation model ("
                    + TransformerConfig.MODEL_TYPE + " or " + RnnAttentionConfig.MODEL_TYPE + ")");
        }
    }

    /** A training pair as ids: the source with its [EOS], the target's tokens without special tokens. */
    public record EncodedPair(long[] source, long[] target) {
        /** The longer side as the model sees it (the target gains [BOS] or [EOS]): what batches are grouped by. */
        public int length() {
            return Math.max(source.length, target.length + 1);
        }
    }

    /**
     * A padded batch.
     *
     * @param source int64 (B, S): source tokens and [EOS], then [PAD]
     * @param targetInput int64 (B, T): [BOS] and the target's tokens, then [PAD]
     * @param targetOutput int64 (B, T): the target's tokens and [EOS], then [PAD]
     * @param tokens the real (non-padding) tokens of both sides, for the throughput figure
     * @param targetTokens the real tokens of {@code targetOutput}: the positions the loss averages over
     */
    public record Batch(Tensor source, Tensor targetInput, Tensor targetOutput, long tokens, long targetTokens) {}

    /**
     * Cross-attention of one translated sentence.
     *
     * @param sourceTokens the source tokens as the model read them ([EOS] last), one column each
     * @param targetTokens the generated tokens and [EOS], one row each
     * @param weights [layer][head][target][source]: for the Transformer every decoder layer and head, for the RNN
     *     one layer with one head (its single attention); each row sums to 1
     * @param translation the greedy translation, detokenised
     */
    public record Attention(List<String> sourceTokens, List<String> targetTokens, double[][][][] weights,
                            String translation) {}

    public static final String SOURCE_DIRECTORY = "source";
    public static final String TARGET_DIRECTORY = "target";
    /** Source sentences per batch when translating (greedy; beam search divides it by the beam size). */
    public static final int DEFAULT_BATCH_SIZE = 64;

    private final Architecture architecture;
    private final Module module;
    private final EncoderDecoder seq2seq;
    private final HfTokenizer sourceTokenizer;
    private final HfTokenizer targetTokenizer;
    private final SpecialTokens special;
    private final long sourceEos;

    private TranslationModel(Architecture architecture, Module module, EncoderDecoder seq2seq, HfTokenizer source,
                             HfTokenizer target, String where) {
        this.architecture = architecture;
        this.module = module;
        this.seq2seq = seq2seq;
        this.sourceTokenizer = source;
        this.targetTokenizer = target;
        this.special = seq2seq.specialTokens();
        this.sourceEos = source.tokenId(SubwordTokenizer.EOS);
        checkAgreement(where);
    }

    /** A Transformer with its vocabularies. */
    public static TranslationModel of(Transformer.Model model, HfTokenizer source, HfTokenizer target, String where) {
        return new TranslationModel(Architecture.TRANSFORMER, model, model, source, target, where);
    }

    /** An RNN with attention with its vocabularies. */
    public static TranslationModel of(RnnAttention.Model model, HfTokenizer source, HfTokenizer target, String where) {
        return new TranslationModel(Architecture.RNN_ATTENTION, model, model, source, target, where);
    }

    /** The config's special ids and vocabulary sizes must be the tokenizers': a mismatch would translate garbage. */
    private void checkAgreement(String where) {
        long sourcePad = sourceTokenizer.tokenId(SubwordTokenizer.PAD);
        long targetPad = targetTokenizer.tokenId(SubwordTokenizer.PAD);
        long bos = targetTokenizer.tokenId(SubwordTokenizer.BOS);
        long eos = targetTokenizer.tokenId(SubwordTokenizer.EOS);
        if (special.pad() != sourcePad || special.pad() != targetPad || special.decoderStart() != bos || special.eos() != eos) {
            throw new GlossaException(where + ": the config's pad/start/end ids " + special.pad() + "/" + special.decoderStart()
                    + "/" + special.eos() + " are not the tokenizers' [PAD] " + sourcePad + "/" + targetPad + ", [BOS] " + bos
                    + ", [EOS] " + eos);
        }
        int[] sizes = vocabularySizes();
        if (sizes[0] != sourceTokenizer.vocabSize() || sizes[1] != targetTokenizer.vocabSize()) {
            throw new GlossaException(where + ": the config's vocabularies have " + sizes[0] + " (source) and " + sizes[1]
                    + " (target) tokens, the tokenizers " + sourceTokenizer.vocabSize() + " and " + targetTokenizer.vocabSize());
        }
    }

    private int[] vocabularySizes() {
        return switch (architecture) {
            case TRANSFORMER -> {
                TransformerConfig config = ((Transformer.Model) module).config;
                yield new int[] {config.vocabSize(), config.decoderVocabSize()};
            }
            case RNN_ATTENTION -> {
                RnnAttentionConfig config = ((RnnAttention.Model) module).config;
                yield new int[] {config.sourceVocabSize(), config.targetVocabSize()};
            }
        };
    }

    /** Loads a model directory (see the class comment), in evaluation mode. */
    public static TranslationModel load(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new GlossaException(modelDir + ": no such model directory");
        }
        Architecture architecture = Architecture.ofDirectory(modelDir);
        HfTokenizer source = loadTokenizer(modelDir, SOURCE_DIRECTORY);
        HfTokenizer target = loadTokenizer(modelDir, TARGET_DIRECTORY);
        Engine.init();
        String where = modelDir.toString();
        return switch (architecture) {
            case TRANSFORMER -> of(Transformer.Model.load(modelDir), source, target, where);
            case RNN_ATTENTION -> of(RnnAttention.Model.load(modelDir), source, target, where);
        };
    }

    /** {@code directory/side/tokenizer.json}, with a one-line error when it is missing. */
    public static HfTokenizer loadTokenizer(Path directory, String side) {
        Path file = directory.resolve(side).resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new GlossaException(directory + ": no " + side + "/tokenizer.json (a translation model directory holds"
                    + " its source and target vocabularies)");
        }
        return HfTokenizer.load(file);
    }

    /** Writes {@code config.json} and {@code model.safetensors} into {@code modelDir} (the tokenizers are written apart). */
    public void save(Path modelDir) {
        switch (architecture) {
            case TRANSFORMER -> ((Transformer.Model) module).save(modelDir);
            case RNN_ATTENTION -> ((RnnAttention.Model) module).save(modelDir);
        }
    }

    /** Writes the model's {@code config.json} only (what a checkpoint needs beside the trainer's weights). */
    public void writeConfig(Path modelDir) {
        switch (architecture) {
            case TRANSFORMER -> ((Transformer.Model) module).config.write(modelDir);
            case RNN_ATTENTION -> ((RnnAttention.Model) module).config.write(modelDir);
        }
    }

    public Architecture architecture() {
        return architecture;
    }

    /** The model's parameters, for the trainer and the optimizer. */
    public Module module() {
        return module;
    }

    public HfTokenizer sourceTokenizer() {
        return sourceTokenizer;
    }

    public HfTokenizer targetTokenizer() {
        return targetTokenizer;
    }

    /** The config record ({@link TransformerConfig} or {@link RnnAttentionConfig}). */
    public Record config() {
        return switch (architecture) {
            case TRANSFORMER -> ((Transformer.Model) module).config;
            case RNN_ATTENTION -> ((RnnAttention.Model) module).config;
        };
    }

    /**
     * The most tokens a side may have, special token included: the Transformer's {@code max_position_embeddings};
     * the RNN has no limit of its own.
     */
    public int maxLength() {
        return architecture == Architecture.TRANSFORMER ? ((Transformer.Model) module).config.maxPositionEmbeddings()
                : Integer.MAX_VALUE;
    }

    /** One line about the model, e.g. "transformer: 3+3 layers of 256, 8 heads, FFN 1024; vocabularies 8000 shared". */
    public String describe() {
        String vocabularies = sharedVocabulary() ? sourceTokenizer.vocabSize() + " shared"
                : sourceTokenizer.vocabSize() + " source, " + targetTokenizer.vocabSize() + " target";
        String shape = switch (architecture) {
            case TRANSFORMER -> {
                TransformerConfig c = ((Transformer.Model) module).config;
                yield String.format(Locale.ROOT, "%d+%d layers of %d, %d heads, FFN %d, %s", c.encoderLayers(), c.decoderLayers(),
                        c.dModel(), c.encoderAttentionHeads(), c.encoderFfnDim(), c.preLayerNorm() ? "pre-LN" : "post-LN");
            }
            case RNN_ATTENTION -> {
                RnnAttentionConfig c = ((RnnAttention.Model) module).config;
                yield String.format(Locale.ROOT, "bidirectional GRU %d×%d×2, GRU decoder %d, %s attention, embeddings %d",
                        c.encoderLayers(), c.encoderHiddenSize(), c.decoderHiddenSize(), c.attention(), c.embeddingSize());
            }
        };
        return String.format(Locale.ROOT, "%s: %s; %,d parameters; vocabularies %s", architecture.key(), shape,
                module.parameterCount(), vocabularies);
    }

    /** Whether one vocabulary serves both languages (the two tokenizer files are the same). */
    public boolean sharedVocabulary() {
        try {
            return Arrays.equals(Files.readAllBytes(sourceTokenizer.file()), Files.readAllBytes(targetTokenizer.file()));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ encoding

    /**
     * A source sentence as the encoder reads it: its tokens and [EOS]. Longer than {@link #maxLength} is an error
     * naming {@code where} (e.g. "stdin:3").
     */
    public long[] encodeSource(String sentence, String where) {
        long[] tokens = sourceTokenizer.encode(sentence, false).ids();
        long[] ids = Arrays.copyOf(tokens, tokens.length + 1);
        ids[tokens.length] = sourceEos;
        if (ids.length > maxLength()) {
            throw new GlossaException(where + ": " + ids.length + " source tokens (with [EOS]), more than the " + maxLength()
                    + " this model takes (max_position_embeddings); split the sentence");
        }
        return ids;
    }

    /** A target sentence's tokens, without special tokens. */
    public long[] encodeTarget(String sentence) {
        return targetTokenizer.encode(sentence, false).ids();
    }

    /** A pair as ids (no length check: {@link #fits} decides what training keeps). */
    public EncodedPair encode(SentencePair pair) {
        long[] tokens = sourceTokenizer.encode(pair.source(), false).ids();
        long[] source = Arrays.copyOf(tokens, tokens.length + 1);
        source[tokens.length] = sourceEos;
        return new EncodedPair(source, encodeTarget(pair.target()));
    }

    /** Whether both sides of the pair fit in {@code maxLength} tokens (and the model's own limit). */
    public boolean fits(EncodedPair pair, int maxLength) {
        return pair.length() <= Math.min(maxLength, maxLength());
    }

    /** Generated target ids back to text, special tokens left out. */
    public String decode(long[] targetIds) {
        return targetTokenizer.decode(targetIds, true);
    }

    /**
     * Pads pairs into a batch (call inside a native scope: the tensors belong to it).
     */
    public Batch collate(List<EncodedPair> pairs) {
        int rows = pairs.size();
        int sourceLength = pairs.stream().mapToInt(p -> p.source().length).max().orElse(0);
        int targetLength = pairs.stream().mapToInt(p -> p.target().length + 1).max().orElse(0);
        long[] source = new long[rows * sourceLength];
        long[] input = new long[rows * targetLength];
        long[] output = new long[rows * targetLength];
        Arrays.fill(source, special.pad());
        Arrays.fill(input, special.pad());
        Arrays.fill(output, special.pad());
        long tokens = 0;
        long targetTokens = 0;
        for (int r = 0; r < rows; r++) {
            EncodedPair pair = pairs.get(r);
            System.arraycopy(pair.source(), 0, source, r * sourceLength, pair.source().length);
            long[] target = pair.target();
            input[r * targetLength] = special.decoderStart();
            System.arraycopy(target, 0, input, r * targetLength + 1, target.length);
            System.arraycopy(target, 0, output, r * targetLength, target.length);
            output[r * targetLength + target.length] = special.eos();
            tokens += pair.source().length + target.length + 1;
            targetTokens += target.length + 1;
        }
        return new Batch(Tensors.fromLongs(source, rows, sourceLength), Tensors.fromLongs(input, rows, targetLength),
                Tensors.fromLongs(output, rows, targetLength), tokens, targetTokens);
    }

    // ------------------------------------------------------------------ the model

    /** Teacher forcing: the label-smoothed cross-entropy per target token of a batch, a scalar with its graph. */
    public Tensor loss(Batch batch, double labelSmoothing) {
        return switch (architecture) {
            case TRANSFORMER -> ((Transformer.Model) module).loss(batch.source(), batch.targetInput(), batch.targetOutput(),
                    labelSmoothing);
            case RNN_ATTENTION -> ((RnnAttention.Model) module).loss(batch.source(), batch.targetInput(), batch.targetOutput(),
                    labelSmoothing);
        };
    }

    /**
     * Translates sentences, {@code batchSize} at a time in order of length (little padding), with greedy search
     * ({@code beamSize} 1) or beam search with GNMT's length penalty α. Run with the model in evaluation mode.
     * An empty sentence translates to an empty sentence. {@code where} names the input in errors ("stdin" gives
     * "stdin:3").
     */
    public List<String> translate(List<String> sentences, int beamSize, double alpha, int batchSize, String where) {
        List<long[]> hypotheses = translateIds(sentences, beamSize, alpha, batchSize, where);
        List<String> out = new ArrayList<>(hypotheses.size());
        for (long[] ids : hypotheses) {
            out.add(ids == null ? "" : decode(ids));
        }
        return out;
    }

    /** As {@link #translate}, the generated ids (null for an empty sentence). */
    public List<long[]> translateIds(List<String> sentences, int beamSize, double alpha, int batchSize, String where) {
        if (batchSize < 1) {
            throw new GlossaException("batch size must be positive, got " + batchSize);
        }
        long[][] sources = new long[sentences.size()][];
        for (int i = 0; i < sources.length; i++) {
            String sentence = sentences.get(i);
            sources[i] = sentence.isBlank() ? null : encodeSource(sentence, where + ":" + (i + 1));
        }
        Integer[] order = new Integer[sources.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Longest first, so that the first batch shows at once whether memory suffices.
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> sources[i] == null ? 0 : sources[i].length).reversed());
        int rowsPerBatch = Math.max(1, beamSize > 1 ? batchSize / beamSize : batchSize);
        List<long[]> out = new ArrayList<>(java.util.Collections.nCopies(sources.length, (long[]) null));
        List<Integer> pending = new ArrayList<>();
        for (Integer i : order) {
            if (sources[i] == null) {
                continue;
            }
            pending.add(i);
            if (pending.size() == rowsPerBatch) {
                decodeBatch(pending, sources, beamSize, alpha, out);
                pending.clear();
            }
        }
        if (!pending.isEmpty()) {
            decodeBatch(pending, sources, beamSize, alpha, out);
        }
        return out;
    }

    /** The longest translation allowed for a source of {@code sourceLength} tokens: twice as long plus 10. */
    static int maxOutputLength(int sourceLength) {
        return 2 * sourceLength + 10;
    }

    private void decodeBatch(List<Integer> rows, long[][] sources, int beamSize, double alpha, List<long[]> out) {
        try (NativeScope scope = new NativeScope()) {
            Tensor ids = padSources(rows.stream().map(i -> sources[i]).toList());
            int maxOutput = maxOutputLength(Math.toIntExact(ids.size(1)));
            if (beamSize <= 1) {
                List<Decoding.Hypothesis> best = Decoding.greedy(seq2seq, ids, maxOutput);
                for (int r = 0; r < rows.size(); r++) {
                    out.set(rows.get(r), best.get(r).tokens());
                }
            } else {
                List<List<Decoding.Hypothesis>> beams = Decoding.beam(seq2seq, ids,
                        new Decoding.Options(beamSize, alpha, maxOutput));
                for (int r = 0; r < rows.size(); r++) {
                    List<Decoding.Hypothesis> finished = beams.get(r);
                    out.set(rows.get(r), finished.isEmpty() ? new long[0] : finished.get(0).tokens());
                }
            }
        }
    }

    /** Source id arrays → int64 (B, S) padded with [PAD]. */
    private Tensor padSources(List<long[]> sources) {
        int length = sources.stream().mapToInt(s -> s.length).max().orElse(1);
        long[] flat = new long[sources.size() * length];
        Arrays.fill(flat, special.pad());
        for (int r = 0; r < sources.size(); r++) {
            System.arraycopy(sources.get(r), 0, flat, r * length, sources.get(r).length);
        }
        return Tensors.fromLongs(flat, sources.size(), length);
    }

    /**
     * Translates one sentence greedily and returns the cross-attention that produced it: the decoder fed its own
     * output (teacher forcing on the greedy tokens recomputes exactly the attention of the search).
     */
    public Attention attention(String sentence) {
        if (sentence.isBlank()) {
            throw new GlossaException("the text to translate is empty");
        }
        long[] source = encodeSource(sentence, "the text");
        long[] generated = translateIds(List.of(sentence), 1, 0, 1, "the text").get(0);
        long[] input = new long[generated.length + 1];
        input[0] = special.decoderStart();
        System.arraycopy(generated, 0, input, 1, generated.length);
        double[][][][] weights;
        try (NativeScope scope = new NativeScope()) {
            Tensor sourceIds = Tensors.fromLongs(source, 1, source.length);
            Tensor inputIds = Tensors.fromLongs(input, 1, input.length);
            List<Tensor> layers = Tensors.noGrad(() -> switch (architecture) {
                case TRANSFORMER -> ((Transformer.Model) module).forward(sourceIds, inputIds, true).crossAttentions(); // (1, H, T, S) each
                case RNN_ATTENTION -> List.of(((RnnAttention.Model) module).forward(sourceIds, inputIds, true).attention()
                        .unsqueeze(1)); // (1, 1, T, S)
            });
            weights = new double[layers.size()][][][];
            for (int l = 0; l < layers.size(); l++) {
                weights[l] = toArray(layers.get(l).select(0, 0)); // (H, T, S)
            }
        }
        // The pieces as the vocabulary writes them (▁ marks a word's start), so that the picture shows the segmentation.
        List<String> sourceVocabulary = tokenStrings(sourceTokenizer);
        List<String> targetVocabulary = tokenStrings(targetTokenizer);
        List<String> sourceTokens = new ArrayList<>();
        for (long id : source) {
            sourceTokens.add(sourceVocabulary.get(Math.toIntExact(id)));
        }
        List<String> targetTokens = new ArrayList<>();
        for (long id : generated) {
            targetTokens.add(targetVocabulary.get(Math.toIntExact(id)));
        }
        targetTokens.add(SubwordTokenizer.EOS);
        return new Attention(sourceTokens, targetTokens, weights, decode(generated));
    }

    /** Token strings by id, from the {@code model.vocab} of the tokenizer's file (HF's tokenizer has no id → token call). */
    private static List<String> tokenStrings(HfTokenizer tokenizer) {
        JsonNode vocab = HfConfig.read(tokenizer.file()).path("model").path("vocab");
        String[] tokens = new String[tokenizer.vocabSize()];
        vocab.fields().forEachRemaining(entry -> {
            int id = entry.getValue().asInt(-1);
            if (id >= 0 && id < tokens.length) {
                tokens[id] = entry.getKey();
            }
        });
        List<String> out = new ArrayList<>(tokens.length);
        for (int id = 0; id < tokens.length; id++) {
            out.add(tokens[id] != null ? tokens[id] : tokenizer.decode(new long[] {id}, false));
        }
        return out;
    }

    /** (H, T, S) → [H][T][S] */
    private static double[][][] toArray(Tensor weights) {
        int heads = Math.toIntExact(weights.size(0));
        int rows = Math.toIntExact(weights.size(1));
        int columns = Math.toIntExact(weights.size(2));
        float[] flat = Tensors.toFloats(weights);
        double[][][] out = new double[heads][rows][columns];
        for (int h = 0; h < heads; h++) {
            for (int t = 0; t < rows; t++) {
                for (int s = 0; s < columns; s++) {
                    out[h][t][s] = flat[(h * rows + t) * columns + s];
                }
            }
        }
        return out;
    }
}
