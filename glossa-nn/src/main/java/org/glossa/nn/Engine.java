package org.glossa.nn;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;

/**
 * Starts libtorch (PyTorch's C++ core, through the JavaCPP presets) and sizes its thread pools.
 *
 * <p>Call {@link #init()} before any {@code org.bytedeco.pytorch} call; it is cheap after the first time.
 *
 * <h2>Why the native libraries are loaded by hand</h2>
 * JavaCPP extracts the libraries from the {@code org.bytedeco:pytorch} jar into its cache
 * ({@code ~/.javacpp/cache}, or {@code -Dorg.bytedeco.javacpp.cachedir}) one at a time, as it loads them,
 * in the preset's link order {@code c10, torch, torch_cpu}. {@code libtorch.so} needs {@code libtorch_cpu.so}
 * and finds it through its RUNPATH {@code $ORIGIN}; on a cold start (empty cache) {@code libtorch_cpu.so} is
 * not extracted yet, so the dynamic loader falls back to the linker cache, and when a distribution installed
 * its own libtorch there (Debian's {@code python3-torch} puts {@code libtorch_cpu.so} 1.13 in
 * {@code /usr/lib/x86_64-linux-gnu}) that one is loaded next to our 2.10 {@code libc10.so} and the JVM dies
 * in its static initialisers. Warm starts work because {@code $ORIGIN} then holds the file. A directory on
 * {@code LD_LIBRARY_PATH} holding a libtorch breaks even warm starts, as it is searched before RUNPATH.
 *
 * <p>So we load the libraries ourselves, by absolute path, from the jar, in dependency order
 * (OpenBLAS and libgomp, then c10 → torch_cpu → torch) before JavaCPP loads its JNI glue. Each library's
 * {@code NEEDED} entries then name sonames that are already loaded, and the dynamic loader never searches.
 * Afterwards we check in {@code /proc/self/maps} that no other copy of libtorch got mapped.
 */
public final class Engine {
    /** System property with the size of libtorch's intra-op pool; outranks {@link #THREADS_ENV}. */
    public static final String THREADS_PROPERTY = "glossa.threads";
    /** Environment variable with the size of libtorch's intra-op pool. */
    public static final String THREADS_ENV = "GLOSSA_THREADS";
    /**
     * Diagnostic switch, not for users: when "true", {@link #init()} lets JavaCPP load libtorch its own way.
     * The tests use it to show that a conflicting libtorch really is picked up without our load order.
     */
    static final String PLAIN_LOAD_PROPERTY = "glossa.engine.plainLoad";

    /** The libraries of the pytorch jar that we load ourselves, in dependency order, with JavaCPP's names. */
    private static final List<String[]> TORCH_LIBRARIES = List.of(
            new String[] {"libgomp.so.1", "gomp@.1"},
            new String[] {"libc10.so", "c10"},
            new String[] {"libtorch_cpu.so", "torch_cpu"},
            new String[] {"libtorch.so", "torch"});

    private static volatile boolean initialized;
    private static int threads;

    private Engine() {}

    /** Loads libtorch and sets the thread pools; idempotent and thread-safe. */
    public static void init() {
        if (initialized) {
            return;
        }
        synchronized (Engine.class) {
            if (initialized) {
                return;
            }
            int wanted = configuredThreads();
            loadNativeLibraries();
            configureThreads(wanted);
            threads = wanted;
            initialized = true;
        }
    }

    /** The intra-op thread count init() configured. */
    public static int threads() {
        init();
        return threads;
    }

