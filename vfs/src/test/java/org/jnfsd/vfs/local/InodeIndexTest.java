package org.jnfsd.vfs.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InodeIndexTest {
    private static final Path ROOT = Path.of("/export");
    private final InodeIndex index = new InodeIndex(2);

    @Test
    void pathOf_chainToRoot_buildsPath() {
        index.put(10, 2, "a");
        index.put(11, 10, "b");
        assertThat(index.pathOf(11, ROOT)).isEqualTo(Path.of("/export/a/b"));
        assertThat(index.pathOf(2, ROOT)).isEqualTo(ROOT);
    }

    @Test
    void relativePathOf_rootChildAndDeeper_slashSeparatedBelowTheRoot() {
        index.put(10, 2, "a");
        index.put(11, 10, "b");
        index.put(12, 11, "c");
        assertThat(index.relativePathOf(2)).isEmpty();
        assertThat(index.relativePathOf(10)).isEqualTo("a");
        assertThat(index.relativePathOf(12)).isEqualTo("a/b/c");
        assertThat(index.relativePathOf(99)).isNull();
    }

    @Test
    void pathOf_afterDirectoryRename_followsNewName() {
        index.put(10, 2, "a");
        index.put(11, 10, "b");
        index.put(10, 2, "renamed");
        assertThat(index.pathOf(11, ROOT)).isEqualTo(Path.of("/export/renamed/b"));
    }

    @Test
    void pathOf_unknownLinkOrCycle_null() {
        index.put(11, 10, "b");
        assertThat(index.pathOf(11, ROOT)).isNull();
        index.put(10, 11, "a");
        assertThat(index.pathOf(11, ROOT)).isNull();
    }

    @Test
    void forget_onlyMatchingLink_removed() {
        index.put(10, 2, "a");
        index.forget(10, 2, "other");
        assertThat(index.pathOf(10, ROOT)).isNotNull();
        index.forget(10, 2, "a");
        assertThat(index.pathOf(10, ROOT)).isNull();
    }

    @Test
    void isMissing_generationMustMatchAndPutClearsIt() {
        index.markMissing(10, 7);
        assertThat(index.isMissing(10, 7)).isTrue();
        assertThat(index.isMissing(10, 8)).isFalse();
        index.put(10, 2, "back");
        assertThat(index.isMissing(10, 7)).isFalse();
    }
}
