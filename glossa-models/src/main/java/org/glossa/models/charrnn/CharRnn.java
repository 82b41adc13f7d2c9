package org.glossa.models.charrnn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.glossa.nn.Embedding;
import org.glossa.nn.Linear;
import org.glossa.nn.Module;
import org.glossa.nn.Weights;

/**
 * A recurrent language model over characters (or words), the model of the TensorFlow text-generation
 * tutorial and of Karpathy's char-rnn:
 *
 * <pre>
 * token ids (B, T) → embedding (B, T, E) → GRU or LSTM, N layers of H units (B, T, H) → dense (B, T, V) logits
 * </pre>
 *
 * The parameters are named and laid out as this PyTorch module's {@code state_dict()}, so a
 * {@code model.safetensors} written here loads there and back:
 *
 * <pre>
 * class CharRnn(nn.Module):
 *     def __init__(self, c):
 *         self.embedding = nn.Embedding(c.vocab_size, c.embedding_size)
 *         self.rnn = nn.GRU(c.embedding_size, c.hidden_size, c.num_layers, dropout=c.dropout, batch_first=True)  # or nn.LSTM
 *         self.dense = nn.Linear(c.hidden_size, c.vocab_size)
 * </pre>
 *
 * The recurrence is libtorch's own fused {@code at::gru} / {@code at::lstm} over weights this module owns,
 * so it is the very code {@code nn.GRU} runs on a CPU. Initialisation follows PyTorch's defaults too.
 */
public final class CharRnn {
    private CharRnn() {}

    /**
     * The recurrent state between calls: {@code h} (L, B, H), and for an LSTM the cell state {@code c}
     * (L, B, H); {@code c} is null for a GRU.
     */
    public record State(Tensor h, Tensor c) {
        /** The same values cut off from the autograd graph (truncated back-propagation through time). */
        public State detach() {
            return new State(h.detach(), c == null ? null : c.detach());
        }

        /** The state tensors by name ({@code h}, {@code c}), e.g. to save them. */
        public Map<String, Tensor> named() {
            return c == null ? Map.of("h", h) : Map.of("h", h, "c", c);
        }
    }

    /** What a forward pass returns: the next-token logits (B, T, V) and the state after the last position. */
    public record Output(Tensor logits, State state) {}

    /**
     * A stack of GRU or LSTM layers with PyTorch's parameter names ({@code weight_ih_l0}, {@code weight_hh_l0},
     * {@code bias_ih_l0}, {@code bias_hh_l0}, … per layer) and layouts: {@code weight_ih_lK} is (G·H, in), with
     * the gate blocks in PyTorch's order (r, z, n for a GRU; i, f, g, o for an LSTM).
     */
    public static final class Recurrent extends Module {
        private final CharRnnConfig config;
        private final List<Tensor> flatWeights = new ArrayList<>();

        Recurrent(CharRnnConfig config) {
            this.config = config;
            long h = config.hiddenSize();
            long rows = (long) config.gates() * h;
            // nn.GRU / nn.LSTM's reset_parameters(): every tensor uniform in ±1/√H.
            double bound = 1.0 / Math.sqrt(h);
            for (int layer = 0; layer < config.numLayers(); layer++) {
                long in = layer == 0 ? config.embeddingSize() : h;
                flatWeights.add(parameter("weight_ih_l" + layer, rows, in));
                flatWeights.add(parameter("weight_hh_l" + layer, rows, h));
                flatWeights.add(parameter("bias_ih_l" + layer, rows));
                flatWeights.add(parameter("bias_hh_l" + layer, rows));
            }
            for (Tensor weight : flatWeights) {
                torch.uniform_(weight, -bound, bound);
            }
        }

        /** The outputs of the last layer (B, T, H) and the state after the last position. */
        public record Result(Tensor outputs, State state) {}

