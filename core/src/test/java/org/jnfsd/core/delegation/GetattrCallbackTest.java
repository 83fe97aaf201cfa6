package org.jnfsd.core.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.jnfsd.core.callback.CallbackOutcome;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbGetattrArgs;
import org.jnfsd.protocol.nfs4.callback.CbGetattrResult;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbStatusResult;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class GetattrCallbackTest {
    private final DelegationTable table = new DelegationTable(new ManualClock(), new StateIdAllocator(3),
            Duration.ofSeconds(90), Duration.ofSeconds(5), 10);
    private final FileHandle file = new FileHandle(1, new Inode(new byte[] {1}));
    private final FileHandle other = new FileHandle(1, new Inode(new byte[] {2}));

    static Fattr4 changeAndSize(long change, long size) {
        return new Fattr4(Bitmap.of(3, 4), ByteBuffer.allocate(16).putLong(change).putLong(size).array());
    }

    private GetattrCallback callback() {
        return new GetattrCallback(table.grantWrite(1, file, 5, 10).delegation());
    }

    @Test
    void race21_getattrCallbackForReadDelegation_refused() {
        Delegation read = table.grantRead(1, other).delegation();

        assertThatThrownBy(() -> new GetattrCallback(read)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only a write delegation");
    }

    @Test
    void prepare_liveWriteDelegation_asksChangeAndSizeOfTheFile() {
        CbGetattrArgs args = (CbGetattrArgs) callback().prepare().orElseThrow();

        assertThat(args.fileHandle()).isEqualTo(file.toBytes());
        assertThat(args.attrRequest()).isEqualTo(Bitmap.of(3, 4));
    }

    @Test
    void prepare_returnedMeanwhile_sendsNothing() {
        Delegation d = table.grantWrite(1, file, 5, 10).delegation();
        GetattrCallback cb = new GetattrCallback(d);
        table.delegReturn(1, file, d.stateId());

        assertThat(cb.prepare()).isEmpty();
    }

    @Test
    void done_replyWithChangeAndSize_completesWithThem() {
        GetattrCallback cb = callback();

        cb.done(new CallbackOutcome.Replied(new CbGetattrResult(NfsStatus.NFS4_OK, changeAndSize(6, 4096))));

        assertThat(cb.replyAsync().toCompletableFuture().join())
                .isEqualTo(new GetattrCallback.HolderAttributes(6, 4096));
    }

    @Test
    void done_errorStatus_completesExceptionally() {
        GetattrCallback cb = callback();

        cb.done(new CallbackOutcome.Replied(new CbStatusResult(CbOpcode.CB_GETATTR, NfsStatus.NFS4ERR_BADHANDLE)));

        assertThatThrownBy(() -> cb.replyAsync().toCompletableFuture().join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(GetattrCallback.GetattrFailedException.class).hasMessageContaining("BADHANDLE");
    }

    @Test
    void done_failedOrSkipped_completesExceptionally() {
        GetattrCallback failed = callback();
        failed.done(new CallbackOutcome.Failed(CallbackOutcome.Reason.TIMED_OUT, "no answer"));
        GetattrCallback skipped = new GetattrCallback(table.grantWrite(1, other, 1, 1).delegation());
        skipped.done(new CallbackOutcome.Skipped());

        assertThat(failed.replyAsync().toCompletableFuture()).isCompletedExceptionally();
        assertThat(skipped.replyAsync().toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void expire_beforeReply_failsAndLateReplyChangesNothing() {
        GetattrCallback cb = callback();

        cb.expire();
        cb.done(new CallbackOutcome.Replied(new CbGetattrResult(NfsStatus.NFS4_OK, changeAndSize(6, 4096))));

        assertThat(cb.replyAsync().toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void decode_otherAttributesOrTruncated_refused() {
        assertThatThrownBy(() -> GetattrCallback.decode(new Fattr4(Bitmap.of(4), new byte[8])))
                .isInstanceOf(GetattrCallback.GetattrFailedException.class);
        assertThatThrownBy(() -> GetattrCallback.decode(new Fattr4(Bitmap.of(3, 4), new byte[12])))
                .isInstanceOf(GetattrCallback.GetattrFailedException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> GetattrCallback.decode(new Fattr4(Bitmap.of(3, 4), new byte[20])))
                .isInstanceOf(GetattrCallback.GetattrFailedException.class).hasMessageContaining("too many");
    }

    @Test
    void decode_delegatedTimes_eitherOrBoth_badNanosecondsRefused() throws Exception {
        byte[] onlyModify = ByteBuffer.allocate(28).putLong(6).putLong(4096).putLong(1_700_000_000L).putInt(5).array();
        byte[] badNanos = ByteBuffer.allocate(28).putLong(6).putLong(4096).putLong(1).putInt(1_000_000_000).array();

        assertThat(GetattrCallback.decode(new Fattr4(Bitmap.of(3, 4, 85), onlyModify)))
                .isEqualTo(new GetattrCallback.HolderAttributes(6, 4096, null,
                        java.time.Instant.ofEpochSecond(1_700_000_000L, 5)));
        assertThatThrownBy(() -> GetattrCallback.decode(new Fattr4(Bitmap.of(3, 4, 84), badNanos)))
                .isInstanceOf(GetattrCallback.GetattrFailedException.class).hasMessageContaining("nseconds");
        assertThatThrownBy(() -> GetattrCallback.decode(new Fattr4(Bitmap.of(3, 4, 86), onlyModify)))
                .as("not a delegated time").isInstanceOf(GetattrCallback.GetattrFailedException.class);
    }

    @Test
    void release_twice_secondThrowsAndReferenceDroppedOnce() {
        GetattrCallback cb = callback();

        cb.release();

        assertThat(cb.released()).isTrue();
        assertThat(cb.prepare()).isEmpty();
        assertThatThrownBy(cb::release).isInstanceOf(IllegalStateException.class);
    }
}
