package org.jnfsd.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.vfs.DirList;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.VfsError;
import org.jnfsd.vfs.VfsException;
import org.junit.jupiter.api.Test;

class PseudoFsTest {
    private static final List<String> PATHS = List.of("/srv/data", "/srv/pub", "/home", "/a/b/c");

    @Test
    void readdir_oneEntryAtATime_everyChildOnceInNameOrder_eofOnTheLast() throws Exception {
        PseudoFs fs = new PseudoFs(PATHS);
        Inode srv = fs.lookup(fs.root(), "srv");
        List<String> names = new ArrayList<>();
        long cookie = 0;
        for (int i = 0; i < 10; i++) {
            DirList page = fs.readdir(fs.root(), cookie, 1);
            page.entries().forEach(e -> names.add(e.name()));
            if (page.eof()) {
                break;
            }
            cookie = page.entries().getLast().cookie();
        }
        assertThat(names).containsExactly("a", "home", "srv");
        assertThat(fs.readdir(srv, 0, 10).entries()).extracting(e -> e.name()).containsExactly("data", "pub");
        assertThat(fs.readdir(srv, 0, 10).eof()).isTrue();
        assertThat(fs.readdir(srv, 0, 10).entries()).allMatch(e -> e.cookie() > 2);
    }

    @Test
    void lookupAndParent_walkThePaths_noentElsewhere() throws Exception {
        PseudoFs fs = new PseudoFs(PATHS);
        Inode a = fs.lookup(fs.root(), "a");
        Inode b = fs.lookup(a, "b");
        Inode c = fs.lookup(b, "c");
        assertThat(fs.parent(c)).isEqualTo(b);
        assertThat(fs.parent(a)).isEqualTo(fs.root());
        assertThat(fs.parent(fs.root())).isEqualTo(fs.root());
        assertThat(fs.node(c).path()).isEqualTo("/a/b/c");
        assertThat(fs.getattr(b).type()).isEqualTo(FileType.DIRECTORY);
        assertThat(fs.getattr(b).mode()).isEqualTo(0555);
        assertThat(catchThrowableOfType(VfsException.class, () -> fs.lookup(a, "x")).error())
                .isEqualTo(VfsError.NOENT);
        assertThat(catchThrowableOfType(VfsException.class, () -> fs.getattr(new Inode(new byte[] {1}))).error())
                .isEqualTo(VfsError.STALE);
    }

    @Test
    void everyChange_rofs() {
        PseudoFs fs = new PseudoFs(PATHS);
        assertThat(catchThrowableOfType(VfsException.class, () -> fs.mkdir(fs.root(), "x", null)).error())
                .isEqualTo(VfsError.ROFS);
        assertThat(catchThrowableOfType(VfsException.class, () -> fs.remove(fs.root(), "srv")).error())
                .isEqualTo(VfsError.ROFS);
        assertThat(catchThrowableOfType(VfsException.class, () -> fs.rename(fs.root(), "srv", fs.root(), "s"))
                .error()).isEqualTo(VfsError.ROFS);
        assertThat(catchThrowableOfType(VfsException.class, () -> fs.createFile(fs.root(), "f", null, false))
                .error()).isEqualTo(VfsError.ROFS);
    }

    @Test
    void sameExports_sameInodesFileidsAndChange_otherExports_otherChange() throws Exception {
        PseudoFs one = new PseudoFs(PATHS);
        PseudoFs two = new PseudoFs(List.of("/a/b/c", "/home", "/srv/pub", "/srv/data"));
        Inode srv = one.lookup(one.root(), "srv");
        assertThat(two.lookup(two.root(), "srv")).isEqualTo(srv);
        assertThat(two.getattr(srv)).isEqualTo(one.getattr(srv));
        assertThat(new PseudoFs(List.of("/home")).getattr(one.root()).change())
                .isNotEqualTo(one.getattr(one.root()).change());
        assertThat(one.fsid()).isEqualTo(PseudoFs.FSID);
    }
}
