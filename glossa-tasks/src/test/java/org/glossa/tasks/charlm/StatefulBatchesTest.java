package org.glossa.tasks.charlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class StatefulBatchesTest {
    /** Token i has id i, so a window's ids say where in the text it was cut from. */
    private static int[] positions(int n) {
        int[] ids = new int[n];
        Arrays.setAll(ids, i -> i);
        return ids;
    }

    private static long[] row(long[] flat, int b, int window) {
        return Arrays.copyOfRange(flat, b * window, (b + 1) * window);
    }

    @Test
    void streamBsNextWindowContinuesItsLastOne() {
        int n = 1000;
        int streams = 4;
        int window = 10;
        StatefulBatches data = new StatefulBatches(positions(n), streams, window, 1);
        // (1000 − 10) / 4 = 247 tokens per stream, 24 full windows each.
        assertEquals(247, data.streamLength());
        assertEquals(24, data.batchesPerEpoch());
        for (long t = 0; t + 1 < data.batchesPerEpoch(); t++) {
            StatefulBatches.Batch now = data.batch(0, t);
            StatefulBatches.Batch next = data.batch(0, t + 1);
            assertEquals(t == 0, now.startsEpoch());
            for (int b = 0; b < streams; b++) {
                long[] in = row(now.inputs(), b, window);
                long[] target = row(now.targets(), b, window);
                long[] nextIn = row(next.inputs(), b, window);
                for (int i = 0; i < window; i++) {
                    assertEquals(in[i] + 1, target[i], "targets are the inputs shifted by one");
                    assertEquals(in[0] + i, in[i], "a row is a contiguous piece of the text");
                }
                assertEquals(target[window - 1], nextIn[0], "window t+1 starts where window t's targets end");
                assertEquals(in[window - 1] + 1, nextIn[0], "stream " + b + " continues");
                assertEquals((long) b * data.streamLength() + t * window, in[0], "stream " + b + " starts at b · length");
            }
        }
    }

    @Test
    void laterEpochsShiftTheCutsAndStayInsideTheText() {
        int n = 503;
        StatefulBatches data = new StatefulBatches(positions(n), 3, 7, 42);
        boolean shifted = false;
        for (long epoch = 0; epoch < 20; epoch++) {
            int shift = data.shift(epoch);
            assertTrue(shift >= 0 && shift < 7);
            shifted |= shift != 0;
            for (long t = 0; t < data.batchesPerEpoch(); t++) {
                StatefulBatches.Batch batch = data.batch(epoch, t);
                assertEquals(shift + t * 7, batch.inputs()[0]);
                for (long target : batch.targets()) {
                    assertTrue(target < n);
                }
            }
        }
        assertEquals(0, data.shift(0));
        assertTrue(shifted, "no epoch moved the windows");
        // A pure function of (epoch, index): asked again, or by a second instance, the same batch.
        StatefulBatches again = new StatefulBatches(positions(n), 3, 7, 42);
        assertArrayEquals(data.batch(5, 3).inputs(), again.batch(5, 3).inputs());
        assertNotEquals(data.shift(1) * 1000 + data.shift(2), new StatefulBatches(positions(n), 3, 7, 43).shift(1) * 1000
                + new StatefulBatches(positions(n), 3, 7, 43).shift(2), "the seed has no effect on the shifts");
        assertFalse(data.batch(3, 1).startsEpoch());
        assertEquals(21, data.tokens(data.batch(0, 0)));
    }

    @Test
    void tooShortATextIsExplained() {
        GlossaException e = assertThrows(GlossaException.class, () -> new StatefulBatches(positions(100), 64, 100, 0));
        assertEquals("the training text has 100 tokens, too few for 64 streams of 100-token windows (at least 6500 needed):"
                + " use a longer corpus, or a smaller --batch-size or --seq-length", e.getMessage());
        // Exactly the minimum works and gives one batch.
        assertEquals(1, new StatefulBatches(positions(6500), 64, 100, 0).batchesPerEpoch());
    }
}
