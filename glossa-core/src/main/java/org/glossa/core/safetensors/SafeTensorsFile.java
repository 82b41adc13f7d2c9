package org.glossa.core.safetensors;

import org.glossa.core.GlossaException;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An open safetensors file: its validated header and a read-only memory mapping of its data section.
 * {@link #get} hands out zero-copy slices of the mapping, so a model's weights are paged in from disk
 * only as they are read and never sit twice in memory.
 *
 * <p>Obtained from {@link SafeTensors#open}. Thread-safe: it never changes after opening.
 *
 * <p>The JDK cannot unmap a file safely while buffers may still point into it, so {@link #close}
 * only stops further reads through this object; the mapping itself goes away once no {@link TensorData}
 * from it is reachable. (On Linux, replacing the file meanwhile is fine: the mapping keeps the old one.)
 */
public final class SafeTensorsFile implements AutoCloseable {
    /** A mapped stretch of the data section, {@code [begin, end)} in data-section offsets. */
    record Segment(long begin, long end, ByteBuffer buffer) {
        boolean holds(TensorInfo info) {
            return begin <= info.begin() && info.end() <= end;
        }
    }

    private final Path file;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;
    private final List<Segment> segments;
    private volatile boolean closed;

    SafeTensorsFile(Path file, Map<String, TensorInfo> tensors, Map<String, String> metadata, List<Segment> segments) {
        this.file = file;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.segments = List.copyOf(segments);
    }

    /** The file this was opened from. */
    public Path path() {
        return file;
    }

    /** Tensor names in the order their bytes appear in the file. */
    public Set<String> names() {
        return tensors.keySet();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The header's {@code __metadata__} map (empty when the file has none), in header order. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Header information about one tensor; fails with a {@link GlossaException} naming the tensor if absent. */
    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new GlossaException(file + ": no tensor named '" + name + "' (the file has " + tensors.size() + " tensors)");
        }
        return info;
    }

    /** The tensor's contents: a read-only, little-endian slice of the file mapping (no copy). */
    public TensorData get(String name) {
        if (closed) {
            throw new IllegalStateException(file + " is closed");
        }
        TensorInfo info = info(name);
        for (Segment segment : segments) {
            if (segment.holds(info)) {
                int offset = Math.toIntExact(info.begin() - segment.begin());
                int length = Math.toIntExact(info.byteSize());
                return new TensorData(info.dtype(), info.shape(), segment.buffer().slice(offset, length));
            }
        }
        // Only a tensor too large for one Java buffer has no segment.
        throw new GlossaException(file + ": tensor '" + name + "' is " + info.byteSize()
                + " bytes, more than a Java buffer can hold (" + Integer.MAX_VALUE + ")");
    }

    /** Every tensor, in file order (each a zero-copy slice, as from {@link #get}). */
    public Map<String, TensorData> getAll() {
        Map<String, TensorData> all = new LinkedHashMap<>();
        for (String name : tensors.keySet()) {
            all.put(name, get(name));
        }
        return all;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "SafeTensorsFile[" + file + ", " + tensors.size() + " tensors]";
    }
}
