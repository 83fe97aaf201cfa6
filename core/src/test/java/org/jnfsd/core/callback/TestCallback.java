package org.jnfsd.core.callback;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbRecallAnyArgs;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;

/**
 * A stand-in for a delegation recall (or any callback holding state): it holds a reference to an
 * entry of a {@link FakeStateTable} that its release drops (rule 5), and counts its steps.
 */
class TestCallback extends Callback {
    final FakeStateTable table;
    final String id;
    final List<CallbackOutcome> outcomes = new ArrayList<>();
    int prepares;
    int releases;
    /** When set, prepare finds the state gone (returned/revoked). */
    boolean returned;
    /** Runs at the start of prepare: the test acts while the callback is inside that step (re-entrantly, no threads). */
    Runnable duringPrepare = () -> { };
    /** Runs at the start of release, likewise. */
    Runnable duringRelease = () -> { };

    TestCallback(String kind, FakeStateTable table, String id) {
        super(kind);
        this.table = table;
        this.id = id;
        table.add(id);
    }

    static TestCallback recall(FakeStateTable table, String id) {
        return new TestCallback("CB_RECALL", table, id);
    }

    @Override
    public String subject() {
        return id;
    }

    @Override
    protected Optional<CbArgs> prepare() {
        prepares++;
        duringPrepare.run();
        if (returned || !table.contains(id)) {
            return Optional.empty();
        }
        if (kind().equals("CB_RECALL_ANY")) {
            return Optional.of(new CbRecallAnyArgs(0, new int[] {1}));
        }
        byte[] other = new byte[StateId.OTHER_SIZE];
        other[0] = (byte) id.hashCode();
        return Optional.of(new CbRecallArgs(new StateId(1, other), false, new byte[] {1, 2, 3}));
    }

    @Override
    protected boolean stillNeeded() {
        return !returned && table.contains(id);
    }

    @Override
    protected void done(CallbackOutcome outcome) {
        outcomes.add(outcome);
    }

    @Override
    protected void release() {
        releases++;
        duringRelease.run();
        table.remove(id);
    }

    CallbackOutcome outcome() {
        return outcomes.isEmpty() ? null : outcomes.get(outcomes.size() - 1);
    }
}
