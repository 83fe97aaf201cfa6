package org.jnfsd.vfs.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handle cache of {@link KernelHandles}: keyed by inode number and generation, bounded. */
class KernelHandlesCacheTest {
    @TempDir
    Path dir;

    private final Libc libc = new Libc();
    private int rootFd = -1;
    private KernelHandles handles;

    @BeforeEach
    void open() throws Exception {
        for (int i = 0; i < 10; i++) {
            Files.writeString(dir.resolve("f" + i), "data");
        }
        rootFd = libc.openDirectory(dir);
        handles = new KernelHandles(libc, dir, rootFd, false, 4);
    }

    @AfterEach
    void close() throws Exception {
        handles.close();
        libc.closeDescriptor(rootFd, dir);
    }

    private KernelHandles.Identified identify(String name, long generation) throws Exception {
        return handles.identify(libc.statxAt(rootFd, name, false), generation, a -> generation, rootFd, name);
    }

    @Test
    void identify_sameGeneration_fromTheCache() throws Exception {
        KernelHandles.Identified first = identify("f0", 7);
        KernelHandles.Identified second = identify("f0", 7);

        assertThat(second.handle()).isEqualTo(first.handle());
        assertThat(handles.handlesMade()).isEqualTo(1);
    }

    @Test
    void identify_otherGeneration_madeAgain() throws Exception {
        identify("f0", 7);
        KernelHandles.Identified reused = identify("f0", 8);

        assertThat(handles.handlesMade()).as("a reused inode number is not its old object").isEqualTo(2);
        assertThat(java.nio.ByteBuffer.wrap(reused.handle().bytes(), 8, 8).getLong()).isEqualTo(8);
    }

    @Test
    void identify_noGeneration_neverCached() throws Exception {
        identify("f0", 0);
        identify("f0", 0);

        assertThat(handles.handlesMade()).isEqualTo(2);
        assertThat(handles.cachedHandles()).isZero();
    }

    @Test
    void identify_manyObjects_boundedAndRecentKept() throws Exception {
        for (int i = 0; i < 10; i++) {
            identify("f" + i, 7);
            assertThat(handles.cachedHandles()).as("after %d", i + 1).isLessThanOrEqualTo(4);
        }
        long made = handles.handlesMade();
        identify("f9", 7);
        identify("f8", 7);

        assertThat(handles.handlesMade()).as("the last two are still cached").isEqualTo(made);
    }

    @Test
    void identify_usedSinceTheLastTurn_survivesTheNext() throws Exception {
        identify("f0", 7);
        identify("f1", 7); // the young half is full: it becomes the old one
        identify("f0", 7); // used again
        identify("f2", 7);
        identify("f3", 7); // two turns later: f1 is dropped, f0 is not
        long made = handles.handlesMade();

        identify("f0", 7);
        assertThat(handles.handlesMade()).isEqualTo(made);
        identify("f1", 7);
        assertThat(handles.handlesMade()).isEqualTo(made + 1);
    }
}
