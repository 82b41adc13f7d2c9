package org.glossa.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vocabulary facts, WordPiece splits, special tokens, truncation, decoding and loading errors. */
@Tag("unit")
class HfTokenizerTest {

    private final HfTokenizer tokenizer = MiniLm.tokenizer();
    private final Map<String, Integer> vocab = MiniLm.vocabulary();

    @TempDir
    Path tempDir;

    @Test
    void knownBertUncasedIdsComeFromTheVocabulary() {
        // Facts of the bert-base-uncased vocabulary, confirmed in the file's own model.vocab.
        Map<String, Integer> known = Map.of("[PAD]", 0, "[UNK]", 100, "[CLS]", 101, "[SEP]", 102,
                "[MASK]", 103, "hello", 7592, "world", 2088);
        known.forEach((token, id) -> {
            assertEquals(id, vocab.get(token), "vocab.json entry " + token);
            assertEquals((long) id, tokenizer.tokenId(token), "tokenId(" + token + ")");
        });
        assertEquals(101, tokenizer.clsId());
        assertEquals(102, tokenizer.sepId());
        assertEquals(0, tokenizer.padId());
        assertEquals(30522, vocab.size());
        assertEquals(30522, tokenizer.vocabSize());
        assertArrayEquals(new long[] {101, 7592, 2088, 102}, tokenizer.encode("Hello world").ids());
        assertArrayEquals(new long[] {7592, 2088}, tokenizer.encode("HELLO World", false).ids());
    }

    @Test
    void unknownTokenIdIsAnError() {
        assertFalse(tokenizer.hasToken("Hello")); // uncased vocabulary
        assertTrue(tokenizer.hasToken("##ing"));
        GlossaException e = assertThrows(GlossaException.class, () -> tokenizer.tokenId("Hello"));
        assertTrue(e.getMessage().contains("Hello"), e.getMessage());
    }

    @Test
    void wordsSplitAsGreedyLongestMatchWordPiece() {
        String[] words = {"unaffable", "playing", "tokenization", "huggingface", "unbelievably",
            "normandy", "xylophonist", "hello", "antidisestablishmentarianism", "qwzx"};
        for (String word : words) {
            List<String> expected = wordPiece(word);
            assertEquals(expected, Arrays.asList(tokenizer.encode(word, false).tokens()), word);
        }
        // bert-base-uncased has "##ffa", so the longest match from "ffable" is "##ffa", not "##ff".
        assertEquals(List.of("una", "##ffa", "##ble"), wordPiece("unaffable"));
    }

