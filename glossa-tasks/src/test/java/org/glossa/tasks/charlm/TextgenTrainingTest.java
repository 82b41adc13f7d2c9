package org.glossa.tasks.charlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.glossa.core.AtomicFiles;
import org.glossa.core.GlossaException;
import org.glossa.nn.train.Checkpoints;
import org.glossa.tasks.TestFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs of {@link TextgenTraining}: exact resume with the recurrent state carried through the checkpoint, and bad input. */
@Tag("model")
class TextgenTrainingTest {
    @TempDir Path dir;

    private Path corpus(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** 2 layers with dropout, so resuming also needs the generator state; 6 batches per epoch. */
    private TextgenTraining.Options options(Path corpus) {
        return TextgenTraining.Options.defaults(corpus).with(Map.of(
                "embedding_size", 8, "hidden_size", 24, "num_layers", 2, "dropout", 0.2, "seq_length", 20, "batch_size", 4))
                .with(Map.of("max_steps", 10, "learning_rate", 0.01, "warmup_steps", 2, "eval_every", 4, "save_every", 4,
                        "patience", 0));
    }

    @Test
    void anInterruptedRunResumesToTheSameWeights() throws IOException {
        Path corpus = corpus("fox.txt", TextgenModelTest.TEXT);
        TextgenTraining.Options options = options(corpus);
        Path whole = dir.resolve("whole");
        TextgenTraining.train(options, whole, false, line -> {});
        // Checkpoints at 4, 8 and 10; the last two kept. Step 8 is batch 2 of epoch 1: mid-epoch, state carried.
        assertEquals(java.util.List.of(whole.resolve("checkpoint-8"), whole.resolve("checkpoint-10")), Checkpoints.list(whole));
        assertTrue(Files.isRegularFile(whole.resolve("checkpoint-8/training_state/carried_state.safetensors")));
        byte[] expected = Files.readAllBytes(whole.resolve("checkpoint-10/model.safetensors"));

        // The same run stopped after step 8: its directory as it was then.
        Path stopped = dir.resolve("stopped");
        TestFiles.copyTree(whole, stopped);
        AtomicFiles.deleteRecursively(stopped.resolve("checkpoint-10"));
        for (String file : CharLanguageModel.FILES) {
            Files.delete(stopped.resolve(file));
        }
        TextgenTraining.Result resumed = TextgenTraining.resume(stopped, TextgenTraining.savedOptions(stopped), false, line -> {});
        assertEquals(10, resumed.training().steps());
        assertArrayEquals(expected, Files.readAllBytes(stopped.resolve("checkpoint-10/model.safetensors")),
                "resumed weights differ from the uninterrupted run's");

        // Control: without the carried recurrent state the resumed run is not the same run.
        Path stateless = dir.resolve("stateless");
        TestFiles.copyTree(whole, stateless);
        AtomicFiles.deleteRecursively(stateless.resolve("checkpoint-10"));
        Files.delete(stateless.resolve("checkpoint-8/training_state/carried_state.safetensors"));
        TextgenTraining.resume(stateless.resolve("checkpoint-8"), TextgenTraining.savedOptions(stateless), false, line -> {});
        assertFalse(Arrays.equals(expected, Files.readAllBytes(stateless.resolve("checkpoint-10/model.safetensors"))),
                "the carried state made no difference: the test cannot tell whether it is restored");
    }

    @Test
    void resumeRefusesAnIncompatibleRun() throws IOException {
        Path corpus = corpus("fox.txt", TextgenModelTest.TEXT);
        Path run = dir.resolve("run");
        TextgenTraining.Options options = options(corpus).with("max_steps", 4);
        TextgenTraining.train(options, run, false, line -> {});

        GlossaException shape = assertThrows(GlossaException.class,
                () -> TextgenTraining.resume(run, options.with(Map.of("hidden_size", 32, "batch_size", 2)), false, line -> {}));
        assertEquals("cannot resume " + run + " with different settings: hidden_size 24 in the run, 32 now; batch_size 4 in the run,"
                + " 2 now", shape.getMessage());
        // More steps are fine; a changed corpus is not.
        Files.writeString(corpus, TextgenModelTest.TEXT.replace("lazy", "sleepy"));
        GlossaException changed = assertThrows(GlossaException.class,
                () -> TextgenTraining.resume(run, options.with("max_steps", 8), false, line -> {}));
        assertTrue(changed.getMessage().contains("is not the text the run started on"), changed.getMessage());

        Path notARun = Files.createDirectories(dir.resolve("elsewhere/checkpoint-3/training_state"));
        GlossaException foreign = assertThrows(GlossaException.class,
                () -> TextgenTraining.savedOptions(notARun.getParent()));
        assertTrue(foreign.getMessage().endsWith("elsewhere: not a textgen run (no textgen.json)"), foreign.getMessage());
        GlossaException nothing = assertThrows(GlossaException.class,
                () -> TextgenTraining.resume(dir.resolve("missing"), options, false, line -> {}));
        assertTrue(nothing.getMessage().contains("no such checkpoint or run directory"), nothing.getMessage());

        GlossaException again = assertThrows(GlossaException.class, () -> TextgenTraining.train(options, run, false, line -> {}));
        assertTrue(again.getMessage().contains("already holds a run"), again.getMessage());
    }

    @Test
    void emptyAndShortCorporaAreExplained() throws IOException {
        GlossaException empty = assertThrows(GlossaException.class,
                () -> TextgenTraining.train(options(corpus("empty.txt", " \n")), dir.resolve("a"), false, line -> {}));
        assertEquals(dir.resolve("empty.txt").toAbsolutePath() + ": the corpus is empty", empty.getMessage());
        GlossaException tiny = assertThrows(GlossaException.class,
                () -> TextgenTraining.train(options(corpus("tiny.txt", "to be")), dir.resolve("b"), false, line -> {}));
        assertTrue(tiny.getMessage().contains("the corpus is too short (5 char tokens)"), tiny.getMessage());
        GlossaException forBatches = assertThrows(GlossaException.class,
                () -> TextgenTraining.train(options(corpus("short.txt", "to be or not to be, ".repeat(5))), dir.resolve("c"), false,
                        line -> {}));
        assertTrue(forBatches.getMessage().contains("too few for 4 streams of 20-token windows (at least 100 needed)"),
                forBatches.getMessage());
        GlossaException missing = assertThrows(GlossaException.class,
                () -> TextgenTraining.train(options(dir.resolve("absent.txt")), dir.resolve("d"), false, line -> {}));
        assertTrue(missing.getMessage().endsWith("absent.txt: no such file"), missing.getMessage());
        Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xe9});
        GlossaException binary = assertThrows(GlossaException.class,
                () -> TextgenTraining.train(options(dir.resolve("latin1.txt")), dir.resolve("e"), false, line -> {}));
        assertTrue(binary.getMessage().contains("not UTF-8 text"), binary.getMessage());
    }
}
