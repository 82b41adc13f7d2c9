package org.glossa.nn.train;

/**
 * Routes Ctrl-C (SIGINT) and {@code kill} (SIGTERM) to a callback while a training loop runs, instead of the
 * JVM's default of exiting at once, so that the loop can finish its step and write a checkpoint. Exiting at
 * once is worse than losing the step: the JVM's exit runs libtorch's static destructors while the training
 * thread is still inside a native backward pass, which crashes the process. Background jobs of a
 * non-interactive shell ignore SIGINT, so SIGTERM is how they are stopped. Where the JDK offers no signal API
 * ({@code sun.misc.Signal} is JDK-specific), a shutdown hook gives the loop the same flag and waits up to
 * a minute for it to return.
 */
final class Interrupts {
    private Interrupts() {}

    /** Installs {@code onInterrupt} for SIGINT and SIGTERM; the returned action puts the previous handling back. */
    static Runnable install(Runnable onInterrupt) {
        try {
            sun.misc.Signal interrupt = new sun.misc.Signal("INT");
            sun.misc.Signal terminate = new sun.misc.Signal("TERM");
            sun.misc.SignalHandler previousInterrupt = sun.misc.Signal.handle(interrupt, signal -> onInterrupt.run());
            sun.misc.SignalHandler previousTerminate = sun.misc.Signal.handle(terminate, signal -> onInterrupt.run());
            return () -> {
                sun.misc.Signal.handle(interrupt, previousInterrupt);
                sun.misc.Signal.handle(terminate, previousTerminate);
            };
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            return installShutdownHook(onInterrupt);
        }
    }

    private static Runnable installShutdownHook(Runnable onInterrupt) {
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            onInterrupt.run();
            try {
                finished.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "glossa-training-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already: the hook has run or is running
            }
        };
    }
}
