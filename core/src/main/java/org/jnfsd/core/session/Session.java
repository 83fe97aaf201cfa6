package org.jnfsd.core.session;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.SequenceSlot;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.rpc.RpcConnection;

/**
 * One NFSv4.1 session (RFC 8881 §2.10): the fore-channel slot table with its reply cache, the
 * negotiated channel attributes, the backchannel's program and security, and the connections bound
 * to it.
 *
 * <pre>
 *   CREATE_SESSION ──► OPEN ──DESTROY_SESSION / client destroyed──► DRAINING ──last slot freed──► DESTROYED
 * </pre>
 *
 * OPEN → DRAINING: {@link #drain()}. DRAINING → DESTROYED: {@link #drain()} when no slot is in use,
 * else {@link Slot#complete} of the last slot in use; the owner is then told through the
 * {@code onDestroyed} callback, called without this session's lock. A DRAINING session accepts no
 * new SEQUENCE (NFS4ERR_BADSESSION); nothing ever waits for a client.
 *
 * <p>Concurrency: every mutable field is guarded by {@link #lock}. Lock order: the manager's lock
 * may be held when taking this lock, never the reverse.
 */
public final class Session {
    /** The lifecycle of a session; see the class comment for the diagram. */
    public enum State {
        OPEN,
        DRAINING,
        DESTROYED
    }

    /** A connection bound to this session and the traffic it carries. */
    public record Binding(RpcConnection connection, ChannelDirection direction) {}

    private final SessionId id;
    private final ClientRecord client;
    private final ChannelAttrs foreChannel;
    private final ChannelAttrs backChannel;
    private final int flags;
    private final Consumer<Session> onDestroyed;
    private final Object lock = new Object();

    @GuardedBy("lock")
    private State state = State.OPEN;
    /** Final; each slot's fields are guarded by lock. */
    private final Slot[] slots;
    /** Number of slots in use. */
    @GuardedBy("lock")
    private int slotsInUse;
    @GuardedBy("lock")
    private int cbProgram;
    @GuardedBy("lock")
    private List<CallbackSecParms> callbackSecurity;
    /** By connection id. */
    @GuardedBy("lock")
    private final Map<Long, Binding> connections = new HashMap<>();

    Session(SessionId id, ClientRecord client, ChannelAttrs foreChannel, ChannelAttrs backChannel, int flags,
            int cbProgram, List<CallbackSecParms> callbackSecurity, Consumer<Session> onDestroyed) {
        this.id = id;
        this.client = client;
        this.foreChannel = foreChannel;
        this.backChannel = backChannel;
        this.flags = flags;
        this.cbProgram = cbProgram;
        this.callbackSecurity = List.copyOf(callbackSecurity);
        this.onDestroyed = onDestroyed;
        this.slots = new Slot[foreChannel.maxRequests()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(i);
        }
    }

    public SessionId id() {
        return id;
    }

    public ClientRecord client() {
        return client;
    }

    /** The negotiated fore-channel attributes (what the CREATE_SESSION reply said). */
    public ChannelAttrs foreChannel() {
        return foreChannel;
    }

    /** The backchannel attributes the client gave: the limits of callbacks the server sends. */
    public ChannelAttrs backChannel() {
        return backChannel;
    }

    /** The CREATE_SESSION flags granted (only CREATE_SESSION4_FLAG_CONN_BACK_CHAN, if asked). */
    public int flags() {
        return flags;
    }

    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /** The callback program number (csa_cb_program, or BACKCHANNEL_CTL's). */
    public int cbProgram() {
        synchronized (lock) {
            return cbProgram;
        }
    }

    /** The security flavors the server may use for callbacks, the client's order. */
    public List<CallbackSecParms> callbackSecurity() {
        synchronized (lock) {
            return callbackSecurity;
        }
    }

    /** BACKCHANNEL_CTL: replaces the callback program and security. */
    public void setCallback(int program, List<CallbackSecParms> security) {
        synchronized (lock) {
            this.cbProgram = program;
            this.callbackSecurity = List.copyOf(security);
        }
    }

    /** A snapshot of the bound connections. */
    public List<Binding> connections() {
        synchronized (lock) {
            return new ArrayList<>(connections.values());
        }
    }

    /** Open connections that may carry callbacks, in no particular order; a snapshot. */
    public List<RpcConnection> backChannelConnections() {
        synchronized (lock) {
            List<RpcConnection> out = new ArrayList<>();
            for (Binding b : connections.values()) {
                if (b.direction().carriesBack() && b.connection().isOpen()) {
                    out.add(b.connection());
                }
            }
            return out;
        }
    }

    public boolean isBound(RpcConnection conn) {
        synchronized (lock) {
            return conn != null && connections.containsKey(conn.id());
        }
    }

    /**
     * Binds {@code conn} for {@code direction}, replacing an earlier binding of it. The binding is
     * removed when the connection closes. A null connection (unit tests) is ignored.
     */
    public void bind(RpcConnection conn, ChannelDirection direction) {
        if (conn == null) {
            return;
        }
        boolean first;
        synchronized (lock) {
            if (state == State.DESTROYED) {
                return;
            }
            first = connections.put(conn.id(), new Binding(conn, direction)) == null;
        }
        if (first) {
            conn.markSessionBound();
            // outside the lock: runs at once if the connection is already closed
            conn.onClose(() -> unbind(conn));
        }
    }

