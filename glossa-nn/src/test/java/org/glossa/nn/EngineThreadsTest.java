package org.glossa.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.global.torch;
import org.glossa.core.GlossaException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("model")
class EngineThreadsTest {
    @Test
    void initSizesThePoolsAsConfigured() {
        Engine.init();
        Engine.init(); // idempotent
        assertEquals(Engine.configuredThreads(), torch.get_num_threads());
        assertEquals(Engine.threads(), torch.get_num_threads());
        assertEquals(1, torch.get_num_interop_threads());
        assertEquals(1, openblas.blas_get_num_threads());
    }

    @Test
    void propertyAndEnvironmentChooseTheThreadCount(@TempDir Path work) throws Exception {
        // 3 is neither this machine's default nor what the environment asks: only the property can give it.
        ChildJvm.Result byProperty = ChildJvm.runSmoke(List.of("-Dglossa.threads=3"),
                Map.of("GLOSSA_THREADS", "1"), work);
        assertEquals(0, byProperty.exitCode(), byProperty::describe);
        assertEquals(List.of("3 1 1"), byProperty.lines("THREADS"), byProperty::describe);

        ChildJvm.Result byEnvironment = ChildJvm.runSmoke(List.of(), Map.of("GLOSSA_THREADS", "1"), work);
        assertEquals(0, byEnvironment.exitCode(), byEnvironment::describe);
        assertEquals(List.of("1 1 1"), byEnvironment.lines("THREADS"), byEnvironment::describe);
    }

    @Test
    void aBadThreadCountIsNamed() {
        String previous = System.getProperty(Engine.THREADS_PROPERTY);
        try {
            System.setProperty(Engine.THREADS_PROPERTY, "zero");
            GlossaException error = assertThrows(GlossaException.class, Engine::configuredThreads);
            assertTrue(error.getMessage().contains("glossa.threads") && error.getMessage().contains("'zero'"),
                    error.getMessage());
            System.setProperty(Engine.THREADS_PROPERTY, "0");
            assertThrows(GlossaException.class, Engine::configuredThreads);
        } finally {
            if (previous == null) {
                System.clearProperty(Engine.THREADS_PROPERTY);
            } else {
                System.setProperty(Engine.THREADS_PROPERTY, previous);
            }
        }
    }

    @Test
    void describeNamesVersionsThreadsAndBlas() {
        String description = Engine.describe();
        assertTrue(description.contains("libtorch 2.10.0"), description);
        assertTrue(description.contains("intra-op " + torch.get_num_threads()), description);
        assertTrue(description.contains("OpenBLAS"), description);
        assertTrue(description.contains("bf16:"), description);
    }
}
