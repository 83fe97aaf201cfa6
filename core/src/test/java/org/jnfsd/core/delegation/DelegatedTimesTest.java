package org.jnfsd.core.delegation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;

/** RFC 9754 delegated times kept from a CB_GETATTR reply, on the memory backend and manual clock. */
class DelegatedTimesTest {
    private final ManualClock clock = new ManualClock();
    private final MemoryFileSystem fs = new MemoryFileSystem(clock);
    private final FileHandle file;
    private final Stat before;

    DelegatedTimesTest() throws Exception {
        Inode f = fs.createFile(fs.root(), "f", new SetAttributes(0644, 0, 0, null, null, null), true);
        file = new FileHandle(1, f);
        before = fs.getattr(f);
        clock.advance(Duration.ofSeconds(10));
    }

    private Stat keep(boolean modified, Instant atime, Instant mtime) throws Exception {
        return DelegatedTimes.keepReported(file, fs.getattr(file.inode()), fs, modified,
                new GetattrCallback.HolderAttributes(before.change() + 1, 77, atime, mtime));
    }

    @Test
    void newer_onlyALaterTimeIsTaken_anUnknownCurrentTakesAny() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(DelegatedTimes.newer(t.plusSeconds(1), t)).isEqualTo(t.plusSeconds(1));
        assertThat(DelegatedTimes.newer(t, t)).as("equal: not newer").isNull();
        assertThat(DelegatedTimes.newer(t.minusSeconds(1), t)).isNull();
        assertThat(DelegatedTimes.newer(t, null)).isEqualTo(t);
        assertThat(DelegatedTimes.newer(null, t)).isNull();
    }

    @Test
    void keepReported_newerTimes_becomeTheFiles_unmodifiedKeepsItsSize() throws Exception {
        Instant atime = before.atime().plusSeconds(3);
        Instant mtime = before.mtime().plusSeconds(4);

        Stat st = keep(false, atime, mtime);

        assertThat(st.atime()).isEqualTo(atime);
        assertThat(st.mtime()).isEqualTo(mtime);
        assertThat(st.size()).as("not modified: the server's size").isZero();
        assertThat(fs.getattr(file.inode()).atime()).as("kept in the file").isEqualTo(atime);
    }

    @Test
    void keepReported_olderTimesAndNotModified_fileUnchanged_sameStat() throws Exception {
        Stat current = fs.getattr(file.inode());

        Stat st = keep(false, before.atime().minusSeconds(5), before.mtime().minusSeconds(5));

        assertThat(st).isEqualTo(current);
        assertThat(fs.getattr(file.inode()).change()).as("no setattr").isEqualTo(current.change());
    }

    @Test
    void keepReported_onlyAtimeNewer_mtimeLeftAlone() throws Exception {
        Instant atime = before.atime().plusSeconds(3);

        Stat st = keep(false, atime, null);

        assertThat(st.atime()).isEqualTo(atime);
        assertThat(st.mtime()).isEqualTo(before.mtime());
    }

    @Test
    void keepReported_modifiedWithoutANewerMtime_mtimeBecomesNow_holdersSize() throws Exception {
        Stat st = keep(true, null, before.mtime().minusSeconds(1));

        assertThat(st.mtime()).as("server now, so change advances").isEqualTo(clock.instant());
        assertThat(st.atime()).isEqualTo(before.atime());
        assertThat(st.size()).as("the holder's size").isEqualTo(77);
        assertThat(fs.getattr(file.inode()).change()).isGreaterThan(before.change());
    }

    @Test
    void keepReported_modifiedWithANewerMtime_thatMtimeKept() throws Exception {
        Instant mtime = before.mtime().plusSeconds(2);

        Stat st = keep(true, null, mtime);

        assertThat(st.mtime()).isEqualTo(mtime);
        assertThat(st.size()).isEqualTo(77);
    }
}
