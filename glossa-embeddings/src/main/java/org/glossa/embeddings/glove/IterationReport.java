package org.glossa.embeddings.glove;

import java.util.Locale;

/**
 * What one training iteration did.
 *
 * @param iteration 1-based
 * @param iterations the number of iterations of the run
 * @param cost      mean weighted squared error of this iteration, Σ ½ f(X)(w·w̃ + b + b̃ − log X)² / records,
 *                  the figure glove.c prints ("cost")
 * @param records   co-occurrence records trained on
 * @param skipped   records skipped because their error was not finite (glove.c skips them too)
 * @param seconds   wall-clock time of the iteration
 */
public record IterationReport(int iteration, int iterations, double cost, long records, long skipped, double seconds) {

    /** Records per second. */
    public double recordsPerSecond() {
        return seconds > 0 ? records / seconds : 0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "iteration %d/%d: cost %.6f, %d records in %.1f s (%.0f records/s)",
                iteration, iterations, cost, records, seconds, recordsPerSecond());
    }
}
