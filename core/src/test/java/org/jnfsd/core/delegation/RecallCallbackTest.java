package org.jnfsd.core.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.state.StateIdAllocator;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.vfs.Inode;
import org.junit.jupiter.api.Test;

class RecallCallbackTest {
    private final ManualClock clock = new ManualClock();
    private final DelegationTable table = new DelegationTable(clock, new StateIdAllocator(3), Duration.ofSeconds(90),
            Duration.ofSeconds(5), 10);
    private final FileHandle file = new FileHandle(1, new Inode(new byte[] {1}));
    private final List<Delegation> recalled = new ArrayList<>();

    @Test
    void prepare_recalling_buildsCbRecallOfTheStateidAndFile() {
        Delegation d = table.grantRead(1, file).delegation();
        table.recallConflicting(2, file, recalled::add);

        CbRecallArgs args = (CbRecallArgs) new RecallCallback(d).prepare().orElseThrow();

        assertThat(args.stateId()).isEqualTo(d.stateId());
        assertThat(args.fileHandle()).isEqualTo(file.toBytes());
        assertThat(args.truncate()).isFalse();
    }

    @Test
    void prepare_returnedBeforeSend_sendsNothing_row06() {
        Delegation d = table.grantRead(1, file).delegation();
        table.recallConflicting(2, file, recalled::add);
        RecallCallback cb = new RecallCallback(d);
        table.delegReturn(1, file, d.stateId());

        assertThat(cb.prepare()).isEmpty();
    }

    @Test
    void release_twice_secondThrowsAndReferenceDroppedOnce_rule5() {
        Delegation d = table.grantRead(1, file).delegation();
        RecallCallback cb = new RecallCallback(d);

        cb.release();

        assertThat(cb.released()).isTrue();
        assertThat(cb.prepare()).isEmpty();
        assertThatThrownBy(cb::release).isInstanceOf(IllegalStateException.class);
    }
}
