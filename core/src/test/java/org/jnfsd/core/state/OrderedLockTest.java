package org.jnfsd.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jnfsd.core.state.OrderedLock.Rank;
import org.junit.jupiter.api.Test;

/** The lock-order check (tests run with assertions on, so it is live here). */
class OrderedLockTest {
    private final OrderedLock lockClient = new OrderedLock(Rank.LOCK_CLIENT);
    private final OrderedLock openFile = new OrderedLock(Rank.OPEN_FILE);
    private final OrderedLock otherOpenFile = new OrderedLock(Rank.OPEN_FILE);

    @Test
    void lock_inOrder_allowed() {
        lockClient.lock();
        try {
            assertThatCode(() -> { openFile.lock(); openFile.unlock(); }).doesNotThrowAnyException();
        } finally {
            lockClient.unlock();
        }
    }

    @Test
    void lock_earlierRankWhileHoldingLater_fails() {
        openFile.lock();
        try {
            assertThatThrownBy(lockClient::lock).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("taking a LOCK_CLIENT lock while holding a OPEN_FILE lock");
        } finally {
            openFile.unlock();
        }
    }

    @Test
    void lock_sameRankTwoLocks_fails() {
        openFile.lock();
        try {
            assertThatThrownBy(otherOpenFile::lock).isInstanceOf(AssertionError.class);
        } finally {
            openFile.unlock();
        }
    }

    @Test
    void lock_reentrant_allowedAndReleasedOnLastUnlock() {
        openFile.lock();
        openFile.lock();
        openFile.unlock();
        assertThatThrownBy(lockClient::lock).as("still held once").isInstanceOf(AssertionError.class);
        openFile.unlock();
        assertThatCode(() -> { lockClient.lock(); lockClient.unlock(); }).doesNotThrowAnyException();
    }

    @Test
    void tryLock_holdIsNoted_soAnInversionAfterItFails() {
        assertThat(openFile.tryLock()).isTrue();
        try {
            assertThatThrownBy(lockClient::lock).isInstanceOf(AssertionError.class);
        } finally {
            openFile.unlock();
        }
        assertThatCode(() -> { lockClient.lock(); lockClient.unlock(); }).as("released: count exact")
                .doesNotThrowAnyException();
    }

    @Test
    void lockInterruptibly_earlierRankWhileHoldingLater_fails() throws InterruptedException {
        openFile.lockInterruptibly();
        try {
            assertThatThrownBy(lockClient::lockInterruptibly).isInstanceOf(AssertionError.class);
            assertThatThrownBy(() -> lockClient.tryLock(1, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .isInstanceOf(AssertionError.class);
        } finally {
            openFile.unlock();
        }
    }
}
