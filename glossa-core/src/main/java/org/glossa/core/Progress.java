package org.glossa.core;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Reports the progress of long work on standard error:
 * <pre>embedding  45% |█████████           | 1234/2740 texts  312.4 texts/s  ETA 0:05</pre>
 * On a terminal the line is redrawn in place (at most 10 times a second); otherwise, as in a log file,
 * a plain line is printed every 10 seconds or every 10 %. {@link #close} prints a summary line with the
 * total time and rate. A total of 0 or less means the total is unknown: no percentage, bar or ETA.
 *
 * <pre>{@code
 * try (Progress progress = Progress.start("embedding", texts.size(), "texts")) {
 *     for (...) { ...; progress.advance(batch.size()); }
 * }
 * }</pre>
 *
 * {@link #advance} may be called from several threads. {@link #setEnabled setEnabled(false)} silences
 * every progress started afterwards (e.g. for a {@code --quiet} flag or a server).
 */
public final class Progress implements AutoCloseable {
    private static final long REDRAW_INTERVAL_NANOS = 100_000_000L;   // terminal: at most 10 redraws a second
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;   // log: a line every 10 s ...
    private static final int LOG_PERCENT_STEP = 10;                   // ... or every 10 %
    private static final int BAR_WIDTH = 20;
    private static final char[] EIGHTHS = {' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'};

    private static volatile boolean enabled = true;

    private final String label;
    private final long total;
    private final String unit;
    private final PrintStream out;          // null when quiet
    private final LongSupplier clock;       // nanoseconds
    private final boolean interactive;
    private final boolean unicode;          // block characters for the bar, or '#' where the console cannot show them
    private final long startNanos;
    private final AtomicLong done = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    // Written under the lock; the volatile ones are also read without it, to keep advance() cheap.
    private int lastLineLength;
    private volatile long lastLoggedStep = -1;
    private volatile long nextDrawNanos;

    private Progress(String label, long total, String unit, PrintStream out, LongSupplier clock, boolean interactive,
                     boolean unicode) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.clock = clock;
        this.interactive = interactive;
        this.unicode = unicode;
        this.startNanos = clock.getAsLong();
        this.nextDrawNanos = startNanos + (interactive ? REDRAW_INTERVAL_NANOS : LOG_INTERVAL_NANOS);
    }

    /** Starts reporting on standard error, redrawing in place when there is a console; silent when disabled. */
    public static Progress start(String label, long total, String unit) {
        if (!enabled) {
            return quiet();
        }
        Progress progress = new Progress(label, total, unit, System.err, System::nanoTime, System.console() != null,
                stderrShowsBlocks());
        progress.begin();
        return progress;
    }

    /** Starts reporting to {@code out}, timed by {@code nanoClock}; {@code interactive} redraws one line with {@code \r}. */
    public static Progress start(String label, long total, String unit, PrintStream out, LongSupplier nanoClock,
                                 boolean interactive) {
        Progress progress = new Progress(label, total, unit, out, nanoClock, interactive, true);
        progress.begin();
        return progress;
    }

    /** On a terminal, shows the empty bar at once. */
    private synchronized void begin() {
        if (interactive) {
            draw(startNanos);
        }
    }

    /** Whether standard error's encoding has the block characters (not so under a plain C/POSIX locale). */
    private static boolean stderrShowsBlocks() {
        String encoding = System.getProperty("sun.stderr.encoding", System.getProperty("file.encoding", "UTF-8"));
        try {
            return Charset.forName(encoding).newEncoder().canEncode('█');
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A progress that counts but prints nothing. */
    public static Progress quiet() {
        return new Progress("", 0, "", null, System::nanoTime, false, true);
    }

    /** Whether {@link #start(String, long, String)} reports at all (default true). */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    public static boolean isEnabled() {
        return enabled;
    }

    /** Records {@code n} more units of work done. Thread-safe. */
    public void advance(long n) {
        long count = done.addAndGet(n);
        if (out == null || closed.get()) {
            return;
        }
        long now = clock.getAsLong();
        // Cheap checks first: most calls neither reach the next redraw time nor a new 10 % step.
        boolean newStep = !interactive && logStep(count) > lastLoggedStep;
        if (now < nextDrawNanos && !newStep) {
            return;
        }
        synchronized (this) {
            if (closed.get()) {
                return;
            }
            // Checked again under the lock: another thread may have drawn meanwhile.
            long step = logStep(done.get());
            if (now >= nextDrawNanos || (!interactive && step > lastLoggedStep)) {
                lastLoggedStep = Math.max(lastLoggedStep, step);
                draw(now);
            }
        }
    }

    /** Units of work done so far. */
    public long done() {
        return done.get();
    }

    /** Prints the summary line (once), e.g. {@code embedding  2740 texts in 8.8 s (312.4 texts/s)}. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || out == null) {
            return;
        }
        synchronized (this) {
            String line = summary(done.get(), clock.getAsLong());
            if (interactive) {
                out.print("\r" + padded(line) + "\n");
            } else {
                out.println(line);
            }
            out.flush();
        }
    }

    /** Which 10 % step {@code count} has reached (0..9), or -1 without a total or once done (the summary line follows). */
    private long logStep(long count) {
        if (total <= 0 || count >= total) {
            return -1;
        }
        return count * (100 / LOG_PERCENT_STEP) / total;
    }

    private void draw(long now) {
        String line = render(done.get(), now);
        if (interactive) {
            out.print("\r" + padded(line));
        } else {
            out.println(line);
        }
        out.flush();
        nextDrawNanos = now + (interactive ? REDRAW_INTERVAL_NANOS : LOG_INTERVAL_NANOS);
    }

    /** The line, with trailing spaces to wipe a longer previous one when redrawing in place. */
    private String padded(String line) {
        int wipe = Math.max(0, lastLineLength - line.length());
        lastLineLength = line.length();
        return line + " ".repeat(wipe);
    }

    /** The progress line for {@code count} units done at clock time {@code now}. */
    String render(long count, long now) {
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? count / seconds : 0;
        String rateText = formatRate(rate) + " " + unit + "/s";
        if (total <= 0) {
            return label + "  " + count + " " + unit + "  " + rateText + "  " + formatClock(seconds) + " elapsed";
        }
        double fraction = Math.min(1.0, (double) count / total);
        String eta = rate > 0 ? formatClock(Math.max(0, total - count) / rate) : "?";
        return String.format(Locale.ROOT, "%s %3d%% |%s| %d/%d %s  %s  ETA %s",
                label, (int) Math.floor(fraction * 100), bar(fraction, unicode), count, total, unit, rateText, eta);
    }

    /** The final line: how much, how long, how fast. */
    String summary(long count, long now) {
        double seconds = (now - startNanos) / 1e9;
        String rate = seconds > 0 ? formatRate(count / seconds) : "?";
        return label + "  " + count + " " + unit + " in " + formatDuration(seconds) + " (" + rate + " " + unit + "/s)";
    }

    /** A bar {@value #BAR_WIDTH} cells wide, in eighths of a cell (in whole cells of '#' without {@code unicode}). */
    static String bar(double fraction, boolean unicode) {
        int eighths = (int) Math.floor(Math.max(0, Math.min(1, fraction)) * BAR_WIDTH * 8);
        StringBuilder bar = new StringBuilder(BAR_WIDTH);
        bar.append((unicode ? "█" : "#").repeat(eighths / 8));
        if (unicode && eighths % 8 != 0) {
            bar.append(EIGHTHS[eighths % 8]);
        }
        while (bar.length() < BAR_WIDTH) {
            bar.append(' ');
        }
        return bar.toString();
    }

    /** One decimal, or two below 1/s so that slow work does not read as 0.0. */
    static String formatRate(double perSecond) {
        return String.format(Locale.ROOT, perSecond < 1 ? "%.2f" : "%.1f", perSecond);
    }

    /** {@code m:ss}, or {@code h:mm:ss} from one hour on (seconds rounded up, so an ETA reaches 0:00 only at the end). */
    static String formatClock(double seconds) {
        long whole = (long) Math.ceil(seconds);
        long hours = whole / 3600;
        long minutes = whole / 60 % 60;
        long secs = whole % 60;
        return hours > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, secs)
                : String.format(Locale.ROOT, "%d:%02d", minutes, secs);
    }

    /** {@code 8.8 s} under a minute, {@code m:ss} or {@code h:mm:ss} from then on. */
    static String formatDuration(double seconds) {
        return seconds < 60 ? String.format(Locale.ROOT, "%.1f s", seconds) : formatClock(seconds);
    }
}
