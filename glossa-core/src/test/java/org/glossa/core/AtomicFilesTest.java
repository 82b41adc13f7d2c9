package org.glossa.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles#createOnce}: the maker runs only while the target is incomplete, and a failed one leaves nothing. */
@Tag("unit")
class AtomicFilesTest {
    @TempDir Path temp;

    @Test
    void createOnceMakesTheTargetOnlyWhileItIsIncomplete() throws IOException {
        Path target = temp.resolve("models").resolve("reader");
        AtomicInteger runs = new AtomicInteger();
        AtomicFiles.PathWriter maker = dir -> {
            runs.incrementAndGet();
            AtomicFiles.writeDirectory(dir, partial -> Files.writeString(partial.resolve("done"), "yes"));
        };
        AtomicFiles.createOnce(target, d -> Files.isRegularFile(d.resolve("done")), maker);
        assertEquals(1, runs.get());
        assertEquals("yes", Files.readString(target.resolve("done")));
        assertTrue(Files.exists(temp.resolve("models").resolve(".reader.lock")), "the lock file sits beside the target");

        AtomicFiles.createOnce(target, d -> Files.isRegularFile(d.resolve("done")), maker);
        assertEquals(1, runs.get(), "complete: the maker does not run again");

        // A maker that fails: its error reaches the caller and no half-made target stays behind.
        Path other = temp.resolve("models").resolve("other");
        GlossaException e = assertThrows(GlossaException.class, () -> AtomicFiles.createOnce(other, Files::isDirectory,
                dir -> AtomicFiles.writeDirectory(dir, partial -> {
                    Files.writeString(partial.resolve("half"), "x");
                    throw new IOException("disk full");
                })));
        assertTrue(e.getMessage().startsWith("cannot write " + other) && e.getMessage().contains("disk full"), e.getMessage());
        assertFalse(Files.exists(other));
    }
}
