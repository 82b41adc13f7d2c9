package org.glossa.nn;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * A tensor carried from one {@link NativeScope} to the next and replaced as it goes: the key/value cache of a
 * decoder, the hidden state of a recurrent one. Each step runs in its own scope; {@link #set} takes the new value
 * out of that scope and frees the previous value at once, so a loop of many steps holds one value at a time
 * instead of piling every step's copy up in an enclosing scope. {@link #close} frees the last value.
 */
public final class CarriedTensor implements AutoCloseable {
    private Tensor value;

    /** Starts with {@code initial} (may be null for "nothing yet"). */
    public CarriedTensor(Tensor initial) {
        set(initial);
    }

    /** The current value, or null. */
    public Tensor get() {
        return value;
    }

    /** Replaces the value: {@code next} now lives until the next {@code set} or {@code close}; the old one is freed. */
    public void set(Tensor next) {
        Tensor handle = null;
        if (next != null) {
            // A handle of our own (the C++ copy, which shares the data): the tensor we are given may be a view into
            // a native object that dies with its scope, such as the element of a tuple libtorch returned. The new
            // handle belongs to the innermost scope; take our own reference and drop the scope's, so that it lives
            // exactly as long as we hold it.
            handle = new Tensor(next);
            handle.retainReference();
            PointerScope scope = PointerScope.getInnerScope();
            if (scope != null) {
                scope.detach(handle);
            }
        }
        Tensor previous = value;
        value = handle;
        if (previous != null) {
            previous.releaseReference();
        }
    }

    @Override
    public void close() {
        set(null);
    }
}
