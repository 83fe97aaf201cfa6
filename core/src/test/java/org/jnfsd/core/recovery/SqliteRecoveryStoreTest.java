package org.jnfsd.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SqliteRecoveryStore} against the store contract; a "restart" closes and reopens the file. */
class SqliteRecoveryStoreTest extends RecoveryStoreContractTest {
    @TempDir
    Path dir;

    @Override
    RecoveryStore create() {
        return SqliteRecoveryStore.open(dir.resolve("state"));
    }

    @Override
    RecoveryStore reopen(RecoveryStore previous) {
        previous.close();
        return SqliteRecoveryStore.open(dir.resolve("state"));
    }

    @Test
    void open_missingDirectory_createsItAndTheDatabase() {
        first();

        assertThat(dir.resolve("state").resolve(SqliteRecoveryStore.FILE_NAME)).isRegularFile();
    }

    @Test
    void open_stateDirIsAFile_failsWithCause() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> SqliteRecoveryStore.open(file))
                .isInstanceOf(RecoveryStoreException.class)
                .hasCauseInstanceOf(IOException.class);
    }
}
