package org.glossa.bench;

import java.util.function.Supplier;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.glossa.nn.Autocast;
import org.glossa.nn.Engine;
import org.glossa.nn.NativeScope;
import org.glossa.nn.Ops;

/**
 * Not a test: measures matrix-product throughput at a BERT shape (tokens × hidden × intermediate,
 * 4096 × 384 × 1536, i.e. a batch of 32 × 128 through MiniLM's feed-forward layer).
 *
 * <pre>bench/matmul-throughput.sh</pre>
 * Add {@code OPENBLAS_VERBOSE=2} to see the OpenBLAS kernel, {@code ONEDNN_VERBOSE=1} for oneDNN's.
 */
public final class MatmulThroughput {
    private static final long M = 4096;
    private static final long K = 384;
    private static final long N = 1536;

    private MatmulThroughput() {}

    public static void main(String[] args) {
        Engine.init();
        System.out.println(Engine.describe());
        torch.manual_seed(0);
        Tensor a = torch.randn(M, K);
        Tensor b = torch.randn(K, N);
        Tensor weight = torch.randn(N, K); // nn.Linear layout (out, in): linear computes a · weightᵀ
        Tensor a16 = a.to(ScalarType.BFloat16);
        Tensor b16 = b.to(ScalarType.BFloat16);
        Tensor weight16 = weight.to(ScalarType.BFloat16);

        report("fp32 matmul (OpenBLAS 1 thread)", () -> torch.matmul(a, b));
        report("fp32 linear (OpenBLAS 1 thread)", () -> Ops.linear(a, weight, null));
        report("bf16 matmul", () -> torch.matmul(a16, b16));
        report("bf16 linear", () -> Ops.linear(a16, weight16, null));
        report("fp32 linear under Autocast.bf16", () -> Autocast.bf16(() -> Ops.linear(a, weight, null)));
        // "medium" lets fp32 products run on oneDNN with bf16 inputs (fpmath bf16), fp32 in and out.
        torch.globalContext().setFloat32MatmulPrecision("medium");
        report("fp32 linear, matmul precision medium", () -> Ops.linear(a, weight, null));
        torch.globalContext().setFloat32MatmulPrecision("highest");

        int threads = Engine.threads();
        openblas.blas_set_num_threads(threads);
        report("fp32 matmul (OpenBLAS " + threads + " threads)", () -> torch.matmul(a, b));
        report("fp32 linear (OpenBLAS " + threads + " threads)", () -> Ops.linear(a, weight, null));
        openblas.blas_set_num_threads(1);
    }

    private static void report(String label, Supplier<Tensor> product) {
        for (int i = 0; i < 3; i++) {
            try (NativeScope scope = new NativeScope()) {
                product.get();
            }
        }
        int runs = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            try (NativeScope scope = new NativeScope()) {
                product.get();
            }
            runs++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < 2_000_000_000L || runs < 5);
        double seconds = elapsed / 1e9 / runs;
        double gflops = 2.0 * M * K * N / seconds / 1e9;
        System.out.printf("%-40s %8.2f ms  %7.1f GFLOP/s%n", label, seconds * 1e3, gflops);
    }
}
