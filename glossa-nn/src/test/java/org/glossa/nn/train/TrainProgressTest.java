package org.glossa.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The live line, with a fake clock. */
@Tag("unit")
class TrainProgressTest {
    @Test
    void showsStepsLossRateThroughputAndEta() {
        AtomicLong clock = new AtomicLong();
        TrainProgress progress = new TrainProgress(null, true, clock::get, 1000, 0);
        clock.set(30_000_000_000L); // 370 steps in 30 s: 630 more take 51.08 s
        assertEquals("train  37% |#######             | 370/1000 steps  loss 1.8423  lr 3.00e-04  12.3k tok/s  ETA 0:52",
                progress.render(370, 1.84231, 3e-4, 12_345, clock.get()));
    }

    @Test
    void etaCountsOnlyTheStepsOfThisSessionAfterAResume() {
        AtomicLong clock = new AtomicLong();
        TrainProgress progress = new TrainProgress(null, true, clock::get, 200, 100);
        clock.set(10_000_000_000L); // 50 steps in 10 s since the resume at 100: 50 more take 10 s
        String line = progress.render(150, 2.0, 1e-3, 0, clock.get());
        assertTrue(line.endsWith("ETA 0:10"), line);
        assertTrue(!line.contains("tok/s"), "no throughput when tokens are not counted: " + line);
    }

    @Test
    void redrawsInPlaceOnATerminalAndPrintsMessagesAboveTheLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        try (TrainProgress progress = new TrainProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, clock::get, 10, 0)) {
            progress.update(1, 3.0, 1e-3, 0);
            clock.addAndGet(50_000_000L);
            progress.update(2, 2.5, 1e-3, 0);        // within 0.1 s of the last draw: skipped
            clock.addAndGet(100_000_000L);
            progress.update(3, 2.0, 1e-3, 0);
            progress.println("step 3: val_loss 1.9000");
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\rtrain  10% |##"), out);
        assertTrue(!out.contains(" 2/10 steps"), out);
        assertTrue(out.contains("\rtrain  30% |######              | 3/10 steps  loss 2.0000"), out);
        assertTrue(out.contains("\rstep 3: val_loss 1.9000"), out);
        assertTrue(out.endsWith("\n"), "the line is closed at the end");
    }

    @Test
    void formats() {
        assertEquals("950", TrainProgress.count(950));
        assertEquals("12.3k", TrainProgress.count(12_345));
        assertEquals("4.57M", TrainProgress.count(4_567_000));
        assertEquals("1:01:01", TrainProgress.clock(3661));
        assertEquals("0:00", TrainProgress.clock(0));
    }
}
