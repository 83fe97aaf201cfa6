package org.jnfsd.core.compound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.rpc.Credential;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.Stat;
import org.junit.jupiter.api.Test;

class CompoundContextTest {
    private static final Stat ATTRS = new Stat(FileType.DIRECTORY, 7, 0755, 2, 0, 0, 4096, 4096,
            Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, 1, 0, 0);
    private static final FileHandle FH = new FileHandle(1, new Inode(new byte[] {1, 2, 3}));
    private static final FileHandle OTHER = new FileHandle(1, new Inode(new byte[] {4, 5, 6}));

    private final CompoundContext ctx =
            new CompoundContext(null, new Credential.AuthSys(0, "t", 0, 0, new int[0]), null, 1, 8, 0);

    @Test
    void currentAttrsFromPreviousOp_nextOperation_attrsOfThatOperation() {
        ctx.setOpIndex(2);
        ctx.setCurrentFh(FH, ATTRS);

        assertThat(ctx.currentAttrsFromPreviousOp()).as("same operation").isNull();
        ctx.setOpIndex(3);
        assertThat(ctx.currentAttrsFromPreviousOp()).isSameAs(ATTRS);
        ctx.setOpIndex(4);
        assertThat(ctx.currentAttrsFromPreviousOp()).as("two operations later").isNull();
    }

    @Test
    void currentAttrsFromPreviousOp_handleSetWithoutAttrs_null() {
        ctx.setOpIndex(0);
        ctx.setCurrentFh(FH, ATTRS);
        ctx.setCurrentFh(OTHER);
        ctx.setOpIndex(1);

        assertThat(ctx.currentAttrsFromPreviousOp()).isNull();
    }

    @Test
    void currentAttrsFromPreviousOp_afterRestoreFh_null() throws Exception {
        ctx.setOpIndex(0);
        ctx.setCurrentFh(OTHER);
        ctx.saveFh();
        ctx.setCurrentFh(FH, ATTRS);
        ctx.restoreFh();
        ctx.setOpIndex(1);

        assertThat(ctx.currentAttrsFromPreviousOp()).isNull();
    }
}
