package org.glossa.tasks.charlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class CorpusTest {
    @TempDir Path dir;

    private static Path shared() {
        String shared = System.getProperty("glossa.shared");
        assertTrue(shared != null, "surefire sets glossa.shared");
        return Path.of(shared);
    }

    @Test
    void tinyShakespeareSplitsAsNanoGptSplitsIt() {
        Path file = shared().resolve(Corpus.TINY_SHAKESPEARE);
        assertTrue(Files.isRegularFile(file), file + " is missing");
        String text = Corpus.read(file);
        Vocabulary vocabulary = Vocabulary.build(text, Vocabulary.Level.CHAR, 0);
        // nanoGPT's data/shakespeare_char/prepare.py prints: 1,115,394 characters, vocab size 65,
        // train has 1,003,854 tokens, val has 111,540 tokens.
        assertEquals(1_115_394, text.length());
        assertEquals(65, vocabulary.size());
        Corpus.Split split = Corpus.split(vocabulary.encode(text, "corpus"));
        assertEquals(1_003_854, split.train().length);
        assertEquals(111_540, split.validation().length);
        assertEquals(text.substring(1_003_854, 1_003_854 + 40), vocabulary.decode(java.util.Arrays.copyOf(split.validation(), 40)));
    }

    @Test
    void theDefaultCorpusIsFoundFromTheSharedPropertyOrFromParentDirectories() {
        Path expected = shared().resolve(Corpus.TINY_SHAKESPEARE).toAbsolutePath().normalize();
        assertEquals(expected, Corpus.defaultCorpus().toAbsolutePath().normalize());
        String saved = System.clearProperty("glossa.shared");
        try {
            // The module directory (surefire's working directory) is one level below the repository root.
            assertEquals(expected, Corpus.defaultCorpus().toAbsolutePath().normalize());
        } finally {
            System.setProperty("glossa.shared", saved);
        }
    }

    @Test
    void unreadableCorporaAreNamed() throws Exception {
        assertEquals(dir + ": is a directory, expected a text file",
                assertThrows(GlossaException.class, () -> Corpus.read(dir)).getMessage());
        assertEquals(dir.resolve("none.txt") + ": no such file",
                assertThrows(GlossaException.class, () -> Corpus.read(dir.resolve("none.txt"))).getMessage());
        Path blank = Files.writeString(dir.resolve("blank.txt"), "\n\n  \n");
        assertEquals(blank + ": the corpus is empty", assertThrows(GlossaException.class, () -> Corpus.read(blank)).getMessage());
        Path bom = Files.write(dir.resolve("bom.txt"), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i'});
        assertEquals("hi", Corpus.read(bom));
    }
}
