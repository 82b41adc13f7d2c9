package org.glossa.nn;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * Frees the native memory of every tensor created inside it when it closes.
 *
 * <p>libtorch tensors live outside the Java heap, and the garbage collector neither sees their size nor
 * runs soon enough: without scopes a training loop or a server runs out of memory. Open one scope per
 * batch or request, and {@link #keep} what must outlive it (the loss you report, the output you return):
 *
 * <pre>{@code
 * for (Batch batch : batches) {
 *     try (NativeScope scope = new NativeScope()) {
 *         Tensor logits = model.forward(batch.ids());      // (B, T, V), freed at the end of the block
 *         Tensor loss = cross_entropy(logits, batch.labels());
 *         loss.backward();
 *         optimizer.step();
 *         lastLoss = loss.item_float();                     // a Java value: nothing to keep
 *     }
 * }
 *
 * Tensor embed(String text) {
 *     try (NativeScope scope = new NativeScope()) {
 *         ...
 *         return scope.keep(pooled);                        // (B, C) survives, handed to the caller
 *     }
 * }
 * }</pre>
 *
 * <p>Scopes nest: a kept tensor moves to the enclosing scope and is freed when that one closes; with no
 * enclosing scope it lives until {@code tensor.close()} or until the garbage collector finds it unreachable.
 * Long-lived tensors (model weights) should be created outside any scope, or kept. Scopes are per thread
 * (a tensor attaches to the innermost scope of the thread that created it) and must be closed on that thread.
 */
public final class NativeScope implements AutoCloseable {
    private final PointerScope outer;
    private final PointerScope scope;

    public NativeScope() {
        outer = PointerScope.getInnerScope();
        scope = new PointerScope();
    }

    /**
     * Lets {@code pointer} (a tensor created inside this scope) outlive it: it moves to the enclosing
     * scope if there is one, else it is left to the caller. Returns its argument, for {@code return scope.keep(x)}.
     */
    public <P extends Pointer> P keep(P pointer) {
        // One extra reference: this scope's close() releases its own, the other one stays.
        if (outer != null) {
            outer.attach(pointer);
        } else {
            pointer.retainReference();
        }
        return pointer;
    }

    /** Frees every tensor created inside this scope and not kept. */
    @Override
    public void close() {
        scope.close();
    }
}
