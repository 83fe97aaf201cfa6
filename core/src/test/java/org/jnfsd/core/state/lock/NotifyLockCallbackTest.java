package org.jnfsd.core.state.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jnfsd.core.callback.CallbackOutcome;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbNotifyLockArgs;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbStatusResult;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class NotifyLockCallbackTest {
    private final FileHandle file = new FileHandle(3, new Inode(new byte[] {1, 2}));
    private final OpenOwner owner = new OpenOwner(0x42, "lock id:7".getBytes(StandardCharsets.UTF_8));
    private final AtomicBoolean waiting = new AtomicBoolean(true);
    private final AtomicInteger sends = new AtomicInteger();
    private final NotifyLockCallback cb = new NotifyLockCallback(owner, file, (o, f) -> waiting.get(),
            sends::incrementAndGet);

    @Test
    void prepare_stillWaiting_buildsTheArgsFromTheOwnerAndFile() {
        CbNotifyLockArgs args = (CbNotifyLockArgs) cb.prepare().orElseThrow();

        assertThat(args.fileHandle()).isEqualTo(file.toBytes());
        assertThat(args.clientId()).isEqualTo(0x42);
        assertThat(args.owner()).isEqualTo(owner.owner());
    }

    @Test
    void prepare_noLongerWaiting_sendsNothing() {
        waiting.set(false);

        assertThat(cb.prepare()).isEmpty();
    }

    @Test
    void sent_countedOnce_retriesAndOutcomesNotCounted() {
        cb.sent();
        cb.sent(); // a retry after NFS4ERR_DELAY
        cb.done(new CallbackOutcome.Replied(new CbStatusResult(CbOpcode.CB_NOTIFY_LOCK, NfsStatus.NFS4ERR_BADHANDLE)));
        cb.done(new CallbackOutcome.Failed(CallbackOutcome.Reason.TIMED_OUT, "test"));

        assertThat(sends).hasValue(1);
    }

    @Test
    void release_twice_secondThrows_referenceDroppedOnce_rule5() {
        cb.release();

        assertThat(cb.released()).isTrue();
        assertThat(cb.prepare()).isEmpty();
        assertThatThrownBy(cb::release).isInstanceOf(IllegalStateException.class);
    }
}
