package org.glossa.tasks.charlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.glossa.models.charrnn.CharRnn;
import org.glossa.models.charrnn.CharRnnConfig;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Tensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny character model trained through {@link TextgenTraining} (the shared trainer, stateful batches) on
 * a short repetitive text until it knows it by heart; then generation, evaluation, save/load and errors.
 */
@Tag("model")
class TextgenModelTest {
    static final String LINE = "the quick brown fox jumps over the lazy dog; ";
    static final String TEXT = LINE.repeat(14);

    @TempDir static Path shared;
    static Path runDir;
    static TextgenTraining.Result trained;
    static CharLanguageModel model;

    static TextgenTraining.Options tinyOptions(Path corpus) {
        return TextgenTraining.Options.defaults(corpus).with(java.util.Map.of(
                "embedding_size", 16, "hidden_size", 64, "seq_length", 20, "batch_size", 4,
                "max_steps", 150, "learning_rate", 0.02, "warmup_steps", 0, "eval_every", 0, "save_every", 0,
                "patience", 0));
    }

    @BeforeAll
    static void train() throws Exception {
        Path corpus = shared.resolve("fox.txt");
        Files.writeString(corpus, TEXT);
        runDir = shared.resolve("run");
        List<String> log = new ArrayList<>();
        trained = TextgenTraining.train(tinyOptions(corpus), runDir, false, log::add);
        log.forEach(System.out::println); // what glossa textgen train prints, for the test report
        model = CharLanguageModel.load(runDir);
    }

    @Test
    void aTinyModelLearnsAShortTextByHeart() {
        assertTrue(trained.training().lastLoss() < 0.05, "training loss " + trained.training().lastLoss());
        // The validation part is the end of the same repetitive text: near-certain too.
        assertTrue(trained.validation().natsPerCharacter() < 0.05, "validation " + trained.validation());
        assertEquals(trained.validation().natsPerToken(), trained.validation().natsPerCharacter(), 1e-12);
        assertEquals(Math.exp(trained.validation().natsPerToken()), trained.validation().perplexity(), 1e-12);
        // Greedy decoding from the first words reproduces the text.
        String prime = "the quick";
        int length = 3 * LINE.length();
        String expected = TEXT.substring(prime.length(), prime.length() + length);
        assertEquals(expected, new TextGenerator(model).generate(prime, length, Sampling.greedy(), null));
        for (String file : List.of("config.json", "model.safetensors", "vocab.json", "textgen.json", "metrics.jsonl")) {
            assertTrue(Files.isRegularFile(runDir.resolve(file)), file + " missing from the run directory");
        }
    }

    @Test
    void temperatureTowardsZeroEqualsGreedyDecoding() {
        TextGenerator generator = new TextGenerator(model);
        String prime = "over the";
        String greedy = generator.generate(prime, 120, Sampling.greedy(), null);
        for (long seed = 0; seed < 4; seed++) {
            assertEquals(greedy, generator.generate(prime, 120, Sampling.of(seed).withTemperature(1e-3), null), "seed " + seed);
            assertEquals(greedy, generator.generate(prime, 120, Sampling.of(seed).withTopK(1).withTemperature(5), null));
        }
        // And it is arg-max decoding: each character is the most likely one after everything before it.
        String text = prime + greedy;
        int[] ids = model.vocabulary().encode(text, "text");
        try (NativeScope scope = new NativeScope()) {
            float[] logits = Tensors.noGrad(() -> Tensors.toFloats(model.model().forward(
                    Tensors.fromLongs(java.util.Arrays.stream(ids).asLongStream().toArray(), 1, ids.length), null).logits()));
            int vocab = model.vocabulary().size();
            for (int position = prime.length() - 1; position < ids.length - 1; position++) {
                float[] row = java.util.Arrays.copyOfRange(logits, position * vocab, (position + 1) * vocab);
                assertEquals(Sampling.argmax(row), ids[position + 1], "position " + position);
            }
        }
    }

    @Test
    void seededSamplingRepeatsAndStreams() {
        TextGenerator generator = new TextGenerator(model);
        Sampling hot = Sampling.of(7).withTemperature(2.5);
        StringBuilder streamed = new StringBuilder();
        List<String> pieces = new ArrayList<>();
        String first = generator.generate("the", 200, hot, piece -> {
            streamed.append(piece);
            pieces.add(piece);
        });
        assertEquals(first, streamed.toString());
        assertEquals(200, pieces.size(), "one callback per generated character");
        assertEquals(first, generator.generate("the", 200, hot, null));
        assertNotEquals(first, generator.generate("the", 200, hot.withSeed(8), null));
        // At temperature 2.5 the model is unsure enough to leave the memorised text somewhere.
        assertNotEquals(TEXT.substring(3, 203), first);
    }

