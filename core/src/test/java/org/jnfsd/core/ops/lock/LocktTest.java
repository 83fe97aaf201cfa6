package org.jnfsd.core.ops.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.lock.LockFixture.A;
import static org.jnfsd.core.ops.lock.LockFixture.B;
import static org.jnfsd.core.ops.lock.LockFixture.bytes;
import static org.jnfsd.core.ops.lock.LockFixture.newOwner;
import static org.jnfsd.core.ops.lock.LockFixture.run;
import static org.jnfsd.protocol.nfs4.io.ShareAccess.ACCESS_BOTH;

import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.lock.LockDenied;
import org.jnfsd.protocol.nfs4.lock.LockDeniedResult;
import org.jnfsd.protocol.nfs4.lock.LockType;
import org.jnfsd.protocol.nfs4.lock.LocktArgs;
import org.jnfsd.vfs.VfsException;
import org.junit.jupiter.api.Test;

class LocktTest {
    private final LockFixture fx = new LockFixture();

    LocktTest() throws VfsException {}

    @Test
    void lockt_noOpenNeeded_reportsConflictOfAnotherClientOnly() throws Exception {
        run(fx.ctx(A), newOwner(LockType.READ_LT, 10, 10, fx.open(A, ACCESS_BOTH), "la"));
        OpenOwner tester = new OpenOwner(0x42, bytes("t"));
        assertThat(run(fx.ctx(B), new LocktArgs(LockType.WRITE_LT, 0, -1L, tester))).isEqualTo(
                new LockDeniedResult(new LockDenied(10, 10, LockType.READ_LT, new OpenOwner(A, bytes("la")))));
        assertThat(run(fx.ctx(B), new LocktArgs(LockType.READ_LT, 0, -1L, tester))).isEqualTo(StatusResult.OK);
        // the owner holding the lock never conflicts with itself
        assertThat(run(fx.ctx(A), new LocktArgs(LockType.WRITE_LT, 0, 100, new OpenOwner(A, bytes("la")))))
                .isEqualTo(StatusResult.OK);
        assertThat(fx.server.locks().lockStateCount(B)).isZero();
    }

    @Test
    void lockt_zeroLength_inval() {
        assertThat(run(fx.ctx(B), new LocktArgs(LockType.READ_LT, 0, 0, new OpenOwner(B, bytes("t")))).status())
                .isEqualTo(NfsStatus.NFS4ERR_INVAL);
    }
}
