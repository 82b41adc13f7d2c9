package org.glossa.tasks.charlm;

import java.util.Random;
import java.util.function.Consumer;
import org.bytedeco.pytorch.Tensor;
import org.glossa.core.GlossaException;
import org.glossa.models.charrnn.CharRnn;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;

/**
 * Writes text with a {@link CharLanguageModel}: the prime text runs through the model once, then each new
 * token is picked by the {@link Sampling} rule and fed back, one at a time, with the recurrent state
 * carried along. Each token is handed to a callback as soon as it exists (streaming output).
 */
public final class TextGenerator {
    private final CharLanguageModel languageModel;

    public TextGenerator(CharLanguageModel languageModel) {
        this.languageModel = languageModel;
    }

    /**
     * Continues {@code prime} by {@code length} tokens (characters, or words and punctuation at word level).
     *
     * @param sink receives the text of each new token as it is generated; may be null
     * @return the generated continuation (without the prime)
     * @throws GlossaException when the prime is empty or holds tokens outside the vocabulary (named)
     */
    public String generate(String prime, int length, Sampling sampling, Consumer<String> sink) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        if (prime == null || prime.isEmpty()) {
            throw new GlossaException("the prime text is empty: generation needs at least one token to start from");
        }
        Vocabulary vocabulary = languageModel.vocabulary();
        CharRnn.Model model = languageModel.model();
        int[] primeIds = vocabulary.encode(prime, "the prime text");
        Random random = new Random(sampling.seed());
        StringBuilder out = new StringBuilder();
        boolean wasTraining = model.isTraining();
        model.train(false);
        try (CarriedState state = new CarriedState()) {
            long[] input = new long[primeIds.length];
            for (int i = 0; i < input.length; i++) {
                input[i] = primeIds[i];
            }
            for (int step = 0; step < length; step++) {
                long[] ids = input;
                float[] logits = Tensors.inference(() -> {
                    try (NativeScope scope = new NativeScope()) {
                        CharRnn.Output result = model.forward(Tensors.fromLongs(ids, 1, ids.length), state.get());
                        state.set(result.state());
                        Tensor last = result.logits().select(1, ids.length - 1); // (1, V): the logits after the last token
                        return Tensors.toFloats(last);
                    }
                });
                int next = sampling.pick(logits, random);
                String token = vocabulary.token(next);
                out.append(token);
                if (sink != null) {
                    sink.accept(token);
                }
                input = new long[] {next};
            }
        } finally {
            model.train(wasTraining);
        }
        return out.toString();
    }
}
