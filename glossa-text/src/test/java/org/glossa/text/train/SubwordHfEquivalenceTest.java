package org.glossa.text.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.glossa.text.Encoding;
import org.glossa.text.HfTokenizer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our trainers' tokenizer.json, run by HuggingFace tokenizers (Rust, through DJL), must segment real
 * sentences exactly as our own encoder does, and decoding must give the sentences back, accents and
 * punctuation included. The data are the shared Multi30k and Anki spa-eng corpora (the tests are skipped,
 * by assumption, only where ../shared/data lacks them).
 */
@Tag("unit")
class SubwordHfEquivalenceTest {
    @TempDir Path dir;

    /** Odd inputs where a second implementation would most likely part ways with HF's. */
    private static final List<String> EDGE_CASES = List.of(
            "", " ", "a", "  two  spaces  ", " leading space", "trailing space ", "tab\there",
            "¿Qué tal? ¡Muy bien!", "«Hola», dijo... (y se fue)", "\"Quoted,\" he said; 'single' - dash — em",
            "El niño pidió café y pingüino; Straße, Mädchen, Ärger.", "e\u0301 decomposed",
            "[BOS] literal specials [EOS] and [UNK][PAD]", "x[UNK]y", "emoji 😀 unseen",
            "unknown Ω ψ", "1,000.50 $5 + 3 = 8 <tag> a|b ~c ^d `e` {f} @g #h %i &j *k _l",
            "H₂O 70º 5ª", "word-with-hyphens and under_scores", "...!!!???");

    @Test
    void bpeOnMulti30kMatchesHuggingFaceAndRoundTrips() throws IOException {
        Path multi30k = shared("multi30k");
        List<String> train = new ArrayList<>(lines(multi30k.resolve("train.de")));
        train.addAll(lines(multi30k.resolve("train.en")));
        long start = System.nanoTime();
        BpeTokenizer bpe = BpeTrainer.train(train, BpeTrainer.Options.of(10_000));
        report("BPE 10k, Multi30k train de+en (" + train.size() + " lines)", start, bpe);
        assertEquals(10_000, bpe.vocabSize());
        List<String> test = new ArrayList<>(lines(multi30k.resolve("test.de")));
        test.addAll(lines(multi30k.resolve("test.en")));
        checkAgainstHuggingFace(bpe, test);
    }

    @Test
    void wordPieceOnMulti30kMatchesHuggingFaceAndRoundTrips() throws IOException {
        Path multi30k = shared("multi30k");
        List<String> train = new ArrayList<>(lines(multi30k.resolve("train.de")));
        train.addAll(lines(multi30k.resolve("train.en")));
        long start = System.nanoTime();
        WordPieceTokenizer wordPiece = WordPieceTrainer.train(train, BpeTrainer.Options.of(10_000));
        report("WordPiece 10k, Multi30k train de+en (" + train.size() + " lines)", start, wordPiece);
        assertEquals(10_000, wordPiece.vocabSize());
        List<String> test = new ArrayList<>(lines(multi30k.resolve("val.de")));
        test.addAll(lines(multi30k.resolve("val.en")));
        checkAgainstHuggingFace(wordPiece, test);
    }

    @Test
    void bpeOnSpanishEnglishMatchesHuggingFaceAndRoundTrips() throws IOException {
        List<List<String>> parts = spanishEnglish();
        long start = System.nanoTime();
        BpeTokenizer bpe = BpeTrainer.train(parts.get(0), BpeTrainer.Options.of(8_000));
        report("BPE 8k, spa-eng (" + parts.get(0).size() + " sentences)", start, bpe);
        checkAgainstHuggingFace(bpe, parts.get(1));
    }

    @Test
    void wordPieceOnSpanishEnglishMatchesHuggingFaceAndRoundTrips() throws IOException {
        List<List<String>> parts = spanishEnglish();
        long start = System.nanoTime();
        WordPieceTokenizer wordPiece = WordPieceTrainer.train(parts.get(0), BpeTrainer.Options.of(8_000));
        report("WordPiece 8k, spa-eng (" + parts.get(0).size() + " sentences)", start, wordPiece);
        checkAgainstHuggingFace(wordPiece, parts.get(1));
    }

