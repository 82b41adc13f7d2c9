package org.glossa.embeddings.corpus;

import java.nio.CharBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glossa.core.GlossaException;

/**
 * Sentences read from UTF-8 text files, plain or gzip-compressed (recognised by content, whatever the
 * extension). Every pass streams the files again; at most about a megabyte of text is in memory at a time.
 *
 * <pre>{@code
 * SentenceSource corpus = TextCorpus.wikiExtractor(Path.of("enwiki_AA.txt"), TextOptions.defaults().withLowercase(true));
 * }</pre>
 */
public final class TextCorpus implements SentenceSource {
    private static final boolean[] ASCII_SPACE = new boolean[128];

    static {
        for (char c : new char[] {' ', '\t', '\n', '\u000B', '\f', '\r', '\u001C', '\u001D', '\u001E', '\u001F'}) {
            ASCII_SPACE[c] = true;
        }
    }

    private final List<Path> files;
    private final CorpusFormat format;
    private final TextOptions options;
    private final Pattern pattern;
    private int segmentBytes = Utf8LineReader.MAX_SEGMENT_BYTES;

    /** {@code files} are read one after the other, as one corpus; a sentence never spans two files. */
    public TextCorpus(List<Path> files, CorpusFormat format, TextOptions options) {
        if (files.isEmpty()) {
            throw new GlossaException("no corpus file given");
        }
        this.files = List.copyOf(files);
        this.format = format;
        this.options = options;
        this.pattern = options.compiledPattern();
    }

    public TextCorpus(Path file, CorpusFormat format, TextOptions options) {
        this(List.of(file), format, options);
    }

    /** One sentence per line. */
    public static TextCorpus lines(Path file, TextOptions options) {
        return new TextCorpus(file, CorpusFormat.LINES, options);
    }

    /** Running text cut into sentences of {@link TextOptions#maxSentenceLength()} tokens. */
    public static TextCorpus raw(Path file, TextOptions options) {
        return new TextCorpus(file, CorpusFormat.RAW, options);
    }

    /** WikiExtractor output: one paragraph per line, {@code <doc>} lines dropped. */
    public static TextCorpus wikiExtractor(Path file, TextOptions options) {
        return new TextCorpus(file, CorpusFormat.WIKIEXTRACTOR, options);
    }

    public List<Path> files() {
        return files;
    }

    public CorpusFormat format() {
        return format;
    }

    public TextOptions options() {
        return options;
    }

    /** Reads lines in pieces of at most {@code bytes} (tests of long lines without megabytes of text). */
    TextCorpus withSegmentBytes(int bytes) {
        segmentBytes = bytes;
        return this;
    }

    @Override
    public String description() {
        return files.size() == 1 ? files.get(0).toString() : files.get(0) + " and " + (files.size() - 1) + " more";
    }

    @Override
    public void forEachSentence(SentenceVisitor visitor) {
        for (Path file : files) {
            readFile(file, visitor);
        }
    }

    private void readFile(Path file, SentenceVisitor visitor) {
        SentenceBuilder sentence = new SentenceBuilder(options.maxSentenceLength(), visitor);
        Matcher matcher = pattern == null ? null : pattern.matcher("");
        try (Utf8LineReader reader = new Utf8LineReader(file, segmentBytes)) {
            while (reader.next()) {
                char[] chars = reader.chars();
                int length = reader.length();
                if (format == CorpusFormat.WIKIEXTRACTOR && reader.startsLine() && reader.endsLine()
                        && isDocumentMarkup(chars, length)) {
                    continue;
                }
                if (matcher == null) {
                    splitOnWhitespace(chars, length, sentence);
                } else {
                    matchTokens(matcher, chars, length, sentence);
                }
                if (reader.endsLine() && format != CorpusFormat.RAW) {
                    sentence.end();
                }
            }
        }
        sentence.end();
    }

    private void splitOnWhitespace(char[] chars, int length, SentenceBuilder sentence) {
        int i = 0;
        while (i < length) {
            while (i < length && isSpace(chars[i])) {
                i++;
            }
            int begin = i;
            while (i < length && !isSpace(chars[i])) {
                i++;
            }
            if (i > begin) {
                sentence.add(token(new String(chars, begin, i - begin)));
            }
        }
    }

    private void matchTokens(Matcher matcher, char[] chars, int length, SentenceBuilder sentence) {
        matcher.reset(CharBuffer.wrap(chars, 0, length));
        while (matcher.find()) {
            if (matcher.end() > matcher.start()) { // a pattern that can match nothing yields no empty tokens
                sentence.add(token(new String(chars, matcher.start(), matcher.end() - matcher.start())));
            }
        }
    }

    private String token(String text) {
        return options.lowercase() ? text.toLowerCase(Locale.ROOT) : text;
    }

    /** Whitespace as Python's {@code str.split()} sees it, so that gensim splits our output files as we do. */
    static boolean isSpace(char c) {
        if (c < 128) {
            return ASCII_SPACE[c];
        }
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** A WikiExtractor {@code <doc id=... url=... title=...>} or {@code </doc>} line. */
    static boolean isDocumentMarkup(char[] chars, int length) {
        int from = 0;
        int to = length;
        while (from < to && isSpace(chars[from])) {
            from++;
        }
        while (to > from && isSpace(chars[to - 1])) {
            to--;
        }
        String line = new String(chars, from, to - from);
        return line.equals("</doc>") || (line.startsWith("<doc ") || line.equals("<doc>")) && line.endsWith(">");
    }

    /** Collects tokens and hands out sentences of at most {@code max} tokens. */
    private static final class SentenceBuilder {
        private final int max;
        private final SentenceVisitor visitor;
        private String[] tokens;
        private int length;

        SentenceBuilder(int max, SentenceVisitor visitor) {
            this.max = max;
            this.tokens = new String[Math.min(max, 1024)];
            this.visitor = visitor;
        }

        void add(String token) {
            if (length == tokens.length) {
                tokens = Arrays.copyOf(tokens, (int) Math.min(max, 2L * tokens.length));
            }
            tokens[length++] = token;
            if (length == max) {
                end();
            }
        }

        void end() {
            if (length > 0) {
                visitor.sentence(tokens, length);
                length = 0;
            }
        }
    }
}
