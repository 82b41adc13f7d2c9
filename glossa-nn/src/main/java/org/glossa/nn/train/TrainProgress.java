package org.glossa.nn.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The live line of a training run on standard error:
 * <pre>train  37% |#######             | 370/1000 steps  loss 1.8423  lr 3.00e-04  12.3k tok/s  ETA 4:12</pre>
 * On a terminal it is redrawn in place at most 10 times a second, and {@link #println} prints messages
 * (evaluations, checkpoints) above it; in a log file a plain line is printed every 30 seconds instead.
 */
final class TrainProgress implements AutoCloseable {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final long LOG_NANOS = 30_000_000_000L;
    private static final int BAR_WIDTH = 20;

    private final PrintStream out;          // null when silent
    private final boolean interactive;
    private final LongSupplier clock;
    private final long totalSteps;
    private final long firstStep;
    private final long startNanos;
    private long nextDraw;
    private String lastLine = "";

    TrainProgress(PrintStream out, boolean interactive, LongSupplier clock, long totalSteps, long firstStep) {
        this.out = out;
        this.interactive = interactive;
        this.clock = clock;
        this.totalSteps = totalSteps;
        this.firstStep = firstStep;
        this.startNanos = clock.getAsLong();
        this.nextDraw = startNanos;
    }

    static TrainProgress start(boolean enabled, long totalSteps, long firstStep) {
        boolean show = enabled && org.glossa.core.Progress.isEnabled(); // --quiet silences every progress display
        return new TrainProgress(show ? System.err : null, System.console() != null, System::nanoTime, totalSteps, firstStep);
    }

    /** Reports the state after {@code step} steps; redraws when it is time. */
    void update(long step, double loss, double lr, double tokensPerSecond) {
        if (out == null) {
            return;
        }
        long now = clock.getAsLong();
        if (now < nextDraw && step < totalSteps) {
            return;
        }
        nextDraw = now + (interactive ? REDRAW_NANOS : LOG_NANOS);
        String line = render(step, loss, lr, tokensPerSecond, now);
        if (interactive) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastLine.length() - line.length())));
        } else {
            out.println(line);
        }
        out.flush();
        lastLine = line;
    }

    /** Prints a message on its own line, keeping the live line below it. */
    void println(String message) {
        if (out == null) {
            return;
        }
        if (interactive) {
            out.print("\r" + message + " ".repeat(Math.max(0, lastLine.length() - message.length())) + "\n" + lastLine);
        } else {
            out.println(message);
        }
        out.flush();
    }

    String render(long step, double loss, double lr, double tokensPerSecond, long now) {
        double fraction = totalSteps > 0 ? Math.min(1.0, (double) step / totalSteps) : 0;
        double seconds = (now - startNanos) / 1e9;
        long done = step - firstStep;
        String eta = done > 0 ? clock(seconds / done * (totalSteps - step)) : "?";
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "train %3d%% |%s| %d/%d steps  loss %.4f  lr %.2e",
                (int) Math.floor(fraction * 100), bar(fraction), step, totalSteps, loss, lr));
        if (tokensPerSecond > 0) {
            line.append("  ").append(count(tokensPerSecond)).append(" tok/s");
        }
        line.append("  ETA ").append(eta);
        return line.toString();
    }

    @Override
    public void close() {
        if (out != null && interactive && !lastLine.isEmpty()) {
            out.println();
            out.flush();
        }
    }

    static String bar(double fraction) {
        int filled = (int) Math.floor(fraction * BAR_WIDTH);
        return "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled);
    }

    /** 950, 12.3k, 4.56M. */
    static String count(double value) {
        if (value >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", value / 1e6);
        }
        if (value >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", value / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", value);
    }

    /** m:ss or h:mm:ss. */
    static String clock(double seconds) {
        long whole = (long) Math.ceil(Math.max(0, seconds));
        long hours = whole / 3600;
        return hours > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, whole / 60 % 60, whole % 60)
                : String.format(Locale.ROOT, "%d:%02d", whole / 60, whole % 60);
    }
}
