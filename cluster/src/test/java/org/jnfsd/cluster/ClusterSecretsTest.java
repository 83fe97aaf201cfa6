package org.jnfsd.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.fs.HandleKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared handle key: one per cluster, whichever node makes it. */
class ClusterSecretsTest {
    private TestDatabase test;

    @BeforeEach
    void schema() throws Exception {
        test = TestDatabase.create();
    }

    @AfterEach
    void close() throws Exception {
        test.close();
    }

    @Test
    void handleKey_twoNodes_sameKey_aHandleSealedOnOneOpensOnTheOther() throws Exception {
        HandleKey a;
        HandleKey b;
        try (ClusterDatabase nodeA = test.open(); ClusterDatabase nodeB = test.open()) {
            a = ClusterSecrets.handleKey(nodeA);
            b = ClusterSecrets.handleKey(nodeB);
        }
        FileHandle fh = new FileHandle(1, new org.jnfsd.vfs.Inode(new byte[] {1, 2, 3}));

        assertThat(b.open(a.seal(fh))).isEqualTo(fh);
        assertThat(test.queryLong("SELECT count(*) FROM cluster_secret")).isEqualTo(1);
    }
}
