package org.glossa.tasks.charlm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.glossa.core.GlossaException;
import org.glossa.core.HfConfig;
import org.glossa.models.charrnn.CharRnn;
import org.glossa.models.charrnn.CharRnnConfig;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.glossa.nn.train.TrainStep;

/**
 * A {@link CharRnn} with its {@link Vocabulary}: what {@code glossa textgen} trains, saves, evaluates and
 * samples from. A model directory holds {@code config.json}, {@code model.safetensors} and {@code vocab.json}.
 */
public final class CharLanguageModel {
    /** The files a model directory must hold. */
    public static final List<String> FILES = List.of(HfConfig.FILE_NAME, "model.safetensors", Vocabulary.FILE_NAME);

    private final CharRnn.Model model;
    private final Vocabulary vocabulary;

    public CharLanguageModel(CharRnn.Model model, Vocabulary vocabulary) {
        if (model.config.vocabSize() != vocabulary.size()) {
            throw new IllegalArgumentException("the model predicts " + model.config.vocabSize() + " tokens but the vocabulary has "
                    + vocabulary.size());
        }
        this.model = model;
        this.vocabulary = vocabulary;
    }

    public CharRnn.Model model() {
        return model;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Loads a model directory, naming every missing file at once and any disagreement between the files. */
    public static CharLanguageModel load(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new GlossaException(modelDir + ": no such model directory");
        }
        List<String> missing = new ArrayList<>();
        for (String file : FILES) {
            if (!Files.isRegularFile(modelDir.resolve(file))) {
                missing.add(file);
            }
        }
        if (!missing.isEmpty()) {
            throw new GlossaException(modelDir + ": not a complete text-generation model, missing " + String.join(", ", missing));
        }
        Vocabulary vocabulary = Vocabulary.load(modelDir);
        CharRnn.Model model = CharRnn.Model.load(modelDir);
        if (model.config.vocabSize() != vocabulary.size()) {
            throw new GlossaException(modelDir + ": config.json says vocab_size " + model.config.vocabSize() + " but "
                    + Vocabulary.FILE_NAME + " holds " + vocabulary.size() + " tokens");
        }
        return new CharLanguageModel(model, vocabulary);
    }

    /** Writes the three files into {@code modelDir} (each atomically); other files there are left alone. */
    public void save(Path modelDir) {
        model.save(modelDir);
        vocabulary.save(modelDir);
    }

    /** Writes {@code config.json} and {@code vocab.json}: what a training checkpoint needs besides the weights. */
    public void writeConfig(Path modelDir) {
        model.config.write(modelDir);
        vocabulary.save(modelDir);
    }

    // ------------------------------------------------------------------ evaluation

    /**
     * The model's loss on a text, in nats.
     *
     * @param tokens tokens predicted (each from all the tokens before it in its stream)
     * @param characters characters those tokens spell (equal to {@code tokens} at character level)
     * @param nats the summed negative log-likelihood
     */
    public record Evaluation(long tokens, long characters, double nats) {
        public double natsPerToken() {
            return nats / tokens;
        }

        public double natsPerCharacter() {
            return nats / characters;
        }

        public double bitsPerCharacter() {
            return natsPerCharacter() / Math.log(2);
        }

        /** exp(nats per token): the per-character perplexity at character level. */
        public double perplexity() {
            return Math.exp(natsPerToken());
        }

