package org.jnfsd.core.session;

/** Which traffic a connection bound to a session carries. */
public enum ChannelDirection {
    FORE,
    BACK,
    BOTH;

    public boolean carriesFore() {
        return this != BACK;
    }

    public boolean carriesBack() {
        return this != FORE;
    }

    /** The union of two bindings of the same connection. */
    ChannelDirection plus(ChannelDirection other) {
        return this == other ? this : BOTH;
    }
}
