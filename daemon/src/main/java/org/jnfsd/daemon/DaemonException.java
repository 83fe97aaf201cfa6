package org.jnfsd.daemon;

/** A reason the daemon cannot do what it was asked, said in one line ({@code jnfsd: <message>}, exit 1). */
final class DaemonException extends Exception {
    DaemonException(String message) {
        super(message);
    }
}