    /** Threads from {@code -Dglossa.threads}, else {@code GLOSSA_THREADS}, else every available processor. */
    static int configuredThreads() {
        String property = System.getProperty(THREADS_PROPERTY);
        if (property != null && !property.isBlank()) {
            return parseThreads(property, "system property " + THREADS_PROPERTY);
        }
        String env = System.getenv(THREADS_ENV);
        if (env != null && !env.isBlank()) {
            return parseThreads(env, "environment variable " + THREADS_ENV);
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static int parseThreads(String value, String source) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new GlossaException(source + ": expected a positive number of threads, got '" + value + "'");
    }

    private static void loadNativeLibraries() {
        // This build of libtorch is CPU-only. Without a platform extension JavaCPP also tries the "-gpu"
        // variant, and that preloads whatever CUDA runtime it finds under /usr/local/cuda: not ours.
        if (System.getProperty("org.bytedeco.javacpp.platform.extension") == null) {
            System.setProperty("org.bytedeco.javacpp.platform.extension", "");
        }
        try {
            // OpenBLAS (and libgcc_s, libquadmath, libgfortran) from the openblas jar: libtorch_cpu needs it.
            Loader.load(openblas.class);
            // With -Dorg.bytedeco.javacpp.loadLibraries=false the application loads the libraries itself.
            if (Loader.isLoadLibraries() && !Boolean.getBoolean(PLAIN_LOAD_PROPERTY)) {
                String dir = "/org/bytedeco/pytorch/" + Loader.getPlatform() + "/";
                for (String[] library : TORCH_LIBRARIES) {
                    loadFromJar(dir + library[0], library[1]);
                }
            }
            Loader.load(torch.class);
        } catch (UnsatisfiedLinkError e) {
            throw new GlossaException("libtorch failed to load: " + firstLine(e.getMessage()), e);
        }
        checkNoForeignLibtorch();
    }

    /** Extracts one library from its jar into the JavaCPP cache and loads it by absolute path. */
    private static void loadFromJar(String resource, String javacppName) {
        URL url = torch.class.getResource(resource);
        if (url == null) {
            throw new GlossaException("libtorch: " + resource + " is not on the classpath"
                    + " (the org.bytedeco:pytorch jar for " + Loader.getPlatform() + " is missing)");
        }
        // The trailing '#' tells JavaCPP not to fall back to System.loadLibrary(), which searches
        // java.library.path (/usr/lib/...) and could pick a system copy. It registers the library under
        // javacppName, so Loader.load(torch.class) later knows it is loaded and skips it.
        String loaded = Loader.loadLibrary(torch.class, new URL[] {url}, javacppName + "#");
        if (loaded == null) {
            // JavaCPP swallowed the reason; loading the cached file again reproduces it.
            try {
                System.load(Loader.cacheResource(url).getAbsolutePath());
            } catch (UnsatisfiedLinkError | IOException e) {
                throw new GlossaException("libtorch: cannot load " + resource + ": " + firstLine(e.getMessage()), e);
            }
        }
    }

    /**
     * Fails when a libtorch library other than the ones JavaCPP loaded from our jars is mapped into this
     * process, as mixing versions crashes later in places far from the cause. Linux only (reads /proc).
     */
    private static void checkNoForeignLibtorch() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return;
        }
        Set<String> ours = new HashSet<>();
        for (String path : Loader.getLoadedLibraries().values()) {
            ours.add(canonical(path));
        }
        try (Stream<String> lines = Files.lines(maps)) {
            List<String> foreign = new ArrayList<>();
            lines.map(line -> line.indexOf('/') >= 0 ? line.substring(line.indexOf('/')) : "")
                    .filter(path -> isLibtorchFile(new File(path).getName()))
                    .distinct()
                    .filter(path -> !ours.contains(canonical(path)))
                    .forEach(foreign::add);
            if (!foreign.isEmpty()) {
                throw new GlossaException("libtorch: a second copy is loaded from outside the JavaCPP cache: "
                        + String.join(", ", foreign));
            }
        } catch (IOException e) {
            // Without /proc we cannot check; loading went through our own paths anyway.
        }
    }

    private static boolean isLibtorchFile(String name) {
        return name.startsWith("libc10") || name.startsWith("libtorch") || name.startsWith("libjnitorch");
    }

    private static String canonical(String path) {
        try {
            return new File(path).getCanonicalPath();
        } catch (IOException e) {
            return path;
        }
    }

    private static void configureThreads(int n) {
        // libtorch parallelises with OpenMP; an OpenBLAS running its own pool as well oversubscribes the
        // cores (a training step went from 3 s to 8.5 s on 2 cores), so OpenBLAS stays single-threaded.
        openblas.blas_set_num_threads(1);
        torch.set_num_threads(n);
        try {
            // Inter-op parallelism (independent ops at once) only helps TorchScript graphs; we have none.
            torch.set_num_interop_threads(1);
        } catch (RuntimeException e) {
            // Can only be set before the first inter-op task; someone used libtorch before init(). Harmless.
        }
    }

    /** A few lines on the engine: versions, threads, BLAS, and whether bf16 runs on AMX here. */
    public static String describe() {
        init();
        StringBuilder out = new StringBuilder();
        out.append("libtorch ").append(libtorchVersion())
                .append(" (org.bytedeco:pytorch ").append(presetVersion()).append(", ")
                .append(Loader.getPlatform()).append(")\n");
        out.append("threads: intra-op ").append(torch.get_num_threads())
                .append(", inter-op ").append(torch.get_num_interop_threads())
                .append(", OpenBLAS ").append(openblas.blas_get_num_threads()).append('\n');
        out.append("BLAS: ").append(blasSummary()).append('\n');
        Set<String> flags = cpuFlags();
        boolean amx = flags.contains("amx_bf16") && flags.contains("amx_tile");
        boolean avx512bf16 = flags.contains("avx512_bf16");
        out.append("bf16: ").append(amx ? "AMX (amx_bf16)" : avx512bf16 ? "AVX512-BF16, no AMX" : "no native bf16")
                .append(", oneDNN ").append(torch.hasMKLDNN() ? string(torch.get_mkldnn_version()) : "absent");
        return out.toString();
    }

    /** The configuration libtorch was built with ({@code torch.__config__.show()} in Python). */
    public static String buildConfig() {
        init();
        return string(torch.show_config());
    }

    /**
     * What runs matrix products. This libtorch is built with BLAS_INFO=open and without MKL, so fp32 gemm
     * calls OpenBLAS's sgemm; bf16 gemm goes to oneDNN (AMX kernels where the CPU has them).
     */
    static String blasSummary() {
        String config = string(torch.show_config());
        String fp32 = torch.hasMKL() ? "MKL" : "BLAS_INFO=" + configValue(config, "BLAS_INFO");
        // blas_set_num_threads() records which library answered: 2 = OpenBLAS, 3 = MKL.
        String loaded = switch (openblas.blas_get_vendor()) {
            case 2 -> "OpenBLAS";
            case 3 -> "MKL";
            default -> "unknown";
        };
        return "fp32 gemm via " + fp32 + " (" + loaded + " " + openblasVersion() + ")"
                + ", bf16 gemm via " + (torch.hasMKLDNN() ? "oneDNN" : "ATen fallback");
    }

    /** The value of {@code KEY=value} in show_config()'s "Build settings" line, or "?". */
    private static String configValue(String config, String key) {
        Matcher matcher = Pattern.compile("\\b" + key + "=([^,\\s]+)").matcher(config);
        return matcher.find() ? matcher.group(1) : "?";
    }

    private static String libtorchVersion() {
        String config = string(torch.show_config());
        String version = configValue(config, "TORCH_VERSION");
        return version.equals("?") ? presetVersion().split("-")[0] : version;
    }

    private static String openblasVersion() {
        try {
            String version = Loader.getVersion("org.bytedeco", "openblas", openblas.class);
            return version == null ? "" : version.split("-")[0];
        } catch (IOException e) {
            return "";
        }
    }

    private static String presetVersion() {
        try {
            String version = Loader.getVersion("org.bytedeco", "pytorch", torch.class);
            return version == null ? "?" : version;
        } catch (IOException e) {
            return "?";
        }
    }

    private static Set<String> cpuFlags() {
        Set<String> flags = new HashSet<>();
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            lines.filter(line -> line.startsWith("flags")).findFirst().ifPresent(line ->
                    flags.addAll(List.of(line.substring(line.indexOf(':') + 1).trim().toLowerCase(Locale.ROOT).split("\\s+"))));
        } catch (IOException e) {
            // Not Linux: report no flags.
        }
        return flags;
    }

    private static String string(BytePointer pointer) {
        try (pointer) {
            return pointer.getString();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
