package org.glossa.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A tree of named parameters, the way PyTorch's {@code nn.Module} names them: a parameter registered as
 * {@code weight} in a child registered as {@code query} of a child {@code self} is called
 * {@code self.query.weight}. Model families build their blocks from this class so that the dotted names
 * are exactly HuggingFace's and checkpoints move between Glossa and Python unchanged.
 *
 * <p>Parameters are plain libtorch tensors owned by the module (created outside any native-memory scope
 * and retained), so forward passes can run inside per-batch scopes without freeing the weights.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training;

    /** Registers a new fp32 parameter of this shape, zero-initialised; initialisers fill it later. */
    protected final Tensor parameter(String name, long... shape) {
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalStateException("duplicate name '" + name + "' in " + getClass().getSimpleName());
        }
        Engine.init();
        Tensor tensor = torch.zeros(shape);
        // A module outlives the per-batch scopes that forward passes run in: keep its tensors out of them.
        // detach() releases the scope's reference, so take one of our own first; the garbage collector
        // frees the tensor once the module is unreachable.
        PointerScope scope = PointerScope.getInnerScope();
        if (scope != null) {
            tensor.retainReference();
            scope.detach(tensor);
        }
        parameters.put(name, tensor);
        return tensor;
    }

    /** Registers a child module under {@code name} and returns it. */
    protected final <M extends Module> M child(String name, M module) {
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalStateException("duplicate name '" + name + "' in " + getClass().getSimpleName());
        }
        children.put(name, module);
        return module;
    }

    /** Every parameter of this module and its descendants, by dotted name, in registration order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        parameters.forEach((name, tensor) -> out.put(prefix + name, tensor));
        children.forEach((name, module) -> module.collect(prefix + name + ".", out));
    }

    /** The parameters as a list, e.g. to hand to an optimizer. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Total number of scalar parameters. */
    public final long parameterCount() {
        long total = 0;
        for (Tensor tensor : namedParameters().values()) {
            total += tensor.numel();
        }
        return total;
    }

    /**
     * Turns gradient tracking on or off for every parameter (libtorch's {@code requires_grad}). Parameters
     * are created without it, which is what inference wants; optimizers turn it on for what they train.
     */
    public final void requiresGrad(boolean on) {
        namedParameters().values().forEach(tensor -> tensor.set_requires_grad(on));
    }

    /** Switches dropout (and anything else mode-dependent) on or off for this module and its children. */
    public final void train(boolean on) {
        training = on;
        children.values().forEach(child -> child.train(on));
    }

    public final boolean isTraining() {
        return training;
    }
}
