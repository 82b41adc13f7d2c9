package org.glossa.tasks.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ParallelCorpusTest {
    @TempDir Path dir;

    @Test
    void readsTheTutorialsSpanishEnglishPairs() {
        ParallelCorpus corpus = SpaEng.read(SpaEngSplitTest.shared("spa-eng").resolve("spa.txt"));
        // SOURCES.md and the TensorFlow tutorial: 118,964 pairs, the first "Go." / "Ve.".
        assertEquals(118_964, corpus.size());
        assertEquals(0, corpus.skippedBlankLines());
        assertEquals(new SentencePair("Ve.", "Go."), corpus.pairs().get(0));
        // Line 80,325 has two zero-width spaces before "fue", line 117,600 a no-break space after "las".
        assertEquals("Ninguno de los acusados fue declarado culpable.", corpus.pairs().get(80_324).source());
        assertEquals("En vez de comer verduras, él las pone en la licuadora y se las bebe.",
                corpus.pairs().get(117_599).source());
    }

    @Test
    void readsMulti30kWithItsOfficialCounts() {
        Path multi30k = SpaEngSplitTest.shared("multi30k");
        DataSplit split = Multi30k.split(multi30k);
        // The official counts: 29,000 / 1,014 / 1,000 (train and val end with an empty line, ignored).
        assertEquals(29_000, split.train().size());
        assertEquals(1_014, split.validation().size());
        assertEquals(1_000, split.test().size());
        assertEquals(new SentencePair("Zwei junge weiße Männer sind im Freien in der Nähe vieler Büsche.",
                "Two young, White males are outside near many bushes."), split.train().get(0));
        assertEquals(0, Multi30k.read(multi30k, "train").skippedBlankLines());
        assertEquals("unknown Multi30k part \"dev\": expected one of [train, val, test]",
                assertThrows(GlossaException.class, () -> Multi30k.read(multi30k, "dev")).getMessage());
    }

    @Test
    void normalisesEverySentence() throws Exception {
        // Decomposed é (e + U+0301), a no-break space, a double space, a soft hyphen, an em space, a BOM.
        Path file = write("pairs.tsv", "\uFEFFcafe\u0301\u00A0con  leche\tcoffee\u00ADwith\u2003 milk \tCC-BY 2.0 (x)\r\n");
        ParallelCorpus corpus = ParallelCorpus.readTabSeparated(file, 0, 1);
        assertEquals(List.of(new SentencePair("café con leche", "coffeewith milk")), corpus.pairs());
        assertEquals("5ª planta, 70º, CO₂", TextNormalizer.normalize("5ª planta, 70º, CO₂"), "NFC keeps them (NFKC would not)");
        assertEquals("a b", TextNormalizer.normalize(" \u2003a\u200B \u202F b\n"));
    }

    @Test
    void blankLinesAreSkippedAndCountedOrNamedWhenTheyMisalign() throws Exception {
        Path tsv = write("blank.tsv", "Go.\tVe.\n\n   \nHi.\tHola.\n\n\n");
        ParallelCorpus corpus = ParallelCorpus.readTabSeparated(tsv, 1, 0);
        assertEquals(List.of(new SentencePair("Ve.", "Go."), new SentencePair("Hola.", "Hi.")), corpus.pairs());
        assertEquals(2, corpus.skippedBlankLines(), "the two inside; the ones at the end are the end of the file");

        Path de = write("a.de", "Eins\n\nDrei\n");
        Path en = write("a.en", "One\n\nThree\n\n");
        ParallelCorpus aligned = ParallelCorpus.readAligned(de, en);
        assertEquals(List.of(new SentencePair("Eins", "One"), new SentencePair("Drei", "Three")), aligned.pairs());
        assertEquals(1, aligned.skippedBlankLines());

        Path shifted = write("b.en", "One\nTwo\n\n");
        Path gap = write("b.de", "Eins\n\nDrei\n");
        Path three = write("c.en", "One\nTwo\nThree\n");
        assertEquals(gap + ":2 is blank but " + three + ":2 is not: the files are not aligned",
                message(() -> ParallelCorpus.readAligned(gap, three)));
        assertEquals("line counts differ: " + gap + " has 3 lines, " + shifted + " has 2",
                message(() -> ParallelCorpus.readAligned(gap, shifted)));
    }

    @Test
    void malformedLinesAreNamedByFileAndLine() throws Exception {
        Path noTab = write("notab.tsv", "Go.\tVe.\nHi. Hola.\n");
        assertEquals(noTab + ":2: no tab in the line; expected tab-separated columns (2 needed)",
                message(() -> ParallelCorpus.readTabSeparated(noTab, 1, 0)));
        Path twoColumns = write("two.tsv", "Go.\tVe.\n");
        assertEquals(twoColumns + ":1: 2 columns, column 3 is needed",
                message(() -> ParallelCorpus.readTabSeparated(twoColumns, 2, 0)));
        Path empty = write("empty.tsv", "Go.\tVe.\nHi.\t \n");
        assertEquals(empty + ":2: column 2 is empty", message(() -> ParallelCorpus.readTabSeparated(empty, 1, 0)));
        Path latin1 = dir.resolve("latin1.tsv");
        Files.write(latin1, "caf\u00e9\tcoffee\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(true, message(() -> ParallelCorpus.readTabSeparated(latin1, 0, 1)).startsWith(
                latin1 + ": not UTF-8 text"));
        assertEquals(dir.resolve("none.tsv") + ": no such file",
                message(() -> ParallelCorpus.readTabSeparated(dir.resolve("none.tsv"), 0, 1)));
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static String message(org.junit.jupiter.api.function.Executable executable) {
        return assertThrows(GlossaException.class, executable).getMessage();
    }
}
