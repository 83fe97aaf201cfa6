package org.jnfsd.core.callback;

/**
 * Server-module tests' view of a channel's backchannel slots in use ({@link CallbackChannel#slotsInUse}
 * is package-private: a count for tests, not an API).
 */
public final class ChannelSlots {
    private ChannelSlots() {}

    /** Slots the channel holds now, over every session's table it used. */
    public static int inUse(CallbackChannel ch) {
        return ch.slotsInUse();
    }
}