        /** The metrics the trainer logs, with {@code prefix} (e.g. {@code val_}). */
        public Map<String, Double> metrics(String prefix) {
            return Map.of(prefix + "loss", natsPerToken(), prefix + "perplexity", perplexity(),
                    prefix + "nats_per_char", natsPerCharacter());
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d tokens, %.4f nats/token, perplexity %.3f, %.4f nats/char (%.4f bits/char)",
                    tokens, natsPerToken(), perplexity(), natsPerCharacter(), bitsPerCharacter());
        }
    }

    /**
     * The loss on {@code ids}, read as up to {@code streams} parallel streams in windows of {@code window}
     * tokens with the state carried from window to window (so every token is predicted from all of its
     * stream before it; the window only bounds memory). The last {@code (n − 1) mod streams} tokens are
     * left out so the streams are equally long. Runs without gradients, in evaluation mode, and restores
     * the model's mode.
     */
    public Evaluation evaluate(int[] ids, int streams, int window) {
        if (ids.length < 2) {
            throw new GlossaException("the evaluation text has " + ids.length + " tokens: at least 2 are needed");
        }
        int rows = Math.max(1, Math.min(streams, (ids.length - 1) / window));
        int length = (ids.length - 1) / rows; // predicted tokens per stream
        boolean wasTraining = model.isTraining();
        model.train(false);
        double nats = 0;
        long characters = 0;
        try (CarriedState state = new CarriedState()) {
            for (int start = 0; start < length; start += window) {
                int width = Math.min(window, length - start);
                long[] inputs = new long[rows * width];
                long[] targets = new long[rows * width];
                for (int b = 0; b < rows; b++) {
                    int offset = b * length + start;
                    for (int i = 0; i < width; i++) {
                        inputs[b * width + i] = ids[offset + i];
                        targets[b * width + i] = ids[offset + i + 1];
                        characters += vocabulary.token(ids[offset + i + 1]).codePointCount(0,
                                vocabulary.token(ids[offset + i + 1]).length());
                    }
                }
                try (NativeScope scope = new NativeScope()) {
                    nats += Tensors.noGrad(() -> {
                        CharRnn.Output out = model.forward(Tensors.fromLongs(inputs, rows, width), state.get());
                        state.set(out.state());
                        Tensor logits = out.logits().to(ScalarType.Float).reshape(-1, model.config.vocabSize());
                        return torch.cross_entropy(logits, Tensors.fromLongs(targets, (long) rows * width)).item_double()
                                * rows * width;
                    });
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation((long) rows * length, characters, nats);
    }

    // ------------------------------------------------------------------ training

    /** The stateful training step: cross-entropy of the next token, the state carried from batch to batch. */
    public TrainStep<StatefulBatches.Batch> trainStep() {
        return new StatefulStep();
    }

    private final class StatefulStep implements TrainStep<StatefulBatches.Batch> {
        private final CarriedState state = new CarriedState();

        @Override
        public Tensor loss(StatefulBatches.Batch batch) {
            if (batch.startsEpoch()) {
                state.reset();
            }
            long rows = batch.streams();
            long width = batch.window();
            CharRnn.Output out = model.forward(Tensors.fromLongs(batch.inputs(), rows, width), state.get());
            // The next batch continues each stream from here; back-propagation stops at the batch border.
            state.set(floatState(out.state()));
            Tensor logits = out.logits().reshape(-1, model.config.vocabSize()); // (B·T, V)
            return torch.cross_entropy(logits, Tensors.fromLongs(batch.targets(), rows * width));
        }

        @Override
        public Map<String, Tensor> carriedState() {
            return state.get() == null ? Map.of() : state.get().named();
        }

        @Override
        public void restoreCarriedState(Map<String, Tensor> saved) {
            Tensor h = saved.get("h");
            Tensor c = saved.get("c");
            CharRnnConfig config = model.config;
            if (h == null || (c != null) != config.isLstm() || h.dim() != 3 || h.size(0) != config.numLayers()
                    || h.size(2) != config.hiddenSize() || (c != null && !Arrays.equals(Tensors.shape(c), Tensors.shape(h)))) {
                throw new GlossaException("the checkpoint's recurrent state " + describe(saved) + " does not fit a "
                        + config.cellType() + " of " + config.numLayers() + " layers of " + config.hiddenSize() + " units");
            }
            state.set(new CharRnn.State(h, c));
        }

        private String describe(Map<String, Tensor> saved) {
            StringBuilder out = new StringBuilder();
            saved.forEach((name, tensor) -> out.append(out.length() == 0 ? "" : ", ").append(name)
                    .append(Arrays.toString(Tensors.shape(tensor))));
            return out.length() == 0 ? "(none)" : out.toString();
        }
    }

    /** Under bf16 autocast the state may come out in bf16; carry it in fp32 like the weights. */
    private static CharRnn.State floatState(CharRnn.State state) {
        return new CharRnn.State(state.h().to(ScalarType.Float), state.c() == null ? null : state.c().to(ScalarType.Float));
    }
}
