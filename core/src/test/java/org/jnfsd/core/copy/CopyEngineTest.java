package org.jnfsd.core.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.VfsError;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;

class CopyEngineTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final MemoryFileSystem fs = new MemoryFileSystem(CLOCK);
    private final List<Long> calls = new ArrayList<>();
    private int failAfterCalls = Integer.MAX_VALUE;

    /** The memory backend, recording each copy call's length and failing from a chosen call on. */
    private final VirtualFileSystem recording = (VirtualFileSystem) java.lang.reflect.Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {VirtualFileSystem.class}, (p, m, a) -> {
                if (m.getName().equals("copy")) {
                    if (calls.size() >= failAfterCalls) {
                        throw new VfsException(VfsError.NOSPC, "full");
                    }
                    calls.add((Long) a[4]);
                }
                try {
                    return m.invoke(fs, a);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            });

    private Inode file(String name, int size) throws VfsException {
        Inode f = fs.createFile(fs.root(), name, SetAttributes.NONE, true);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) i;
        }
        fs.write(f, 0, ByteBuffer.wrap(b), Stability.UNSTABLE);
        return f;
    }

    @Test
    void copy_inChunks_stopsAtSourceEnd() throws Exception {
        Inode src = file("src", 250);
        Inode dst = file("dst", 0);
        CopyEngine.Outcome o = new CopyEngine(100).copy(recording, src, 0, dst, 0, 1000, null);
        assertThat(o).isEqualTo(new CopyEngine.Outcome(250, null));
        assertThat(calls).containsExactly(100L, 100L, 100L);
        assertThat(fs.getattr(dst).size()).isEqualTo(250);
    }

    @Test
    void copy_failureAfterSomeChunks_reportsPartialCount() throws Exception {
        Inode src = file("src", 250);
        Inode dst = file("dst", 0);
        failAfterCalls = 2;
        CopyEngine.Outcome o = new CopyEngine(100).copy(recording, src, 0, dst, 0, 250, null);
        assertThat(o.copied()).isEqualTo(200);
        assertThat(o.failure().error()).isEqualTo(VfsError.NOSPC);
    }

    @Test
    void copy_cancelledBetweenChunks_stopsWithProgress() throws Exception {
        Inode src = file("src", 250);
        Inode dst = file("dst", 0);
        AsyncCopy copy = new AsyncCopy(new StateId(1, new byte[12]), 1,
                new AsyncCopy.Request(fs, src, 0, dst, 0, 250, new byte[] {1}, new byte[8]));
        VirtualFileSystem cancelling = (VirtualFileSystem) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {VirtualFileSystem.class}, (p, m, a) -> {
                    Object r;
                    try {
                        r = m.invoke(fs, a);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (m.getName().equals("copy")) {
                        copy.cancel(CLOCK.instant()); // OFFLOAD_CANCEL arrives during the first chunk
                    }
                    return r;
                });
        CopyEngine.Outcome o = new CopyEngine(100).copy(cancelling, src, 0, dst, 0, 250, copy);
        assertThat(o.copied()).isEqualTo(100);
        assertThat(copy.copied()).isEqualTo(100);
    }

    @Test
    void copy_lengthNotAMultipleOfTheChunk_lastCallAsksOnlyForTheRest() throws Exception {
        Inode src = file("src10", 10);
        Inode dst = file("dst10", 0);
        CopyEngine.Outcome o = new CopyEngine(4).copy(recording, src, 0, dst, 0, 6, null);
        assertThat(o).isEqualTo(new CopyEngine.Outcome(6, null));
        assertThat(calls).containsExactly(4L, 2L);
    }

    @Test
    void chunk_oneByteAllowed_zeroRefused() {
        assertThat(new CopyEngine(1)).isNotNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CopyEngine(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settings_zeroLimitsAllowed_negativeRefused() {
        java.time.Duration d = java.time.Duration.ofSeconds(1);
        assertThat(new Copies.Settings(0, 0, d, d).maxPerClient()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Copies.Settings(-1, 0, d, d))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Copies.Settings(0, -1, d, d))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
