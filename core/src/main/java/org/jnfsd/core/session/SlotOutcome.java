package org.jnfsd.core.session;

/** What {@link Session#acquire} found for a SEQUENCE: a new request, or a retry of the last one. */
public sealed interface SlotOutcome {
    /** A new request: the COMPOUND now holds {@code slot} until the engine completes it. */
    record Acquired(Session.Slot slot) implements SlotOutcome {}

    /** A retry whose reply was cached: the whole COMPOUND reply, to be sent again verbatim. */
    record Replay(byte[] compoundReply) implements SlotOutcome {
        public Replay {
            compoundReply = compoundReply.clone();
        }

        @Override
        public byte[] compoundReply() {
            return compoundReply.clone();
        }
    }

    /** A retry whose reply was not cached (sa_cachethis was false). */
    record UncachedReplay() implements SlotOutcome {}
}
