package org.jnfsd.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class StateIdRegistryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final long C1 = 0x100;
    private static final FileHandle F1 = new FileHandle(1, new Inode(new byte[] {1}));

    private final StateIdAllocator ids = new StateIdAllocator(0x1234);
    private final OpenStates opens = new OpenStates(ServerConfig.defaults(), CLOCK, ids, LockQuery.NONE,
            ConflictResolver.NONE);

    /** A stand-in for the lock table: every stateid of its kind tests as {@code answer}. */
    private record FakeLocks(NfsStatus answer) implements StateIdKindTable {
        @Override
        public StateKind kind() {
            return StateKind.LOCK;
        }

        @Override
        public NfsStatus test(long clientId, StateId stateId) {
            return answer;
        }

        @Override
        public NfsStatus free(long clientId, StateId stateId) {
            return answer;
        }
    }

    @Test
    void newOther_kindsAndEpoch_distinctAndRecognized() {
        StateId open = new StateId(1, ids.newOther(StateKind.OPEN));
        StateId lock = new StateId(1, ids.newOther(StateKind.LOCK));

        assertThat(ids.kindOf(open)).isEqualTo(StateKind.OPEN);
        assertThat(ids.kindOf(lock)).isEqualTo(StateKind.LOCK);
        assertThat(ids.issuedHere(open)).isTrue();
        assertThat(new StateIdAllocator(0x9999).issuedHere(open)).isFalse();
        assertThat(ids.issuedHere(StateId.ANONYMOUS)).isFalse();
        assertThat(open.other()).isNotEqualTo(lock.other());
    }

    @Test
    void test_routesByKind() throws NfsException {
        StateIdRegistry registry = new StateIdRegistry(ids, List.of(opens, new FakeLocks(NfsStatus.NFS4ERR_OLD_STATEID)));
        StateId open = opens.open(C1, new OpenOwner(C1, new byte[] {1}), F1, ShareAccess.ACCESS_READ, 0).stateId();
        StateId lock = new StateId(1, ids.newOther(StateKind.LOCK));

        assertThat(registry.test(C1, open)).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(registry.test(C1, lock)).isEqualTo(NfsStatus.NFS4ERR_OLD_STATEID);
        assertThat(registry.free(C1, open)).isEqualTo(NfsStatus.NFS4ERR_LOCKS_HELD);
    }

    @Test
    void test_kindWithoutTableSpecialOrOtherInstance_badStateid() {
        StateIdRegistry registry = new StateIdRegistry(ids, List.of(opens));

        assertThat(registry.test(C1, new StateId(1, ids.newOther(StateKind.DELEGATION))))
                .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(registry.test(C1, StateId.ANONYMOUS)).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
        assertThat(registry.test(C1, new StateId(1, new StateIdAllocator(0x9999).newOther(StateKind.OPEN))))
                .isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }

    @Test
    void validate_lockStateidGivenToOpens_badStateid() {
        StateId lock = new StateId(1, ids.newOther(StateKind.LOCK));

        NfsStatus st;
        try {
            opens.validate(C1, lock, F1);
            st = NfsStatus.NFS4_OK;
        } catch (NfsException e) {
            st = e.status();
        }
        assertThat(st).isEqualTo(NfsStatus.NFS4ERR_BAD_STATEID);
    }
}
