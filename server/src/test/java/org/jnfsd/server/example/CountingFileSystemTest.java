package org.jnfsd.server.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.VirtualFileSystemContractTest;
import org.jnfsd.vfs.memory.MemoryFileSystem;
import org.junit.jupiter.api.Test;

/**
 * The example backend of docs/backends.md passes the backend contract, taken from
 * jnfsd-vfs's test-jar as a backend author outside this repository takes it, and counts.
 */
class CountingFileSystemTest extends VirtualFileSystemContractTest {
    @Override
    protected VirtualFileSystem newFileSystem() {
        return new CountingFileSystem(new MemoryFileSystem(Clock.systemUTC()));
    }

    @Test
    void countsCreatesAndBytesWritten() throws Exception {
        Inode f = fs.createFile(root, "counted", mode(0644), true);
        fs.write(f, 0, bytes("twelve bytes"), Stability.FILE_SYNC);
        CountingFileSystem counting = (CountingFileSystem) fs;
        assertThat(counting.filesCreated()).isEqualTo(1);
        assertThat(counting.bytesWritten()).isEqualTo(12);
        assertThat(readAll(f)).isEqualTo("twelve bytes");
    }
}
