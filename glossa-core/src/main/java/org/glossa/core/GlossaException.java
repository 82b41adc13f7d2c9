package org.glossa.core;

/**
 * A failure the user can act on: bad input, a missing file, an inconsistent model directory.
 *
 * <p>The message is one line that names the problem (and the offending file, parameter or value);
 * the command line prints it without a stack trace and exits with status 1.
 */
public class GlossaException extends RuntimeException {
    public GlossaException(String message) {
        super(message);
    }

    public GlossaException(String message, Throwable cause) {
        super(message, cause);
    }
}
