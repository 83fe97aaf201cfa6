package org.jnfsd.core.recovery;

/** {@link InMemoryRecoveryStore} against the store contract; a "restart" hands over the same instance. */
class InMemoryRecoveryStoreTest extends RecoveryStoreContractTest {
    @Override
    RecoveryStore create() {
        return new InMemoryRecoveryStore();
    }

    @Override
    RecoveryStore reopen(RecoveryStore previous) {
        return previous;
    }
}
