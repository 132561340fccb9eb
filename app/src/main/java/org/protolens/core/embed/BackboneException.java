package org.protolens.core.embed;

/** A backbone that cannot be loaded or run; the message says which one and why. */
public final class BackboneException extends RuntimeException {
    public BackboneException(String message) {
        super(message);
    }

    public BackboneException(String message, Throwable cause) {
        super(message, cause);
    }
}
