package org.glossa.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** A lookup table: {@code weight} (count, dim); ids (...) → vectors (..., dim). */
public final class Embedding extends Module {
    public final Tensor weight;

    public Embedding(long count, long dim, double initStd) {
        weight = parameter("weight", count, dim);
        torch.normal_(weight, 0.0, initStd);
    }

    /** ids: int64 (...) → (..., dim) */
    public Tensor forward(Tensor ids) {
        return Ops.embedding(weight, ids);
    }
}
