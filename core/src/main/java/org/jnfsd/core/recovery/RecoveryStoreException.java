package org.jnfsd.core.recovery;

/** A recovery store could not be read or written; always carries its cause. */
public final class RecoveryStoreException extends RuntimeException {
    public RecoveryStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
