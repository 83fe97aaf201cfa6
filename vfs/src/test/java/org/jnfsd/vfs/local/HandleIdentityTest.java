package org.jnfsd.vfs.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import org.jnfsd.vfs.DirEntry;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.LookupResult;
import org.jnfsd.vfs.SetAttributes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One file, one handle (issue 16): a local rename between the {@code statx} of a name and the
 * making of its handle must not give an object a second handle, nor a handle whose kernel part
 * names another object than its inode number; and a known object's handle is made once, not by a
 * system call per LOOKUP or READDIR entry.
 */
class HandleIdentityTest {
    @TempDir
    Path dir;

    private LocalFileSystem fs;

    @BeforeEach
    void open() throws Exception {
        Files.writeString(dir.resolve("x"), "A");
        Files.writeString(dir.resolve("y"), "B");
        fs = new LocalFileSystem(dir, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        fs.close();
    }

    /** Renames y over x the first time a handle is about to be made, as another process could. */
    private void renameYOverXOnce() {
        boolean[] done = {false};
        fs.handleHook = () -> {
            if (!done[0]) {
                done[0] = true;
                try {
                    Files.move(dir.resolve("y"), dir.resolve("x"), StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private long ino(String name) throws IOException {
        return (Long) Files.getAttribute(dir.resolve(name), "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    private static long inoOf(Inode h) {
        return java.nio.ByteBuffer.wrap(h.bytes()).getLong();
    }

    @Test
    void lookup_renamedOverBetweenStatAndHandle_theHandleOfWhatIsThereNow() throws Exception {
        long b = ino("y");
        renameYOverXOnce();

        LookupResult raced = fs.lookupWithDir(fs.root(), "x");
        fs.handleHook = () -> { };

        assertThat(fs.lookup(fs.root(), "x")).as("x's one handle").isEqualTo(raced.entry());
        try (LocalFileSystem fresh = new LocalFileSystem(dir, Clock.systemUTC())) {
            assertThat(raced.entry()).as("as a backend that never saw x makes it").isEqualTo(fresh.lookup(fresh.root(), "x"));
        }
        assertThat(inoOf(raced.entry())).as("the handle's inode number").isEqualTo(b);
        assertThat(raced.entryAttrs().fileId()).as("attributes of the object now at x").isEqualTo(b);
    }

    @Test
    void readdir_renamedOverBetweenStatAndHandle_oneEntryWithTheOneHandle() throws Exception {
        long b = ino("y");
        renameYOverXOnce();

        List<DirEntry> entries = fs.readdir(fs.root(), 0, 100).entries();
        fs.handleHook = () -> { };

        assertThat(entries).extracting(DirEntry::name).containsExactly("x");
        DirEntry x = entries.getFirst();
        assertThat(x.stat().fileId()).isEqualTo(b);
        try (LocalFileSystem fresh = new LocalFileSystem(dir, Clock.systemUTC())) {
            assertThat(x.inode()).isEqualTo(fresh.lookup(fresh.root(), "x"));
        }
    }

    @Test
    void lookup_repeated_handleMadeOnce() throws Exception {
        long before = fs.handlesMade();
        Inode first = fs.lookup(fs.root(), "x");
        for (int i = 0; i < 50; i++) {
            assertThat(fs.lookup(fs.root(), "x")).isEqualTo(first);
            assertThat(fs.readdir(fs.root(), 0, 100).entries()).extracting(DirEntry::inode).contains(first);
        }
        assertThat(fs.handlesMade() - before).as("handles made by system calls: x once, y once").isEqualTo(2);
    }

    @Test
    void create_thenLookup_handleMadeOnceAndTheSame() throws Exception {
        Inode made = fs.createFile(fs.root(), "new", SetAttributes.NONE, true);
        long after = fs.handlesMade();

        assertThat(fs.lookup(fs.root(), "new")).isEqualTo(made);
        assertThat(fs.handlesMade()).isEqualTo(after);
    }
}
