package org.jnfsd.core.attr;

import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * One row of the attribute table: an attribute number, its name, since which minor version it is
 * offered, how its value is written (null for write-only attributes) and how a settable value is
 * read (null for attributes jnfsd does not let clients set). {@code presence} is null when every
 * object has a value.
 */
record AttrDef(int bit, String name, int minMinor, Encoder encoder, Presence presence, SetDecoder setDecoder) {

    @FunctionalInterface
    interface Encoder {
        void encode(AttrSource src, XdrEncoder out) throws NfsException;
    }

    /** Whether an object has a value at all (time_create may be unknown); most always do. */
    @FunctionalInterface
    interface Presence {
        boolean present(AttrSource src);
    }

    @FunctionalInterface
    interface SetDecoder {
        void decode(XdrDecoder in, SettableBuilder into) throws NfsException;
    }

    boolean readable() {
        return encoder != null;
    }

    boolean presentFor(AttrSource src) {
        return presence == null || presence.present(src);
    }

    boolean settable() {
        return setDecoder != null;
    }
}
