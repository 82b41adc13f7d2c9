package org.glossa.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Predicate;

/**
 * Writes files and directories so that readers never see half of them: the content goes to a
 * temporary sibling first, which is renamed over the target only once it is complete.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Something that writes to a path and may fail with an I/O error. */
    @FunctionalInterface
    public interface PathWriter {
        void write(Path temporary) throws IOException;
    }

    /** Writes {@code target} through {@code writer}, which receives a temporary path in the same directory. */
    public static void write(Path target, PathWriter writer) {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Path temporary = directory.resolve("." + absolute.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(directory);
            writer.write(temporary);
            move(temporary, absolute);
        } catch (IOException e) {
            deleteRecursively(temporary);
            throw new GlossaException("cannot write " + target + ": " + describe(e), e);
        } catch (RuntimeException e) {
            deleteRecursively(temporary);
            throw e;
        }
    }

    /** Writes a whole directory: {@code writer} fills a temporary directory that then replaces {@code target}. */
    public static void writeDirectory(Path target, PathWriter writer) {
        write(target, temporary -> {
            Files.createDirectories(temporary);
            writer.write(temporary);
            if (Files.exists(target.toAbsolutePath())) {
                deleteRecursively(target.toAbsolutePath());
            }
        });
    }

    /**
     * Runs {@code maker} to create {@code target} unless {@code complete} already holds for it. Processes doing the
     * same wait on each other on a lock file beside the target and check again once they hold it, so the maker runs
     * once; it should make the target appear atomically (e.g. with {@link #writeDirectory}). Threads of one JVM must
     * not call this for the same target at once (file locks belong to the JVM): callers are {@code synchronized}.
     */
    public static void createOnce(Path target, Predicate<Path> complete, PathWriter maker) throws IOException {
        if (complete.test(target)) {
            return;
        }
        Path absolute = target.toAbsolutePath();
        Path lockFile = absolute.resolveSibling("." + absolute.getFileName() + ".lock");
        Files.createDirectories(absolute.getParent());
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            if (!complete.test(target)) { // another process may have finished while we waited
                maker.write(target);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a file or a directory tree; missing paths are ignored. */
    public static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a leftover temporary file is harmless and named as such.
        }
    }

    /** A one-line description of an I/O error that names the file when the JDK's message does not. */
    public static String describe(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        String message = e.getMessage();
        return message == null ? kind : switch (kind) {
            case "NoSuchFile" -> "no such file: " + message;
            case "AccessDenied" -> "permission denied: " + message;
            case "NotDirectory" -> "not a directory: " + message;
            default -> message;
        };
    }
}