    /** Binds {@code conn} for the fore channel unless it is already bound (SEQUENCE, SP4_NONE). */
    public void bindIfUnbound(RpcConnection conn) {
        if (conn != null && !isBound(conn)) {
            bind(conn, ChannelDirection.FORE);
        }
    }

    private void unbind(RpcConnection conn) {
        synchronized (lock) {
            Binding b = connections.get(conn.id());
            if (b != null && b.connection() == conn) {
                connections.remove(conn.id());
            }
        }
    }

    /**
     * SEQUENCE's slot logic (RFC 8881 §2.10.6.1, §18.46.3): bad slot, slot busy, retry of the last
     * request (cached or not), misordered, or a new request that now holds the slot.
     *
     * @param solo whether the COMPOUND is SEQUENCE alone (its reply is always cached: it is tiny)
     */
    public SlotOutcome acquire(int slotId, int sequenceId, boolean cacheThis, boolean solo) throws NfsException {
        synchronized (lock) {
            if (state != State.OPEN) {
                throw new NfsException(NfsStatus.NFS4ERR_BADSESSION, id + " is " + state);
            }
            if (slotId < 0 || slotId >= slots.length) {
                throw new NfsException(NfsStatus.NFS4ERR_BADSLOT,
                        "slot " + Integer.toUnsignedString(slotId) + ", highest is " + (slots.length - 1));
            }
            Slot slot = slots[slotId];
            if (slot.inUse) {
                throw new NfsException(NfsStatus.NFS4ERR_DELAY, "slot " + slotId + " is in use");
            }
            if (slot.used && sequenceId == slot.seqid) {
                return slot.cachedReply != null ? new SlotOutcome.Replay(slot.cachedReply)
                        : new SlotOutcome.UncachedReplay();
            }
            int expected = slot.used ? slot.seqid + 1 : 1;
            if (sequenceId != expected) {
                throw new NfsException(NfsStatus.NFS4ERR_SEQ_MISORDERED, "slot " + slotId + " seqid "
                        + Integer.toUnsignedString(sequenceId) + ", expected " + Integer.toUnsignedString(expected));
            }
            slot.used = true;
            slot.seqid = sequenceId;
            slot.inUse = true;
            slot.cacheThis = cacheThis;
            slot.keepReply = cacheThis || solo;
            slot.cachedReply = null;
            slotsInUse++;
            return new SlotOutcome.Acquired(slot);
        }
    }

    /** The highest slot id the server accepts on this session. */
    public int highestSlotId() {
        return slots.length - 1;
    }

    /**
     * Stops accepting new requests and destroys the session once no slot is in use.
     *
     * @return false if the session was already draining or destroyed
     */
    boolean drain() {
        boolean destroyedNow;
        synchronized (lock) {
            if (state != State.OPEN) {
                return false;
            }
            state = State.DRAINING;
            destroyedNow = slotsInUse == 0;
            if (destroyedNow) {
                destroyLocked();
            }
        }
        if (destroyedNow) {
            onDestroyed.accept(this);
        }
        return true;
    }

    @GuardedBy("lock")
    private void destroyLocked() {
        state = State.DESTROYED;
        connections.clear();
        for (Slot s : slots) {
            s.cachedReply = null;
        }
    }

    @Override
    public String toString() {
        return "Session[" + id + " of " + client.id() + "]";
    }

    /** One fore-channel slot. Its fields are guarded by the session's lock. */
    public final class Slot implements SequenceSlot {
        private final int index;
        private boolean used;
        private int seqid;
        private boolean inUse;
        private boolean cacheThis;
        private boolean keepReply;
        private byte[] cachedReply;

        private Slot(int index) {
            this.index = index;
        }

        public int index() {
            return index;
        }

        public Session session() {
            return Session.this;
        }

        @Override
        public int maxResponseSize() {
            return foreChannel.maxResponseSize();
        }

        @Override
        public int maxResponseSizeCached() {
            return foreChannel.maxResponseSizeCached();
        }

        @Override
        public int maxOperations() {
            return foreChannel.maxOperations();
        }

        @Override
        public boolean cacheThis() {
            synchronized (lock) {
                return cacheThis;
            }
        }

        @Override
        public void complete(ByteBuf reply) {
            boolean destroyedNow = false;
            synchronized (lock) {
                if (!inUse) {
                    throw new IllegalStateException("slot " + index + " of " + id + " completed twice");
                }
                cachedReply = keepReply ? ByteBufUtil.getBytes(reply) : null;
                inUse = false;
                slotsInUse--;
                if (state == State.DRAINING && slotsInUse == 0) {
                    destroyLocked();
                    destroyedNow = true;
                }
            }
            if (destroyedNow) {
                onDestroyed.accept(Session.this);
            }
        }
    }
}