    /** Both sides of all but the last 2,000 pairs of spa.txt to train on; of those (the longest sentences) to check. */
    private static List<List<String>> spanishEnglish() throws IOException {
        List<String> pairs = lines(shared("spa-eng").resolve("spa.txt"));
        List<String> train = new ArrayList<>();
        List<String> heldOut = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            List<String> sides = Arrays.asList(pairs.get(i).split("\t"));
            (i < pairs.size() - 2_000 ? train : heldOut).addAll(sides);
        }
        return List.of(train, heldOut);
    }

    /**
     * Same ids and tokens as HF for every sentence and edge case, with and without special tokens; the
     * same decoding as HF; and decoding gives back the NFC text of every sentence made only of characters
     * seen in training and not starting with a space (the prepended ▁ is dropped on the way back).
     */
    private void checkAgainstHuggingFace(SubwordTokenizer ours, List<String> sentences) {
        Path file = dir.resolve(ours.getClass().getSimpleName() + ours.vocabSize() + "/tokenizer.json");
        ours.write(file);
        HfTokenizer hf = HfTokenizer.load(file);
        assertEquals(ours.vocabSize(), hf.vocabSize());
        assertEquals(0, hf.padId());
        List<String> texts = new ArrayList<>(sentences);
        texts.addAll(EDGE_CASES);
        int roundTrips = 0;
        int withUnknown = 0;
        for (int t = 0; t < texts.size(); t++) {
            String text = texts.get(t);
            Encoding theirs = hf.encode(text, false);
            int[] ids = ours.encode(text, false);
            assertArrayEquals(theirs.ids(), Arrays.stream(ids).asLongStream().toArray(), text);
            assertEquals(Arrays.asList(theirs.tokens()), ours.tokens(text), text);
            int[] wrapped = ours.encode(text, true);
            assertArrayEquals(hf.encode(text, true).ids(), Arrays.stream(wrapped).asLongStream().toArray(), text);
            for (boolean skip : new boolean[] {true, false}) {
                assertEquals(hf.decode(theirs.ids(), skip), ours.decode(ids, skip), text);
                assertEquals(hf.decode(hf.encode(text, true).ids(), skip), ours.decode(wrapped, skip), text);
            }
            boolean unknown = Arrays.stream(ids).anyMatch(id -> id == ours.id(SubwordTokenizer.UNK));
            boolean writesSpecials = SubwordTokenizer.segments(text, ours.specialTokens()).stream()
                    .anyMatch(SubwordTokenizer.Segment::special);
            if (t < sentences.size() && unknown) {
                withUnknown++;
            } else if (!unknown && !writesSpecials && !text.startsWith(" ")) {
                assertEquals(Normalizer.normalize(text, Normalizer.Form.NFC), ours.decode(wrapped, true), text);
                roundTrips++;
            }
        }
        // Real test sentences rarely hold a character the training text never had.
        assertTrue(withUnknown <= sentences.size() / 200, withUnknown + " of " + sentences.size()
                + " sentences have an unknown character");
        assertTrue(roundTrips >= sentences.size() - withUnknown, "round trips: " + roundTrips);
        System.out.printf(Locale.ROOT, "%s: %d texts identical to HF, %d round trips, %d with [UNK]%n",
                ours, texts.size(), roundTrips, withUnknown);
    }

    private static void report(String what, long startNanos, SubwordTokenizer tokenizer) {
        System.out.printf(Locale.ROOT, "%s: %d tokens in %.2f s%n", what, tokenizer.vocabSize(),
                (System.nanoTime() - startNanos) / 1e9);
    }

    static Path shared(String dataSet) {
        String shared = System.getProperty("glossa.shared", "../../shared");
        Path path = Path.of(shared, "data", dataSet);
        assumeTrue(Files.isDirectory(path), "../shared/data/" + dataSet + " is missing: test skipped");
        return path;
    }

    /** The lines of a UTF-8 file, without a trailing empty line. */
    static List<String> lines(Path file) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
