package org.jnfsd.core.ops.session;

import io.netty.buffer.ByteBuf;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.compound.SequenceSlot;
import org.jnfsd.core.session.ClientRecord;

/**
 * A session slot whose completion also counts its COMPOUND out of the client's compounds in
 * flight; when that was the last compound of a client that expired meanwhile, it starts the client's
 * teardown on the teardown executor after the reply is handed on (no request thread runs or waits for it). The engine completes it exactly once.
 */
final class InFlightSlot implements SequenceSlot {
    private final SequenceSlot slot;
    private final ClientRecord client;
    private final ServerContext server;

    InFlightSlot(SequenceSlot slot, ClientRecord client, ServerContext server) {
        this.slot = slot;
        this.client = client;
        this.server = server;
    }

    @Override
    public int maxResponseSize() {
        return slot.maxResponseSize();
    }

    @Override
    public int maxResponseSizeCached() {
        return slot.maxResponseSizeCached();
    }

    @Override
    public int maxOperations() {
        return slot.maxOperations();
    }

    @Override
    public boolean cacheThis() {
        return slot.cacheThis();
    }

    @Override
    public void complete(ByteBuf reply) {
        try {
            slot.complete(reply);
        } finally {
            if (server.sessions().endCompound(client)) {
                // the reply went out first; the teardown runs on its own executor
                server.teardown().start(client);
            }
        }
    }
}
