package org.jnfsd.core.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NFSv4.0 open-owner and lock-owner sequencing (RFC 7530 §9.1.7): per owner, the seqid of the
 * last sequenced operation and its encoded reply. A request with the next seqid runs; one with
 * the last seqid is a retransmission and gets the last reply, byte for byte, without running;
 * any other seqid is NFS4ERR_BAD_SEQID. The first request of an unknown owner starts it at its
 * seqid. Replies with the errors of §9.1.7 that do not advance the seqid are not recorded.
 *
 * <p>An owner is used by one request at a time: {@link #begin} takes the owner's lock and
 * {@link Turn#finish} (or {@link Turn#abandon}) releases it, so a retransmission arriving while the
 * original still runs waits for it and then gets its reply (knfsd's so_mutex). Owners idle for a
 * lease with nothing live ({@link #expireIdle}) are dropped, as knfsd's close_lru does, and all
 * of a client's at its teardown, so memory stays bounded by the live owners. Thread-safe.
 */
public final class V40Owners implements ClientStateHook {
    private static final Logger log = LoggerFactory.getLogger(V40Owners.class);
    /** Errors after which the seqid does not advance (RFC 7530 §9.1.7). */
    private static final Set<NfsStatus> NOT_SEQUENCED = EnumSet.of(NfsStatus.NFS4ERR_STALE_CLIENTID,
            NfsStatus.NFS4ERR_STALE_STATEID, NfsStatus.NFS4ERR_BAD_STATEID, NfsStatus.NFS4ERR_BAD_SEQID,
            NfsStatus.NFS4ERR_BADXDR, NfsStatus.NFS4ERR_RESOURCE, NfsStatus.NFS4ERR_NOFILEHANDLE,
            NfsStatus.NFS4ERR_MOVED);

    public enum Kind { OPEN, LOCK }

    /** An owner: its client, its kind and its owner string (hex). */
    public record Key(long clientId, Kind kind, String owner) {
        public static Key of(long clientId, Kind kind, byte[] owner) {
            return new Key(clientId, kind, HexFormat.of().formatHex(owner));
        }

        public byte[] ownerBytes() {
            return HexFormat.of().parseHex(owner);
        }
    }

    /** The last reply of an owner: its encoded result (opcode excluded) and, for OPEN, the file. */
    public record Reply(byte[] result, FileHandle fh) {}

    private static final class Owner {
        final ReentrantLock lock = new ReentrantLock();
        // guarded by lock
        int lastSeqid;
        Reply lastReply;
        Instant lastUsed;
        boolean removed;
    }

    private final Clock clock;
    private final Duration idle;
    private final Map<Key, Owner> owners = new ConcurrentHashMap<>();

    /** @param idle how long an owner with nothing live is kept (the lease) */
    public V40Owners(Clock clock, Duration idle) {
        this.clock = clock;
        this.idle = idle;
    }

    /** One sequenced operation of an owner, between {@link #begin} and {@link #finish}. */
    public final class Turn {
        private final Key key;
        private final Owner owner;
        private final int seqid;
        private final Reply replay;
        private boolean done;

        private Turn(Key key, Owner owner, int seqid, Reply replay) {
            this.key = key;
            this.owner = owner;
            this.seqid = seqid;
            this.replay = replay;
        }

        /** The last reply, when this request is its retransmission; null when it is to run. */
        public Reply replay() {
            return replay;
        }

        /** Records the reply of the operation that ran (unless its status does not advance the seqid); releases. */
        public void finish(NfsStatus status, byte[] result, FileHandle fh) {
            if (done) {
                return;
            }
            done = true;
            try {
                if (replay == null && !NOT_SEQUENCED.contains(status)) {
                    owner.lastSeqid = seqid;
                    owner.lastReply = new Reply(result, fh);
                    owner.lastUsed = clock.instant();
                    if (owner.removed) {
                        owners.putIfAbsent(key, owner);
                        owner.removed = false;
                    }
                }
            } finally {
                owner.lock.unlock();
            }
        }

        /** Releases without recording (the reply could not be built). Idempotent. */
        public void abandon() {
            if (!done) {
                done = true;
                owner.lock.unlock();
            }
        }
    }

    /**
     * Starts an operation of {@code key} with {@code seqid}: waits for the owner's previous
     * operation to finish, then decides.
     *
     * @throws NfsException NFS4ERR_BAD_SEQID for a seqid that is neither the next nor the last
     */
    public Turn begin(Key key, int seqid) throws NfsException {
        while (true) {
            Owner o = owners.computeIfAbsent(key, k -> new Owner());
            o.lock.lock();
            if (o.removed) { // expired between the lookup and the lock: start over
                o.lock.unlock();
                continue;
            }
            if (o.lastUsed == null) {
                o.lastUsed = clock.instant();
            }
            if (o.lastReply == null) {
                return new Turn(key, o, seqid, null); // a new owner starts at the client's seqid
            }
            if (seqid == o.lastSeqid + 1) {
                return new Turn(key, o, seqid, null);
            }
            if (seqid == o.lastSeqid) {
                o.lastUsed = clock.instant();
                return new Turn(key, o, seqid, o.lastReply);
            }
            int last = o.lastSeqid;
            o.lock.unlock();
            throw new NfsException(NfsStatus.NFS4ERR_BAD_SEQID, key.kind() + " owner " + key.owner() + " of client "
                    + Long.toHexString(key.clientId()) + ": seqid " + Integer.toUnsignedString(seqid) + ", expected "
                    + Integer.toUnsignedString(last + 1));
        }
    }

    /** Forgets {@code key} (RELEASE_LOCKOWNER). */
    public void remove(Key key) {
        Owner o = owners.remove(key);
        if (o != null) {
            o.lock.lock();
            try {
                o.removed = true;
            } finally {
                o.lock.unlock();
            }
        }
    }

    /** Whether {@code key} is known (tests and figures). */
    public boolean isKnown(Key key) {
        return owners.containsKey(key);
    }

    public int size() {
        return owners.size();
    }

    /**
     * The laundromat's pass: drops owners not used for the idle time for which {@code live} says
     * nothing is left (no open of an open-owner, no lock of a lock-owner). Returns them.
     */
    public List<Key> expireIdle(Predicate<Key> live) {
        Instant before = clock.instant().minus(idle);
        List<Key> gone = new ArrayList<>();
        for (Map.Entry<Key, Owner> e : owners.entrySet()) {
            Owner o = e.getValue();
            if (!o.lock.tryLock()) {
                continue; // in use: not idle
            }
            try {
                if (o.lastUsed != null && !o.lastUsed.isAfter(before) && !live.test(e.getKey())) {
                    o.removed = true;
                    owners.remove(e.getKey(), o);
                    gone.add(e.getKey());
                }
            } finally {
                o.lock.unlock();
            }
        }
        if (!gone.isEmpty()) {
            log.debug("{} idle NFSv4.0 owners dropped", gone.size());
        }
        return gone;
    }

    @Override
    public TeardownStep step() {
        return TeardownStep.DROP_TABLES;
    }

    @Override
    public void releaseClient(long clientId) {
        owners.keySet().removeIf(k -> k.clientId() == clientId);
    }

    @Override
    public boolean hasState(long clientId) {
        return false;
    }
}
