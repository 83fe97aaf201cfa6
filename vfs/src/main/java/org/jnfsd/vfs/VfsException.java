package org.jnfsd.vfs;

/** A backend call failed for the reason {@link #error()}; the cause is kept when there is one. */
public class VfsException extends Exception {
    private final VfsError error;

    public VfsException(VfsError error, String message) {
        super(message);
        this.error = error;
    }

    public VfsException(VfsError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public VfsError error() {
        return error;
    }
}