        /** x (B, T, in), state → outputs of the last layer (B, T, H) and the state after position T−1. */
        public Result forward(Tensor x, State state) {
            // Dropout between layers only while training, as nn.GRU applies it.
            double dropout = isTraining() ? config.dropout() : 0.0;
            try (TensorVector weights = new TensorVector(flatWeights.toArray(new Tensor[0]))) {
                if (config.isLstm()) {
                    try (TensorVector hx = new TensorVector(state.h(), state.c())) {
                        T_TensorTensorTensor_T out = torch.lstm(x, hx, weights, true, config.numLayers(), dropout,
                                isTraining(), false, true);
                        return new Result(out.get0(), new State(out.get1(), out.get2()));
                    }
                }
                T_TensorTensor_T out = torch.gru(x, state.h(), weights, true, config.numLayers(), dropout,
                        isTraining(), false, true);
                return new Result(out.get0(), new State(out.get1(), null));
            }
        }
    }

    /** The whole model: {@code embedding}, {@code rnn}, {@code dense}. */
    public static final class Model extends Module {
        public final CharRnnConfig config;
        final Embedding embedding;
        final Recurrent rnn;
        final Linear dense;

        /** A freshly initialised model (draws from libtorch's default generator: seed it first). */
        public Model(CharRnnConfig config) {
            this.config = config;
            // nn.Embedding draws N(0, 1).
            embedding = child("embedding", new Embedding(config.vocabSize(), config.embeddingSize(), 1.0));
            rnn = child("rnn", new Recurrent(config));
            dense = child("dense", new Linear(config.hiddenSize(), config.vocabSize(), 1.0));
            // nn.Linear's reset_parameters(): kaiming_uniform(a=√5) for the weight, i.e. U(±1/√in), and the same bound for the bias.
            double bound = 1.0 / Math.sqrt(config.hiddenSize());
            try (NoGradGuard noGrad = new NoGradGuard()) {
                torch.uniform_(dense.weight, -bound, bound);
                torch.uniform_(dense.bias, -bound, bound);
            }
        }

        /** Loads a model directory: {@code config.json} and {@code model.safetensors} (strictly, by name and shape). */
        public static Model load(Path modelDir) {
            CharRnnConfig config = CharRnnConfig.read(modelDir);
            Model model = new Model(config);
            Weights.load(model, modelDir.resolve("model.safetensors"), "", Set.of());
            model.train(false);
            return model;
        }

        /** Writes {@code config.json} and {@code model.safetensors} (the vocabulary is the caller's). */
        public void save(Path modelDir) {
            config.write(modelDir);
            Weights.save(this, modelDir.resolve("model.safetensors"), Map.of("format", "pt"));
        }

        /** Zeros, the state before the first token: (L, B, H), and the same for an LSTM's cell state. */
        public State initialState(long batch) {
            long[] shape = {config.numLayers(), batch, config.hiddenSize()};
            return new State(torch.zeros(shape), config.isLstm() ? torch.zeros(shape) : null);
        }

        /**
         * @param ids int64 (B, T) token ids
         * @param state the state after the previous tokens of each row, or null to start from zeros
         * @return logits (B, T, V) for the token after each position, and the state after the last one
         */
        public Output forward(Tensor ids, State state) {
            if (ids.dim() != 2) {
                throw new IllegalArgumentException("ids must be (batch, length), got " + ids.dim() + " dims");
            }
            long batch = ids.size(0);
            if (state == null) {
                state = initialState(batch);
            } else if (state.h().size(1) != batch || state.h().size(0) != config.numLayers()
                    || state.h().size(2) != config.hiddenSize() || (state.c() == null) == config.isLstm()) {
                throw new GlossaException("recurrent state of shape " + Arrays.toString(state.h().sizes().vec().get())
                        + (state.c() == null ? "" : " with a cell state") + " does not fit a " + config.cellType()
                        + " of " + config.numLayers() + " layers, " + config.hiddenSize() + " units and a batch of " + batch);
            }
            Tensor x = embedding.forward(ids); // (B, T, E)
            Recurrent.Result recurrent = rnn.forward(x, state); // (B, T, H)
            return new Output(dense.forward(recurrent.outputs()), recurrent.state()); // (B, T, V)
        }
    }
}