    /** Greedy longest-match-first WordPiece over the file's vocabulary, as in BERT's paper code. */
    private List<String> wordPiece(String word) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            String found = null;
            int end = word.length();
            for (; end > start; end--) {
                String piece = (start > 0 ? "##" : "") + word.substring(start, end);
                if (vocab.containsKey(piece)) {
                    found = piece;
                    break;
                }
            }
            if (found == null) {
                return List.of("[UNK]");
            }
            pieces.add(found);
            start = end;
        }
        return pieces;
    }

    @Test
    void singleTextHasClsAndSepAroundIt() {
        Encoding e = tokenizer.encode("Hello, world!");
        assertArrayEquals(new String[] {"[CLS]", "hello", ",", "world", "!", "[SEP]"}, e.tokens());
        assertArrayEquals(new int[] {-1, 0, 0, 0, 0, -1}, e.sequenceIds());
        assertArrayEquals(new long[6], e.typeIds());
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1}, e.attentionMask());
        assertEquals(6, e.length());
        assertTrue(e.isSpecial(0) && e.isSpecial(5) && !e.isSpecial(1));

        Encoding bare = tokenizer.encode("Hello, world!", false);
        assertArrayEquals(Arrays.copyOfRange(e.ids(), 1, 5), bare.ids());
        assertArrayEquals(new int[] {0, 0, 0, 0}, bare.sequenceIds());
    }

    @Test
    void pairHasSegmentIdsAndSequenceIds() {
        Encoding e = tokenizer.encodePair("Who am I?", "I am Bob.");
        assertArrayEquals(new String[] {"[CLS]", "who", "am", "i", "?", "[SEP]", "i", "am", "bob", ".",
            "[SEP]"}, e.tokens());
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, e.typeIds());
        assertArrayEquals(new int[] {-1, 0, 0, 0, 0, -1, 1, 1, 1, 1, -1}, e.sequenceIds());
        assertEquals("Bob", "I am Bob.".substring(e.charStart()[8], e.charEnd()[8]));
        assertEquals("Who", "Who am I?".substring(e.charStart()[1], e.charEnd()[1]));

        Encoding bare = tokenizer.encodePair("Who am I?", "I am Bob.", false);
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1}, bare.sequenceIds());
    }

    @Test
    void theFilesOwnTruncationAndPaddingAreOff() {
        // The MiniLM tokenizer.json says truncate and pad to 128; we must do neither by ourselves.
        assertEquals(3, tokenizer.encode("hello").length());
        String longText = "hello world ".repeat(200);
        assertEquals(402, tokenizer.encode(longText).length());
        assertEquals(402 + 2, tokenizer.encodePair("hi", longText).length());
    }

    @Test
    void truncationKeepsSpecialTokens() {
        String text = "one two three four five six seven eight nine ten";
        Encoding whole = tokenizer.encode(text);
        Encoding cut = tokenizer.encode(text, 6);
        assertEquals(6, cut.length());
        assertArrayEquals(new String[] {"[CLS]", "one", "two", "three", "four", "[SEP]"}, cut.tokens());
        assertArrayEquals(new int[] {-1, 0, 0, 0, 0, -1}, cut.sequenceIds());
        assertEquals(whole.charEnd()[4], cut.charEnd()[4]);
        assertEquals(whole, tokenizer.encode(text, 100));
        assertEquals(whole, tokenizer.encode(text, whole.length()));
        assertArrayEquals(new String[] {"[CLS]", "[SEP]"}, tokenizer.encode(text, 2).tokens());
        assertThrows(GlossaException.class, () -> tokenizer.encode(text, 1));
    }

    @Test
    void maxLengthDefaultsTo512AndReadsTokenizerConfig() throws IOException {
        assertEquals(512, tokenizer.maxLength());
        Path dir = Files.createDirectories(tempDir.resolve("model"));
        Files.copy(MiniLm.tokenizerJson(), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 256}");
        assertEquals(256, HfTokenizer.load(dir).maxLength());
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"model_max_length\": 1000000000000000019884624838656}");
        assertEquals(512, HfTokenizer.load(dir).maxLength());
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": ");
        GlossaException e = assertThrows(GlossaException.class, () -> HfTokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json"), e.getMessage());
    }

    @Test
    void decodeJoinsWordPiecesAndCanSkipSpecials() {
        long[] ids = tokenizer.encode("Unaffable people, hello!").ids();
        assertEquals("unaffable people, hello!", tokenizer.decode(ids, true));
        assertEquals("[CLS] unaffable people, hello! [SEP]", tokenizer.decode(ids));
        assertThrows(GlossaException.class, () -> tokenizer.decode(new long[] {30522}));
        assertThrows(GlossaException.class, () -> tokenizer.decode(new long[] {-1}));
    }

    @Test
    void emptyAndBlankTextsGiveOnlySpecials() {
        assertArrayEquals(new long[] {101, 102}, tokenizer.encode("").ids());
        assertArrayEquals(new long[] {101, 102}, tokenizer.encode(" \t\n ").ids());
        assertEquals(0, tokenizer.encode("", false).length());
        assertArrayEquals(new long[] {101, 102, 7592, 102}, tokenizer.encodePair("", "hello").ids());
    }

    @Test
    void concurrentUseGivesTheSameResults() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            texts.add("Sentence number " + i + " with café \uD83D\uDE00 and 中文 " + "word ".repeat(i % 17));
        }
        List<Encoding> sequential = texts.stream().map(tokenizer::encode).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Encoding>> futures = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (String text : texts) {
                    futures.add(pool.submit(() -> tokenizer.encode(text)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(sequential.get(i % texts.size()), futures.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingFileIsAOneLineError() {
        Path missing = tempDir.resolve("nope.json");
        assertOneLineError(() -> HfTokenizer.load(missing), "not found", missing.toString());
        assertOneLineError(() -> HfTokenizer.load(tempDir), "not found", "tokenizer.json");
    }

    @Test
    void malformedFilesAreOneLineErrors() throws IOException {
        Path broken = Files.writeString(tempDir.resolve("broken.json"), "{ \"model\": { nope");
        assertOneLineError(() -> HfTokenizer.load(broken), "not valid JSON", broken.toString());

        Path notTokenizer = Files.writeString(tempDir.resolve("other.json"), "{\"version\": \"1.0\"}");
        assertOneLineError(() -> HfTokenizer.load(notTokenizer), "no model.vocab", notTokenizer.toString());

        Path array = Files.writeString(tempDir.resolve("array.json"), "[1, 2]");
        assertOneLineError(() -> HfTokenizer.load(array), "not a JSON object", array.toString());

        // Valid JSON with a vocabulary, but not a tokenizer the Rust library accepts.
        Path rejected = Files.writeString(tempDir.resolve("rejected.json"),
                "{\"model\": {\"type\": \"NoSuchModel\", \"vocab\": {\"a\": 0}}}");
        assertOneLineError(() -> HfTokenizer.load(rejected), "cannot load tokenizer", rejected.toString());
    }

    private static void assertOneLineError(Runnable action, String... parts) {
        GlossaException e = assertThrows(GlossaException.class, action::run);
        String message = e.getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), "multi-line: " + message);
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' missing from: " + message);
        }
    }
}