    @Test
    void windowedEvaluationEqualsOnePassOverTheText() {
        // Evaluating in windows of 7 with the state carried gives the loss of one forward pass over the whole text.
        String text = TEXT.substring(5, 300);
        int[] ids = model.vocabulary().encode(text, "text");
        CharLanguageModel.Evaluation windowed = model.evaluate(ids, 1, 7);
        double whole;
        try (NativeScope scope = new NativeScope()) {
            long[] inputs = java.util.Arrays.stream(ids, 0, ids.length - 1).asLongStream().toArray();
            long[] targets = java.util.Arrays.stream(ids, 1, ids.length).asLongStream().toArray();
            whole = Tensors.noGrad(() -> {
                Tensor logits = model.model().forward(Tensors.fromLongs(inputs, 1, inputs.length), null).logits();
                return torch.cross_entropy(logits.reshape(-1, model.vocabulary().size()),
                        Tensors.fromLongs(targets, targets.length)).item_double();
            });
        }
        assertEquals(ids.length - 1, windowed.tokens());
        assertEquals(whole, windowed.natsPerToken(), 1e-5);
        // Two streams: the text is cut in halves, each predicted from its own start.
        CharLanguageModel.Evaluation twoStreams = model.evaluate(ids, 2, 7);
        assertEquals((ids.length - 1) / 2 * 2, twoStreams.tokens());
    }

    @Test
    void saveThenLoadGivesIdenticalLogitsAndText() throws Exception {
        Path copy = shared.resolve("copy");
        model.save(copy);
        CharLanguageModel loaded = CharLanguageModel.load(copy);
        assertEquals(model.vocabulary(), loaded.vocabulary());
        long[] ids = {1, 2, 3, 4, 5, 6, 7, 8};
        try (NativeScope scope = new NativeScope()) {
            float[] before = Tensors.noGrad(() -> Tensors.toFloats(model.model().forward(Tensors.fromLongs(ids, 2, 4), null).logits()));
            float[] after = Tensors.noGrad(() -> Tensors.toFloats(loaded.model().forward(Tensors.fromLongs(ids, 2, 4), null).logits()));
            assertArrayEquals(before, after);
        }
        Sampling sampling = Sampling.of(3).withTopP(0.9).withTemperature(1.5);
        assertEquals(new TextGenerator(model).generate("lazy", 80, sampling, null),
                new TextGenerator(loaded).generate("lazy", 80, sampling, null));
    }

    @Test
    void badPrimesAndIncompleteModelDirectoriesAreNamed() throws Exception {
        TextGenerator generator = new TextGenerator(model);
        GlossaException outside = assertThrows(GlossaException.class, () -> generator.generate("The Quick fox", 5, Sampling.greedy(), null));
        assertEquals("the prime text has characters outside the model's vocabulary: 'T', 'Q'", outside.getMessage());
        GlossaException empty = assertThrows(GlossaException.class, () -> generator.generate("", 5, Sampling.greedy(), null));
        assertTrue(empty.getMessage().contains("prime text is empty"), empty.getMessage());

        Path partial = shared.resolve("partial");
        model.save(partial);
        Files.delete(partial.resolve("vocab.json"));
        Files.delete(partial.resolve("model.safetensors"));
        GlossaException missing = assertThrows(GlossaException.class, () -> CharLanguageModel.load(partial));
        assertEquals(partial + ": not a complete text-generation model, missing model.safetensors, vocab.json", missing.getMessage());
        GlossaException nowhere = assertThrows(GlossaException.class, () -> CharLanguageModel.load(shared.resolve("nope")));
        assertTrue(nowhere.getMessage().endsWith("nope: no such model directory"), nowhere.getMessage());

        // A vocabulary that does not match the weights.
        Path mismatched = shared.resolve("mismatched");
        model.save(mismatched);
        Vocabulary.build("abc", Vocabulary.Level.CHAR, 0).save(mismatched);
        GlossaException sizes = assertThrows(GlossaException.class, () -> CharLanguageModel.load(mismatched));
        assertTrue(sizes.getMessage().contains("vocab_size " + model.vocabulary().size() + " but vocab.json holds 3 tokens"),
                sizes.getMessage());
    }

    @Test
    void theWordLevelVariantRoundTripsThroughItsVocabulary() {
        Vocabulary words = Vocabulary.build(TEXT, Vocabulary.Level.WORD, 0);
        torch.manual_seed(1);
        CharLanguageModel wordModel = new CharLanguageModel(new CharRnn.Model(CharRnnConfig.tiny(words.size(), "lstm")), words);
        List<String> pieces = new ArrayList<>();
        String out = new TextGenerator(wordModel).generate("the lazy dog", 12, Sampling.of(1), pieces::add);
        assertEquals(12, pieces.size());
        assertTrue(words.tokens().containsAll(pieces), pieces.toString());
        assertEquals(String.join("", pieces), out);
        CharLanguageModel.Evaluation evaluation = wordModel.evaluate(words.encode(TEXT, "text"), 2, 5);
        // Per character the loss is smaller than per word: each word token spells several characters.
        assertTrue(evaluation.characters() > evaluation.tokens());
        assertEquals(evaluation.nats() / evaluation.characters(), evaluation.natsPerCharacter(), 1e-12);
    }
}
