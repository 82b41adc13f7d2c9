package org.glossa.nn.train;

/**
 * Routes Ctrl-C (SIGINT) to a callback while a training loop runs, instead of the JVM's default of exiting
 * at once, so that the loop can finish its step and write a checkpoint. Where the JDK offers no signal API
 * ({@code sun.misc.Signal} is JDK-specific), a shutdown hook gives the loop the same flag and waits up to
 * a minute for it to return.
 */
final class Interrupts {
    private Interrupts() {}

    /** Installs {@code onInterrupt} for SIGINT; the returned action puts the previous handling back. */
    static Runnable install(Runnable onInterrupt) {
        try {
            sun.misc.Signal interrupt = new sun.misc.Signal("INT");
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(interrupt, signal -> onInterrupt.run());
            return () -> sun.misc.Signal.handle(interrupt, previous);
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
