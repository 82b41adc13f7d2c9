package org.glossa.tasks.charlm;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.glossa.models.charrnn.CharRnn;

/**
 * A recurrent state that lives from one batch (or generated token) to the next, outside the per-batch
 * native scopes: each new state is cut from the autograd graph, taken out of the scope it was made in, and
 * the previous one is freed at once rather than piling up until the garbage collector runs.
 */
final class CarriedState implements AutoCloseable {
    private CharRnn.State state;

    /** The current state, or null before the first {@link #set} (start from zeros). */
    CharRnn.State get() {
        return state;
    }

    /** Replaces the state with a detached copy of {@code next} (which may belong to the current scope). */
    void set(CharRnn.State next) {
        CharRnn.State detached = next.detach();
        own(detached.h());
        if (detached.c() != null) {
            own(detached.c());
        }
        close();
        state = detached;
    }

    /** Forgets the state: the next batch starts from zeros. */
    void reset() {
        close();
    }

    @Override
    public void close() {
        if (state != null) {
            state.h().releaseReference();
            if (state.c() != null) {
                state.c().releaseReference();
            }
            state = null;
        }
    }

    /** Takes one reference of our own and removes the tensor from its scope, which would free it on closing. */
    private static void own(Tensor tensor) {
        tensor.retainReference();
        PointerScope scope = PointerScope.getInnerScope();
        if (scope != null) {
            scope.detach(tensor);
        }
    }
}
