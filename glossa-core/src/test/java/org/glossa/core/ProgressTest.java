package org.glossa.core;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("unit")
class ProgressTest {
    /** A clock the test moves by hand. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private void at(double seconds) {
        nanos.set(1_000_000_000L + Math.round(seconds * 1e9));
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rendersPercentBarCountRateAndEta() {
        Progress progress = Progress.start("embedding", 2740, "texts", out, nanos::get, false);
        // 1234 texts in 3.95 s: 312.4 texts/s; 1506 left take 4.8 s, shown rounded up; 45.03 % fills 9 of 20 cells.
        assertEquals("embedding  45% |█████████           | 1234/2740 texts  312.4 texts/s  ETA 0:05",
                progress.render(1234, nanos.get() + 3_950_000_000L));
    }

    @Test
    void barFillsInEighthsOfACell() {
        assertEquals("██████▋             ", Progress.bar(53 / 160.0, true)); // 53 eighths: 6 cells and 5/8
        assertEquals("                    ", Progress.bar(0, true));
        assertEquals("████████████████████", Progress.bar(1, true));
        assertEquals("████████████████████", Progress.bar(1.7, true));
        assertEquals("######              ", Progress.bar(53 / 160.0, false)); // where the console cannot show blocks
    }

    @Test
    void unknownTotalShowsCountRateAndElapsedTime() {
        Progress progress = Progress.start("reading", 0, "lines", out, nanos::get, false);
        assertEquals("reading  1234 lines  312.4 lines/s  0:04 elapsed", progress.render(1234, nanos.get() + 3_950_000_000L));
    }

    @Test
    void beforeAnyTimePassesTheEtaIsUnknownAndOvershootIsCapped() {
        Progress progress = Progress.start("x", 10, "it", out, nanos::get, false);
        assertTrue(progress.render(0, nanos.get()).endsWith("0/10 it  0.00 it/s  ETA ?"), progress.render(0, nanos.get()));
        assertTrue(progress.render(12, nanos.get() + 1_000_000_000L).startsWith("x 100% |████████████████████| 12/10 it"));
        assertTrue(progress.render(12, nanos.get() + 1_000_000_000L).endsWith("ETA 0:00"));
    }

    @Test
    void clockAndDurationFormats() {
        assertEquals("0:00", Progress.formatClock(0));
        assertEquals("0:01", Progress.formatClock(0.2));
        assertEquals("1:05", Progress.formatClock(65));
        assertEquals("59:59", Progress.formatClock(3599));
        assertEquals("1:00:00", Progress.formatClock(3599.5));
        assertEquals("27:46:40", Progress.formatClock(100_000));
        assertEquals("8.8 s", Progress.formatDuration(8.77));
        assertEquals("2:05", Progress.formatDuration(125));
        assertEquals("0.25", Progress.formatRate(0.25));
        assertEquals("312.4", Progress.formatRate(312.44));
    }

    @Test
    void logModePrintsEveryTenPercentOrTenSecondsThenASummary() {
        Progress progress = Progress.start("train", 100, "steps", out, nanos::get, false);
        at(1);
        progress.advance(5);   // first report
        at(2);
        progress.advance(3);   // same 10 % step, 1 s later: quiet
        at(3);
        progress.advance(4);   // 12 %: a new step
        at(14);
        progress.advance(1);   // same step, but 11 s since the last line
        at(15);
        progress.advance(1);   // quiet
        at(20);
        progress.advance(86);  // 100 %: left to the summary
        progress.close();
        progress.close();      // only one summary

        List<String> lines = printed().lines().toList();
        assertEquals(List.of(
                "train   5% |█                   | 5/100 steps  5.0 steps/s  ETA 0:19",
                "train  12% |██▍                 | 12/100 steps  4.0 steps/s  ETA 0:22",
                "train  13% |██▌                 | 13/100 steps  0.93 steps/s  ETA 1:34",
                "train  100 steps in 20.0 s (5.0 steps/s)"), lines);
        assertTrue(printed().indexOf('\r') < 0, "log mode must not redraw");
    }

    @Test
    void terminalModeRedrawsInPlaceAtMostTenTimesASecond() {
        Progress progress = Progress.start("embedding", 1000, "texts", out, nanos::get, true);
        for (int i = 1; i <= 100; i++) {
            at(i * 0.01);      // 100 advances over one second
            progress.advance(10);
        }
        at(1.0);
        progress.close();
        String text = printed();
        List<String> frames = new ArrayList<>(List.of(text.split("\r", -1)));
        assertEquals("", frames.remove(0));
        // The initial frame, at most 10 redraws in one second, and the summary.
        assertTrue(frames.size() >= 3 && frames.size() <= 12, frames.size() + " frames: " + frames);
        assertTrue(frames.get(0).startsWith("embedding   0% |"), frames.get(0));
        String last = frames.get(frames.size() - 1);
        assertTrue(last.endsWith("\n") && !frames.get(frames.size() - 2).contains("\n"));
        // The summary is shorter than the bar line, so it is padded to wipe it out.
        assertEquals("embedding  1000 texts in 1.0 s (1000.0 texts/s)", last.strip());
        assertEquals(frames.get(frames.size() - 2).length(), last.length() - 1);
    }

    @Test
    void advanceIsThreadSafe() throws Exception {
        Progress progress = Progress.start("parallel", 80_000, "items", out, System::nanoTime, false);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    progress.advance(1);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        progress.close();
        assertEquals(80_000, progress.done());
        List<String> lines = printed().lines().toList();
        // One line per 10 % step at most (0 % .. 90 %), then the summary; each line whole.
        assertTrue(lines.size() >= 2 && lines.size() <= 11, lines.toString());
        assertTrue(lines.get(lines.size() - 1).startsWith("parallel  80000 items in "), lines.toString());
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertTrue(line.matches("parallel +\\d+% \\|.{20}\\| \\d+/80000 items  [\\d.]+ items/s  ETA [\\d:?]+"), line);
        }
    }

    @Test
    void quietAndDisabledProgressPrintNothing() {
        PrintStream originalErr = System.err;
        System.setErr(out);
        try {
            Progress quiet = Progress.quiet();
            quiet.advance(5);
            quiet.close();
            assertEquals(5, quiet.done());

            Progress.setEnabled(false);
            Progress disabled = Progress.start("silent", 10, "x");
            disabled.advance(10);
            disabled.close();
            assertEquals(10, disabled.done());
        } finally {
            Progress.setEnabled(true);
            System.setErr(originalErr);
        }
        assertEquals("", printed());
    }
}
