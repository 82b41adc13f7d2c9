package org.glossa.nn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The program the engine tests run in a child JVM: starts the engine, multiplies two small matrices and
 * prints what the parent checks. Lines: {@code MATMUL a b c d}, {@code THREADS intra interop openblas},
 * and {@code MAPPED path} for every libtorch file mapped into the process.
 */
public final class EngineSmokeMain {
    private EngineSmokeMain() {}

    public static void main(String[] args) throws Exception {
        Engine.init();
        Tensor a = Tensors.fromFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensors.fromFloats(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
        float[] product = Tensors.toFloats(torch.matmul(a, b));
        StringBuilder line = new StringBuilder("MATMUL");
        for (float value : product) {
            line.append(' ').append(value);
        }
        System.out.println(line);
        System.out.println("THREADS " + torch.get_num_threads() + " " + torch.get_num_interop_threads() + " "
                + openblas.blas_get_num_threads());
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            maps.filter(entry -> entry.contains("/libtorch") || entry.contains("/libc10"))
                    .map(entry -> entry.substring(entry.indexOf('/')))
                    .distinct()
                    .forEach(path -> System.out.println("MAPPED " + path));
        }
    }
}
