package org.jnfsd.vfs.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SparseContentTest {
    private static final int C = SparseContent.CHUNK;

    @Test
    void write_acrossChunkBoundary_readsBack() {
        SparseContent s = new SparseContent();
        s.write(C - 2, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
        ByteBuffer dst = ByteBuffer.allocate(4);
        assertThat(s.read(C - 2, dst)).isTrue();
        assertThat(dst.array()).containsExactly(1, 2, 3, 4);
        assertThat(s.allocated()).isEqualTo(2L * C);
    }

    @Test
    void write_farBeyondEof_allocatesOnlyTouchedChunk() {
        SparseContent s = new SparseContent();
        s.write(1000L * C, ByteBuffer.wrap(new byte[] {9}));
        assertThat(s.size()).isEqualTo(1000L * C + 1);
        assertThat(s.allocated()).isEqualTo(C);
        ByteBuffer dst = ByteBuffer.allocate(3);
        assertThat(s.read(1000L * C - 2, dst)).isTrue();
        assertThat(dst.array()).containsExactly(0, 0, 9);
    }

    @Test
    void resize_shrinkThenGrow_oldBytesReadAsZero() {
        SparseContent s = new SparseContent();
        s.write(0, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));
        s.resize(2);
        s.resize(5);
        ByteBuffer dst = ByteBuffer.allocate(5);
        s.read(0, dst);
        assertThat(dst.array()).containsExactly(1, 2, 0, 0, 0);
    }

    @Test
    void resize_toChunkMultiple_dropsLaterChunks() {
        SparseContent s = new SparseContent();
        s.write(0, ByteBuffer.allocate(3 * C));
        s.resize(C);
        assertThat(s.allocated()).isEqualTo(C);
        s.resize(0);
        assertThat(s.allocated()).isZero();
    }

    @Test
    void allocationFor_countsOnlyMissingChunks() {
        SparseContent s = new SparseContent();
        s.write(C, ByteBuffer.allocate(1));
        assertThat(s.allocationFor(0, 3L * C)).isEqualTo(2L * C);
        assertThat(s.allocationFor(C + 5, 10)).isZero();
        assertThat(s.allocationFor(0, 0)).isZero();
    }

    @Test
    void read_partialBeforeEof_notEof() {
        SparseContent s = new SparseContent();
        s.write(0, ByteBuffer.allocate(10));
        assertThat(s.read(0, ByteBuffer.allocate(5))).isFalse();
        assertThat(s.read(5, ByteBuffer.allocate(5))).isTrue();
    }
}
