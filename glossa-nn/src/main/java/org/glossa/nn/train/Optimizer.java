package org.glossa.nn.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.glossa.core.safetensors.DType;
import org.glossa.core.safetensors.SafeTensors;
import org.glossa.core.safetensors.SafeTensorsFile;
import org.glossa.core.safetensors.TensorData;
import org.glossa.nn.DTypes;
import org.glossa.nn.Engine;
import org.glossa.nn.Tensors;

/**
 * Updates named parameters from their gradients, keeping per-parameter state (moments, momentum) that can
 * be saved and loaded exactly, so that a resumed run continues bit for bit.
 *
 * <p>The update rules are written with in-place libtorch ops under no-grad, one parameter at a time, the way
 * PyTorch's single-tensor optimizers do (the presets' own optimizers neither expose their state for
 * safetensors nor let us decide decay by parameter name). As in PyTorch, a parameter without a gradient
 * in a step is left alone (its state and its step count do not advance), and every parameter keeps its
 * own step count for bias correction.
 *
 * <p>State is stored as {@code <slot>/<parameter name>} (e.g. {@code exp_avg/encoder.layer.0.output.dense.weight})
 * plus {@code step/<parameter name>} (int64, shape [1]); the file's metadata names the optimizer.
 */
public abstract class Optimizer {
    /** Metadata key naming the optimizer in a saved state file. */
    public static final String KIND_KEY = "optimizer";

    /** One trained parameter and its state. */
    protected static final class ParameterState {
        final String name;
        final Tensor value;
        /** The rule's state tensors, in the order of {@link #slotNames}, same shape as the parameter. */
        final Tensor[] slots;
        /** Updates applied to this parameter so far. */
        long steps;

        ParameterState(String name, Tensor value, Tensor[] slots) {
            this.name = name;
            this.value = value;
            this.slots = slots;
        }

        public String name() {
            return name;
        }
    }

    private final String kind;
    private final List<String> slotNames;
    private final List<ParameterState> states = new ArrayList<>();

    /**
     * @param kind the name saved with the state ({@code adamw}, {@code adam}, {@code sgd}): a checkpoint only loads into the same kind
     * @param parameters what to train, by name (gradient tracking is switched on for each)
     * @param slotNames the per-parameter state tensors of the update rule
     */
    protected Optimizer(String kind, Map<String, Tensor> parameters, List<String> slotNames) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("an optimizer needs at least one parameter");
        }
        Engine.init();
        this.kind = kind;
        this.slotNames = List.copyOf(slotNames);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            parameters.forEach((name, tensor) -> {
                tensor.set_requires_grad(true);
                Tensor[] slots = new Tensor[slotNames.size()];
                for (int i = 0; i < slots.length; i++) {
                    slots[i] = outlivingScopes(torch.zeros_like(tensor));
                }
                states.add(new ParameterState(name, tensor, slots));
            });
        }
    }

    /** The name saved with the state. */
    public final String kind() {
        return kind;
    }

    /** The trained parameters by name, in registration order. */
    public final Map<String, Tensor> parameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        states.forEach(state -> out.put(state.name, state.value));
        return Collections.unmodifiableMap(out);
    }

    /** The settings of the update rule (not the learning rate, which the schedule gives each step), for the record. */
    public abstract Map<String, Object> hyperparameters();

    /** Applies one update with learning rate {@code lr} to every parameter that has a gradient. */
    public final void step(double lr) {
        try (NoGradGuard noGrad = new NoGradGuard(); PointerScope scope = new PointerScope()) {
            for (ParameterState state : states) {
                Tensor grad = state.value.grad();
                if (!grad.defined()) {
                    continue;
                }
                state.steps++;
                update(state, grad, lr);
            }
        }
    }

    /** The rule itself, for one parameter: {@code state.steps} already counts this update. Runs under no-grad. */
    protected abstract void update(ParameterState state, Tensor grad, double lr);

    /** A state tensor of the parameter by slot index. */
    protected static Tensor slot(ParameterState state, int index) {
        return state.slots[index];
    }

    /** Drops every gradient (PyTorch's {@code zero_grad(set_to_none=True)}): the next backward starts afresh. */
    public final void zeroGrad() {
        for (ParameterState state : states) {
            Tensor grad = state.value.mutable_grad();
            if (grad.defined()) {
                grad.reset();
            }
        }
    }

    /** The step count of the parameter called {@code name} (updates applied to it). */
    public final long steps(String name) {
        return find(name).steps;
    }

    /** A copy of a state tensor as Java floats, e.g. {@code state("exp_avg", "dense.weight")}. */
    public final float[] state(String slot, String name) {
        int index = slotNames.indexOf(slot);
        if (index < 0) {
            throw new IllegalArgumentException(kind + " has no state '" + slot + "', only " + slotNames);
        }
        return Tensors.toFloats(find(name).slots[index]);
    }

    private ParameterState find(String name) {
        for (ParameterState state : states) {
            if (state.name.equals(name)) {
                return state;
            }
        }
        throw new IllegalArgumentException("the optimizer has no parameter '" + name + "'");
    }

    /** Writes the state (moments and step counts) to a safetensors file, atomically. */
    public final void saveState(Path file) {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (ParameterState state : states) {
            for (int i = 0; i < slotNames.size(); i++) {
                tensors.put(slotNames.get(i) + "/" + state.name, Tensors.toTensorData(state.slots[i]));
            }
            tensors.put("step/" + state.name, stepData(state.steps));
        }
        SafeTensors.write(file, tensors, Map.of(KIND_KEY, kind, "hyperparameters", hyperparametersJson()));
    }

    /**
     * Replaces the state with the one saved in {@code file}. The file must come from the same kind of
     * optimizer over parameters with the same names and shapes; anything else is a {@link GlossaException}
     * naming the difference, and leaves this optimizer unchanged.
     */
    public final void loadState(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new GlossaException(file + ": no such file");
        }
        try (SafeTensorsFile saved = SafeTensors.open(file)) {
            String savedKind = saved.metadata().get(KIND_KEY);
            if (!kind.equals(savedKind)) {
                throw new GlossaException(file + ": optimizer state of " + (savedKind == null ? "an unknown optimizer" : savedKind)
                        + ", but this run uses " + kind);
            }
            Set<String> expected = new TreeSet<>();
            for (ParameterState state : states) {
                slotNames.forEach(slot -> expected.add(slot + "/" + state.name));
                expected.add("step/" + state.name);
            }
            for (String name : expected) {
                if (!saved.contains(name)) {
                    throw new GlossaException(file + ": optimizer state '" + name + "' is missing (was the checkpoint made for another model?)");
                }
            }
            for (String name : saved.names()) {
                if (!expected.contains(name)) {
                    throw new GlossaException(file + ": unexpected optimizer state '" + name + "' (was the checkpoint made for another model?)");
                }
            }
            for (ParameterState state : states) {
                long[] want = Tensors.shape(state.value);
                for (String slot : slotNames) {
                    TensorData data = saved.get(slot + "/" + state.name);
                    if (!Arrays.equals(data.shape(), want) || data.dtype() != dtypeOf(state.value)) {
                        throw new GlossaException(file + ": optimizer state '" + slot + "/" + state.name + "' is "
                                + data.dtype() + " " + Arrays.toString(data.shape()) + " but the parameter is "
                                + dtypeOf(state.value) + " " + Arrays.toString(want));
                    }
                }
                TensorData step = saved.get("step/" + state.name);
                if (step.dtype() != DType.I64 || step.numel() != 1) {
                    throw new GlossaException(file + ": 'step/" + state.name + "' must be one int64");
                }
            }
            // Everything checked: now copy.
            try (NoGradGuard noGrad = new NoGradGuard(); PointerScope scope = new PointerScope()) {
                for (ParameterState state : states) {
                    for (int i = 0; i < slotNames.size(); i++) {
                        state.slots[i].copy_(Tensors.fromTensorData(saved.get(slotNames.get(i) + "/" + state.name)));
                    }
                    state.steps = saved.get("step/" + state.name).bytes().order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                }
            }
        }
    }

    private String hyperparametersJson() {
        return Json.line(hyperparameters());
    }

    private static TensorData stepData(long steps) {
        ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(0, steps);
        return new TensorData(DType.I64, new long[] {1}, bytes);
    }

    /** Keeps a state tensor out of any enclosing native scope: it lives as long as the optimizer. */
    private static Tensor outlivingScopes(Tensor tensor) {
        PointerScope scope = PointerScope.getInnerScope();
        if (scope != null) {
            tensor.retainReference();
            scope.detach(tensor);
        }
        return tensor;
    }

    private static DType dtypeOf(Tensor tensor) {
        return DTypes.fromScalarType(tensor.scalar_type());
    }
}
