package org.jnfsd.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link VirtualFileSystem} backend must show. A backend's test extends this
 * class and says how to make a fresh, empty file system.
 */
public abstract class VirtualFileSystemContractTest {
    protected VirtualFileSystem fs;
    protected Inode root;

    /** A new, empty file system; closed after each test. */
    protected abstract VirtualFileSystem newFileSystem() throws Exception;

    @BeforeEach
    void setUpFileSystem() throws Exception {
        fs = newFileSystem();
        root = fs.root();
    }

    @AfterEach
    void closeFileSystem() {
        fs.close();
    }

    protected static SetAttributes mode(int mode) {
        return SetAttributes.NONE.withMode(mode);
    }

    protected static void assertVfsError(VfsError expected, ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOf(VfsException.class)
                .satisfies(e -> assertThat(((VfsException) e).error()).isEqualTo(expected));
    }

    protected static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    protected String readAll(Inode file) throws VfsException {
        ByteBuffer dst = ByteBuffer.allocate((int) fs.getattr(file).size() + 10);
        assertThat(fs.read(file, 0, dst)).isTrue();
        return new String(dst.array(), 0, dst.position(), StandardCharsets.UTF_8);
    }

    protected Inode file(Inode dir, String name, String content) throws VfsException {
        Inode f = fs.createFile(dir, name, mode(0644), true);
        fs.write(f, 0, bytes(content), Stability.UNSTABLE);
        return f;
    }

    protected List<DirEntry> listAll(Inode dir, int page) throws VfsException {
        List<DirEntry> all = new ArrayList<>();
        long cookie = 0;
        while (true) {
            DirList l = fs.readdir(dir, cookie, page);
            all.addAll(l.entries());
            if (l.eof()) {
                return all;
            }
            assertThat(l.entries()).isNotEmpty();
            cookie = l.entries().getLast().cookie();
        }
    }

    protected List<String> names(Inode dir) throws VfsException {
        return listAll(dir, 1000).stream().map(DirEntry::name).toList();
    }

    // ---- root, lookup, parent, getattr ----

    @Test
    void root_getattr_isEmptyDirectoryWithTwoLinks() throws Exception {
        Stat s = fs.getattr(root);
        assertThat(s.type()).isEqualTo(FileType.DIRECTORY);
        assertThat(s.nlink()).isEqualTo(2);
        assertThat(names(root)).isEmpty();
    }

    @Test
    void parent_ofRoot_isRoot() throws Exception {
        assertThat(fs.parent(root)).isEqualTo(root);
    }

    @Test
    void parent_ofSubdirectory_isContainingDirectory() throws Exception {
        Inode a = fs.mkdir(root, "a", mode(0755));
        Inode b = fs.mkdir(a, "b", mode(0755));
        assertThat(fs.parent(b)).isEqualTo(a);
        assertThat(fs.parent(a)).isEqualTo(root);
    }

    @Test
    void parent_ofFile_NOTDIR() throws Exception {
        Inode f = file(root, "f", "x");
        assertVfsError(VfsError.NOTDIR, () -> fs.parent(f));
    }

    @Test
    void lookup_missingName_NOENT() {
        assertVfsError(VfsError.NOENT, () -> fs.lookup(root, "missing"));
    }

    @Test
    void lookupIfExists_missingName_null() throws Exception {
        assertThat(fs.lookupIfExists(root, "missing")).isNull();
    }

    @Test
    void lookupIfExists_existingName_sameInodeAsLookup() throws Exception {
        Inode f = file(root, "f", "x");
        assertThat(fs.lookupIfExists(root, "f")).isEqualTo(f).isEqualTo(fs.lookup(root, "f"));
    }

    @Test
    void lookupIfExists_inRegularFileOrTooLong_errorsAsLookup() throws Exception {
        Inode f = file(root, "f", "x");
        assertVfsError(VfsError.NOTDIR, () -> fs.lookupIfExists(f, "x"));
        assertVfsError(VfsError.NAMETOOLONG, () -> fs.lookupIfExists(root, "n".repeat(fs.maxNameLength() + 1)));
    }

    @Test
    void lookupWithDir_existingName_dirAttributesAndEntry() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0750));
        Inode f = file(d, "f", "x");

        LookupResult r = fs.lookupWithDir(d, "f");

        assertThat(r.entry()).isEqualTo(f);
        assertThat(r.dir()).isEqualTo(fs.getattr(d));
        if (r.entryAttrs() != null) {
            assertThat(r.entryAttrs()).isEqualTo(fs.getattr(f));
        }
    }

    @Test
    void lookupWithDir_missingName_dirAttributesAndNoEntry() throws Exception {
        LookupResult r = fs.lookupWithDir(root, "missing");

        assertThat(r.entry()).isNull();
        assertThat(r.dir().type()).isEqualTo(FileType.DIRECTORY);
    }

    @Test
    void lookupWithDir_regularFileOrSymlink_theirAttributesNoEntry() throws Exception {
        Inode f = file(root, "f", "x");
        Inode l = fs.symlink(root, "l", "f", SetAttributes.NONE);

        assertThat(fs.lookupWithDir(f, "x")).isEqualTo(new LookupResult(fs.getattr(f), null, null));
        assertThat(fs.lookupWithDir(l, "x")).isEqualTo(new LookupResult(fs.getattr(l), null, null));
    }

    @Test
    void lookup_inRegularFile_NOTDIR() throws Exception {
        Inode f = file(root, "f", "x");
        assertVfsError(VfsError.NOTDIR, () -> fs.lookup(f, "x"));
    }

    @Test
    void lookup_nameLongerThanMax_NAMETOOLONG() {
        String longName = "n".repeat(fs.maxNameLength() + 1);
        assertVfsError(VfsError.NAMETOOLONG, () -> fs.lookup(root, longName));
        assertVfsError(VfsError.NAMETOOLONG, () -> fs.createFile(root, longName, mode(0644), true));
    }

    @Test
    void create_notASingleComponent_INVAL() {
        for (String bad : new String[] {"", ".", "..", "a/b", "a\0b"}) {
            assertVfsError(VfsError.INVAL, () -> fs.createFile(root, bad, mode(0644), true));
            assertVfsError(VfsError.INVAL, () -> fs.mkdir(root, bad, mode(0755)));
        }
    }

    @Test
    void lookup_existingName_returnsSameInodeAsCreate() throws Exception {
        Inode f = file(root, "f", "x");
        assertThat(fs.lookup(root, "f")).isEqualTo(f);
        assertThat(fs.getattr(f).fileId()).isEqualTo(fs.getattr(fs.lookup(root, "f")).fileId());
    }

    @Test
    void getattr_distinctObjects_distinctFileIds() throws Exception {
        Inode a = file(root, "a", "");
        Inode b = fs.mkdir(root, "b", mode(0755));
        assertThat(fs.getattr(a).fileId()).isNotEqualTo(fs.getattr(b).fileId());
        assertThat(a).isNotEqualTo(b);
    }

    // ---- create ----

    @Test
    void createFile_new_hasRequestedModeAndIsEmpty() throws Exception {
        Inode f = fs.createFile(root, "f", mode(0640), true);
        Stat s = fs.getattr(f);
        assertThat(s.type()).isEqualTo(FileType.REGULAR);
        assertThat(s.mode()).isEqualTo(0640);
        assertThat(s.nlink()).isEqualTo(1);
        assertThat(s.size()).isZero();
        assertThat(names(root)).containsExactly("f");
    }

    @Test
    void createFile_withOwner_setsOwner() throws Exception {
        Inode f = fs.createFile(root, "f", mode(0600).withOwner(1234, 5678), true);
        Stat s = fs.getattr(f);
        assertThat(s.uid()).isEqualTo(1234);
        assertThat(s.gid()).isEqualTo(5678);
    }

    @Test
    void createFile_exclusiveOnExisting_EXIST() throws Exception {
        file(root, "f", "x");
        assertVfsError(VfsError.EXIST, () -> fs.createFile(root, "f", mode(0644), true));
    }

    @Test
    void createFile_uncheckedOnExisting_returnsExistingFile() throws Exception {
        Inode f = file(root, "f", "data");
        assertThat(fs.createFile(root, "f", mode(0600), false)).isEqualTo(f);
        assertThat(readAll(f)).isEqualTo("data");
    }

    @Test
    void createFile_uncheckedWithSizeZeroOnExisting_truncates() throws Exception {
        Inode f = file(root, "f", "data");
        fs.createFile(root, "f", new SetAttributes(null, null, null, 0L, null, null), false);
        assertThat(fs.getattr(f).size()).isZero();
    }

    @Test
    void createFile_uncheckedOnDirectory_ISDIR() throws Exception {
        fs.mkdir(root, "d", mode(0755));
        assertVfsError(VfsError.ISDIR, () -> fs.createFile(root, "d", mode(0644), false));
    }

    @Test
    void createFile_inFile_NOTDIR() throws Exception {
        Inode f = file(root, "f", "x");
        assertVfsError(VfsError.NOTDIR, () -> fs.createFile(f, "g", mode(0644), true));
    }

    @Test
    void createFile_changesDirectoryChangeAndMtime() throws Exception {
        Stat before = fs.getattr(root);
        fs.createFile(root, "f", mode(0644), true);
        Stat after = fs.getattr(root);
        assertThat(after.change()).isNotEqualTo(before.change());
        assertThat(after.mtime()).isAfterOrEqualTo(before.mtime());
    }

    @Test
    void mkdir_new_incrementsParentNlink() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0750));
        Stat s = fs.getattr(d);
        assertThat(s.type()).isEqualTo(FileType.DIRECTORY);
        assertThat(s.mode()).isEqualTo(0750);
        assertThat(s.nlink()).isEqualTo(2);
        assertThat(fs.getattr(root).nlink()).isEqualTo(3);
        fs.mkdir(d, "e", mode(0750));
        assertThat(fs.getattr(d).nlink()).isEqualTo(3);
        file(d, "f", "x");
        assertThat(fs.getattr(d).nlink()).isEqualTo(3);
    }

    @Test
    void mkdir_existingName_EXIST() throws Exception {
        file(root, "f", "x");
        assertVfsError(VfsError.EXIST, () -> fs.mkdir(root, "f", mode(0755)));
    }

    // ---- symlinks ----

    @Test
    void symlink_created_isReadableAndNotFollowed() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        file(d, "inside", "x");
        Inode l = fs.symlink(root, "l", "d", SetAttributes.NONE);
        assertThat(fs.lookup(root, "l")).isEqualTo(l);
        Stat s = fs.getattr(l);
        assertThat(s.type()).isEqualTo(FileType.SYMLINK);
        assertThat(s.size()).isEqualTo(1);
        assertThat(fs.readlink(l)).isEqualTo("d");
        assertVfsError(VfsError.NOTDIR, () -> fs.lookup(l, "inside"));
        assertVfsError(VfsError.NOTDIR, () -> fs.readdir(l, 0, 10));
    }

    @Test
    void symlink_toAbsolutePathOutside_isNeverFollowed() throws Exception {
        Inode l = fs.symlink(root, "escape", "/", SetAttributes.NONE);
        assertThat(fs.readlink(l)).isEqualTo("/");
        assertVfsError(VfsError.NOTDIR, () -> fs.lookup(l, "etc"));
        assertVfsError(VfsError.NOTDIR, () -> fs.createFile(l, "x", mode(0644), true));
        assertVfsError(VfsError.INVAL, () -> fs.read(l, 0, ByteBuffer.allocate(10)));
        assertVfsError(VfsError.INVAL, () -> fs.write(l, 0, bytes("x"), Stability.FILE_SYNC));
    }

    @Test
    void symlink_danglingTarget_isCreated() throws Exception {
        Inode l = fs.symlink(root, "l", "does/not/exist", SetAttributes.NONE);
        assertThat(fs.readlink(l)).isEqualTo("does/not/exist");
    }

    @Test
    void symlink_existingName_EXIST() throws Exception {
        file(root, "f", "x");
        assertVfsError(VfsError.EXIST, () -> fs.symlink(root, "f", "t", SetAttributes.NONE));
    }

    @Test
    void readlink_ofRegularFile_INVAL() throws Exception {
        Inode f = file(root, "f", "x");
        assertVfsError(VfsError.INVAL, () -> fs.readlink(f));
    }

    @Test
    void setattr_ownerOfSymlink_changesLinkNotTarget() throws Exception {
        Inode f = file(root, "f", "x");
        fs.setattr(f, mode(0600));
        Inode l = fs.symlink(root, "l", "f", SetAttributes.NONE);
        fs.setattr(l, SetAttributes.NONE.withOwner(4321, 4321));
        assertThat(fs.getattr(f).uid()).isNotEqualTo(4321);
        assertThat(fs.getattr(l).uid()).isEqualTo(4321);
    }

    // ---- mknod ----

    @Test
    void mknod_fifoAndSocket_haveTheirTypes() throws Exception {
        Inode p = fs.mknod(root, "p", FileType.FIFO, 0, 0, mode(0600));
        Inode s = fs.mknod(root, "s", FileType.SOCKET, 0, 0, mode(0600));
        assertThat(fs.getattr(p).type()).isEqualTo(FileType.FIFO);
        assertThat(fs.getattr(p).mode()).isEqualTo(0600);
        assertThat(fs.getattr(s).type()).isEqualTo(FileType.SOCKET);
        assertThat(fs.lookup(root, "p")).isEqualTo(p);
    }

    @Test
    void mknod_regularOrDirectoryType_BADTYPE() {
        assertVfsError(VfsError.BADTYPE, () -> fs.mknod(root, "x", FileType.REGULAR, 0, 0, mode(0600)));
        assertVfsError(VfsError.BADTYPE, () -> fs.mknod(root, "x", FileType.DIRECTORY, 0, 0, mode(0600)));
    }

    @Test
    void mknod_existingName_EXIST() throws Exception {
        file(root, "f", "x");
        assertVfsError(VfsError.EXIST, () -> fs.mknod(root, "f", FileType.FIFO, 0, 0, mode(0600)));
    }

    // ---- hard links ----

    @Test
    void link_file_sharesDataAndCountsLinks() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        Inode f = file(root, "f", "shared");
        fs.link(f, d, "g");
        assertThat(fs.lookup(d, "g")).isEqualTo(f);
        assertThat(fs.getattr(f).nlink()).isEqualTo(2);
        fs.write(fs.lookup(d, "g"), 0, bytes("SHARED"), Stability.FILE_SYNC);
        assertThat(readAll(f)).isEqualTo("SHARED");
        fs.remove(root, "f");
        assertThat(fs.getattr(f).nlink()).isEqualTo(1);
        assertThat(readAll(fs.lookup(d, "g"))).isEqualTo("SHARED");
        assertThat(fs.getattr(d).nlink()).isEqualTo(2);
    }

    @Test
    void link_directory_ISDIR() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        assertVfsError(VfsError.ISDIR, () -> fs.link(d, root, "d2"));
    }

    @Test
    void link_existingName_EXIST() throws Exception {
        Inode f = file(root, "f", "x");
        file(root, "g", "y");
        assertVfsError(VfsError.EXIST, () -> fs.link(f, root, "g"));
    }

    @Test
    void link_symlink_linksTheSymlinkItself() throws Exception {
        Inode l = fs.symlink(root, "l", "target", SetAttributes.NONE);
        fs.link(l, root, "l2");
        assertThat(fs.lookup(root, "l2")).isEqualTo(l);
        assertThat(fs.getattr(l).nlink()).isEqualTo(2);
        assertThat(fs.readlink(fs.lookup(root, "l2"))).isEqualTo("target");
    }

    // ---- remove ----

    @Test
    void remove_file_isGoneAndHandleStale() throws Exception {
        Inode f = file(root, "f", "x");
        fs.remove(root, "f");
        assertVfsError(VfsError.NOENT, () -> fs.lookup(root, "f"));
        assertVfsError(VfsError.STALE, () -> fs.getattr(f));
        assertThat(names(root)).isEmpty();
    }

    @Test
    void remove_missing_NOENT() {
        assertVfsError(VfsError.NOENT, () -> fs.remove(root, "missing"));
    }

    @Test
    void remove_nonEmptyDirectory_NOTEMPTY() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        file(d, "f", "x");
        assertVfsError(VfsError.NOTEMPTY, () -> fs.remove(root, "d"));
        assertThat(fs.lookup(root, "d")).isEqualTo(d);
    }

    @Test
    void remove_emptyDirectory_decrementsParentNlink() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        fs.remove(root, "d");
        assertThat(fs.getattr(root).nlink()).isEqualTo(2);
        assertVfsError(VfsError.STALE, () -> fs.getattr(d));
    }

    @Test
    void remove_symlink_removesLinkNotTarget() throws Exception {
        Inode f = file(root, "f", "x");
        fs.symlink(root, "l", "f", SetAttributes.NONE);
        fs.remove(root, "l");
        assertThat(readAll(f)).isEqualTo("x");
        assertThat(names(root)).containsExactly("f");
    }

    // ---- rename ----

    @Test
    void rename_fileToNewName_movesIt() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        Inode f = file(root, "f", "x");
        fs.rename(root, "f", d, "g");
        assertThat(fs.lookup(d, "g")).isEqualTo(f);
        assertVfsError(VfsError.NOENT, () -> fs.lookup(root, "f"));
        assertThat(readAll(f)).isEqualTo("x");
    }

    @Test
    void rename_overExistingFile_replacesIt() throws Exception {
        Inode a = file(root, "a", "new");
        Inode b = file(root, "b", "old");
        fs.rename(root, "a", root, "b");
        assertThat(fs.lookup(root, "b")).isEqualTo(a);
        assertThat(readAll(fs.lookup(root, "b"))).isEqualTo("new");
        assertThat(names(root)).containsExactly("b");
        assertVfsError(VfsError.STALE, () -> fs.getattr(b));
    }

    @Test
    void rename_overHardLinkedFile_keepsOtherLink() throws Exception {
        Inode a = file(root, "a", "new");
        Inode b = file(root, "b", "old");
        fs.link(b, root, "b2");
        fs.rename(root, "a", root, "b");
        assertThat(fs.lookup(root, "b")).isEqualTo(a);
        assertThat(fs.getattr(b).nlink()).isEqualTo(1);
        assertThat(readAll(b)).isEqualTo("old");
    }

    @Test
    void rename_nonEmptyDirectory_carriesContents() throws Exception {
        Inode a = fs.mkdir(root, "a", mode(0755));
        Inode b = fs.mkdir(root, "b", mode(0755));
        Inode d = fs.mkdir(a, "d", mode(0755));
        Inode f = file(d, "f", "deep");
        fs.rename(a, "d", b, "moved");
        assertThat(fs.lookup(b, "moved")).isEqualTo(d);
        assertThat(fs.lookup(d, "f")).isEqualTo(f);
        assertThat(readAll(fs.lookup(fs.lookup(b, "moved"), "f"))).isEqualTo("deep");
        assertThat(fs.parent(d)).isEqualTo(b);
        assertThat(fs.getattr(a).nlink()).isEqualTo(2);
        assertThat(fs.getattr(b).nlink()).isEqualTo(3);
    }

    @Test
    void rename_directoryOntoNonEmptyDirectory_NOTEMPTY() throws Exception {
        fs.mkdir(root, "a", mode(0755));
        Inode b = fs.mkdir(root, "b", mode(0755));
        file(b, "f", "x");
        assertVfsError(VfsError.NOTEMPTY, () -> fs.rename(root, "a", root, "b"));
    }

    @Test
    void rename_directoryOntoEmptyDirectory_replacesIt() throws Exception {
        Inode a = fs.mkdir(root, "a", mode(0755));
        Inode b = fs.mkdir(root, "b", mode(0755));
        fs.rename(root, "a", root, "b");
        assertThat(fs.lookup(root, "b")).isEqualTo(a);
        assertThat(fs.getattr(root).nlink()).isEqualTo(3);
        assertVfsError(VfsError.STALE, () -> fs.getattr(b));
    }

    @Test
    void rename_directoryOntoFile_NOTDIR() throws Exception {
        fs.mkdir(root, "d", mode(0755));
        file(root, "f", "x");
        assertVfsError(VfsError.NOTDIR, () -> fs.rename(root, "d", root, "f"));
    }

    @Test
    void rename_fileOntoDirectory_ISDIR() throws Exception {
        fs.mkdir(root, "d", mode(0755));
        file(root, "f", "x");
        assertVfsError(VfsError.ISDIR, () -> fs.rename(root, "f", root, "d"));
    }

    @Test
    void rename_directoryIntoItsOwnSubdirectory_INVAL() throws Exception {
        Inode a = fs.mkdir(root, "a", mode(0755));
        Inode b = fs.mkdir(a, "b", mode(0755));
        assertVfsError(VfsError.INVAL, () -> fs.rename(root, "a", b, "a"));
        assertVfsError(VfsError.INVAL, () -> fs.rename(root, "a", a, "self"));
    }

    @Test
    void rename_missingSource_NOENT() {
        assertVfsError(VfsError.NOENT, () -> fs.rename(root, "missing", root, "x"));
    }

    @Test
    void rename_hardLinkOntoOtherLinkOfSameFile_doesNothing() throws Exception {
        Inode f = file(root, "f", "x");
        fs.link(f, root, "g");
        fs.rename(root, "f", root, "g");
        assertThat(names(root)).containsExactlyInAnyOrder("f", "g");
        assertThat(fs.getattr(f).nlink()).isEqualTo(2);
    }

    @Test
    void rename_toSameName_doesNothing() throws Exception {
        Inode f = file(root, "f", "x");
        fs.rename(root, "f", root, "f");
        assertThat(fs.lookup(root, "f")).isEqualTo(f);
    }

    // ---- readdir ----

    @Test
    void readdir_100EntriesInPagesOf3_returnsEachExactlyOnce() throws Exception {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            file(root, "file-" + i, "");
            expected.add("file-" + i);
        }
        List<DirEntry> all = listAll(root, 3);
        assertThat(all).extracting(DirEntry::name).doesNotHaveDuplicates();
        assertThat(all).extracting(DirEntry::name).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(all).extracting(DirEntry::cookie).allSatisfy(c -> assertThat(c).isGreaterThan(2));
        assertThat(all).extracting(DirEntry::cookie).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void readdir_pages_areAtMostMaxEntriesAndEofOnlyAtEnd() throws Exception {
        for (int i = 0; i < 7; i++) {
            file(root, "f" + i, "");
        }
        DirList first = fs.readdir(root, 0, 3);
        assertThat(first.entries()).hasSize(3);
        assertThat(first.eof()).isFalse();
        DirList second = fs.readdir(root, first.entries().getLast().cookie(), 3);
        assertThat(second.entries()).hasSize(3);
        assertThat(second.eof()).isFalse();
        DirList third = fs.readdir(root, second.entries().getLast().cookie(), 3);
        assertThat(third.entries()).hasSize(1);
        assertThat(third.eof()).isTrue();
    }

    @Test
    void readdir_resumedAfterInsertsAndDeletes_neitherRepeatsNorSkipsUnchangedEntries() throws Exception {
        for (int i = 0; i < 60; i++) {
            file(root, "e" + i, "");
        }
        DirList first = fs.readdir(root, 0, 20);
        Set<String> seen = new HashSet<>();
        first.entries().forEach(e -> seen.add(e.name()));
        List<String> all = names(root);
        List<String> unseen = all.stream().filter(n -> !seen.contains(n)).toList();
        // remove some seen and some unseen entries, add new ones
        Set<String> removed = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            String victim = i % 2 == 0 ? first.entries().get(i).name() : unseen.get(i);
            fs.remove(root, victim);
            removed.add(victim);
        }
        for (int i = 0; i < 30; i++) {
            file(root, "new" + i, "");
        }
        List<String> rest = new ArrayList<>();
        long cookie = first.entries().getLast().cookie();
        while (true) {
            DirList l = fs.readdir(root, cookie, 7);
            l.entries().forEach(e -> rest.add(e.name()));
            if (l.eof()) {
                break;
            }
            cookie = l.entries().getLast().cookie();
        }
        assertThat(rest).doesNotHaveDuplicates();
        assertThat(rest).doesNotContainAnyElementsOf(seen);
        List<String> unchangedUnseen = unseen.stream().filter(n -> !removed.contains(n)).toList();
        assertThat(rest).containsAll(unchangedUnseen);
        assertThat(rest).doesNotContainAnyElementsOf(removed);
    }

    @Test
    void readdir_entries_carryTypeAndInode() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        Inode f = file(root, "f", "abc");
        fs.symlink(root, "l", "f", SetAttributes.NONE);
        List<DirEntry> all = listAll(root, 10);
        assertThat(all).hasSize(3);
        for (DirEntry e : all) {
            switch (e.name()) {
                case "d" -> {
                    assertThat(e.inode()).isEqualTo(d);
                    assertThat(e.stat().type()).isEqualTo(FileType.DIRECTORY);
                }
                case "f" -> {
                    assertThat(e.inode()).isEqualTo(f);
                    assertThat(e.stat().size()).isEqualTo(3);
                }
                case "l" -> assertThat(e.stat().type()).isEqualTo(FileType.SYMLINK);
                default -> throw new AssertionError(e.name());
            }
        }
    }

    @Test
    void readdir_cookieOfRemovedEntry_resumesAfterIt() throws Exception {
        for (int i = 0; i < 10; i++) {
            file(root, "x" + i, "");
        }
        List<DirEntry> all = listAll(root, 100);
        DirEntry middle = all.get(4);
        fs.remove(root, middle.name());
        List<String> rest = fs.readdir(root, middle.cookie(), 100).entries().stream().map(DirEntry::name).toList();
        assertThat(rest).containsExactlyElementsOf(all.subList(5, 10).stream().map(DirEntry::name).toList());
    }

    @Test
    void readdir_ofFile_NOTDIR() throws Exception {
        Inode f = file(root, "f", "x");
        assertVfsError(VfsError.NOTDIR, () -> fs.readdir(f, 0, 10));
    }

    @Test
    void readdir_emptyDirectory_eofWithNoEntries() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        DirList l = fs.readdir(d, 0, 10);
        assertThat(l.entries()).isEmpty();
        assertThat(l.eof()).isTrue();
    }

    // ---- read and write ----

    @Test
    void write_thenRead_roundTrips() throws Exception {
        Inode f = fs.createFile(root, "f", mode(0644), true);
        fs.write(f, 0, bytes("hello world"), Stability.FILE_SYNC);
        ByteBuffer dst = ByteBuffer.allocate(5);
        assertThat(fs.read(f, 6, dst)).isTrue();
        assertThat(new String(dst.array(), StandardCharsets.UTF_8)).isEqualTo("world");
        ByteBuffer head = ByteBuffer.allocate(5);
        assertThat(fs.read(f, 0, head)).isFalse();
        assertThat(new String(head.array(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(fs.getattr(f).size()).isEqualTo(11);
    }

    @Test
    void write_severalBuffers_writtenOneAfterAnotherAtTheOffset() throws Exception {
        Inode f = file(root, "g", "0123456789");
        fs.write(f, 2, new ByteBuffer[] {bytes("ab"), ByteBuffer.allocate(0), bytes("cde"), bytes("f")},
                Stability.FILE_SYNC);
        assertThat(readAll(f)).isEqualTo("01abcdef89");
    }

    @Test
    void read_atOrPastEof_readsNothingAndReportsEof() throws Exception {
        Inode f = file(root, "f", "abc");
        ByteBuffer dst = ByteBuffer.allocate(10);
        assertThat(fs.read(f, 3, dst)).isTrue();
        assertThat(dst.position()).isZero();
        assertThat(fs.read(f, 100, dst)).isTrue();
        assertThat(dst.position()).isZero();
    }

    @Test
    void read_spanningEof_readsToEofAndReportsEof() throws Exception {
        Inode f = file(root, "f", "abcdef");
        ByteBuffer dst = ByteBuffer.allocate(10);
        assertThat(fs.read(f, 2, dst)).isTrue();
        assertThat(dst.position()).isEqualTo(4);
    }

    @Test
    void write_beyondEof_leavesZeroFilledHole() throws Exception {
        Inode f = file(root, "f", "ab");
        long offset = 5L * 1024 * 1024 + 3;
        fs.write(f, offset, bytes("z"), Stability.DATA_SYNC);
        Stat s = fs.getattr(f);
        assertThat(s.size()).isEqualTo(offset + 1);
        assertThat(s.spaceUsed()).isLessThan(offset);
        ByteBuffer dst = ByteBuffer.allocate(8192);
        fs.read(f, 0, dst);
        assertThat(dst.array()[0]).isEqualTo((byte) 'a');
        assertThat(dst.array()[1]).isEqualTo((byte) 'b');
        for (int i = 2; i < dst.position(); i++) {
            assertThat(dst.array()[i]).as("byte %d", i).isZero();
        }
        ByteBuffer tail = ByteBuffer.allocate(4);
        assertThat(fs.read(f, offset - 1, tail)).isTrue();
        assertThat(tail.position()).isEqualTo(2);
        assertThat(tail.array()[0]).isZero();
        assertThat(tail.array()[1]).isEqualTo((byte) 'z');
    }

    @Test
    void write_24MiB_roundTrips() throws Exception {
        Inode f = fs.createFile(root, "big", mode(0644), true);
        int size = 24 * 1024 * 1024;
        byte[] data = new byte[size];
        new Random(42).nextBytes(data);
        int chunk = 1024 * 1024;
        for (int off = 0; off < size; off += chunk) {
            fs.write(f, off, ByteBuffer.wrap(data, off, chunk), Stability.UNSTABLE);
        }
        fs.commit(f);
        assertThat(fs.getattr(f).size()).isEqualTo(size);
        byte[] back = new byte[size];
        int pos = 0;
        boolean eof = false;
        while (!eof) {
            ByteBuffer dst = ByteBuffer.wrap(back, pos, Math.min(1_000_003, size - pos));
            eof = fs.read(f, pos, dst);
            pos = dst.position();
        }
        assertThat(pos).isEqualTo(size);
        assertThat(back).isEqualTo(data);
    }

    @Test
    void write_toDirectory_ISDIR() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        assertVfsError(VfsError.ISDIR, () -> fs.write(d, 0, bytes("x"), Stability.UNSTABLE));
        assertVfsError(VfsError.ISDIR, () -> fs.read(d, 0, ByteBuffer.allocate(1)));
    }

    @Test
    void write_changesSizeMtimeAndChange() throws Exception {
        Inode f = file(root, "f", "x");
        Stat before = fs.getattr(f);
        fs.write(f, 1, bytes("yz"), Stability.UNSTABLE);
        Stat after = fs.getattr(f);
        assertThat(after.size()).isEqualTo(3);
        assertThat(after.change()).isGreaterThan(before.change());
        assertThat(after.mtime()).isAfterOrEqualTo(before.mtime());
    }

    @Test
    void write_from8ThreadsToDifferentFiles_allDataIntact() throws Exception {
        int threads = 8;
        int blocks = 64;
        int block = 4096;
        List<Inode> files = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            files.add(fs.createFile(root, "t" + t, mode(0644), true));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> tasks = IntStream.range(0, threads).<Callable<Void>>mapToObj(t -> () -> {
                byte[] b = new byte[block];
                for (int i = 0; i < blocks; i++) {
                    java.util.Arrays.fill(b, (byte) (t * 31 + i));
                    fs.write(files.get(t), (long) i * block, ByteBuffer.wrap(b), Stability.UNSTABLE);
                    fs.getattr(files.get((t + 1) % threads));
                }
                return null;
            }).toList();
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int t = 0; t < threads; t++) {
            assertThat(fs.getattr(files.get(t)).size()).isEqualTo((long) blocks * block);
            ByteBuffer dst = ByteBuffer.allocate(blocks * block);
            fs.read(files.get(t), 0, dst);
            for (int i = 0; i < blocks; i++) {
                assertThat(dst.get(i * block)).isEqualTo((byte) (t * 31 + i));
                assertThat(dst.get(i * block + block - 1)).isEqualTo((byte) (t * 31 + i));
            }
        }
    }

    @Test
    void rename_directoryBackAndForthWhileOthersUseFilesInside_handlesAlwaysWork() throws Exception {
        Inode a = fs.mkdir(root, "a", mode(0755));
        Inode b = fs.mkdir(root, "b", mode(0755));
        Inode f = file(a, "f", "payload");
        int rounds = 200;
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            tasks.add(() -> {
                for (int i = 0; i < rounds; i++) {
                    fs.rename(root, "a", b, "a");
                    fs.rename(b, "a", root, "a");
                }
                return null;
            });
            for (int t = 0; t < 4; t++) {
                tasks.add(() -> {
                    for (int i = 0; i < rounds; i++) {
                        assertThat(readAll(f)).isEqualTo("payload");
                        assertThat(fs.lookup(a, "f")).isEqualTo(f);
                        assertThat(fs.parent(a)).isIn(root, b);
                        assertThat(fs.readdir(a, 0, 10).entries()).extracting(DirEntry::name).containsExactly("f");
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fs.lookup(root, "a")).isEqualTo(a);
        assertThat(fs.getattr(root).nlink()).isEqualTo(4);
        assertThat(fs.getattr(b).nlink()).isEqualTo(2);
    }

    @Test
    void createFile_from8ThreadsInOneDirectory_allListedOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> tasks = IntStream.range(0, 8).<Callable<Void>>mapToObj(t -> () -> {
                for (int i = 0; i < 25; i++) {
                    fs.createFile(root, "t" + t + "-" + i, mode(0644), true);
                    fs.readdir(root, 0, 5);
                }
                return null;
            }).toList();
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(listAll(root, 7)).extracting(DirEntry::name).hasSize(200).doesNotHaveDuplicates();
    }

    @Test
    void commit_ofRegularFile_succeedsAndOfDirectory_fails() throws Exception {
        Inode f = file(root, "f", "x");
        fs.commit(f);
        Inode d = fs.mkdir(root, "d", mode(0755));
        assertVfsError(VfsError.ISDIR, () -> fs.commit(d));
    }

    // ---- setattr ----

    @Test
    void setattr_sizeSmaller_truncatesAndLargerZeroFills() throws Exception {
        Inode f = file(root, "f", "abcdef");
        assertThat(fs.setattr(f, new SetAttributes(null, null, null, 2L, null, null)).size()).isEqualTo(2);
        fs.setattr(f, new SetAttributes(null, null, null, 5L, null, null));
        ByteBuffer dst = ByteBuffer.allocate(10);
        assertThat(fs.read(f, 0, dst)).isTrue();
        assertThat(dst.position()).isEqualTo(5);
        assertThat(java.util.Arrays.copyOf(dst.array(), 5)).containsExactly('a', 'b', 0, 0, 0);
    }

    @Test
    void setattr_modeAndOwner_applied() throws Exception {
        Inode f = file(root, "f", "x");
        Stat before = fs.getattr(f);
        Stat s = fs.setattr(f, new SetAttributes(0600, 1001, 1002, null, null, null));
        assertThat(s.mode()).isEqualTo(0600);
        assertThat(s.uid()).isEqualTo(1001);
        assertThat(s.gid()).isEqualTo(1002);
        assertThat(s.change()).isGreaterThan(before.change());
        assertThat(fs.getattr(f)).isEqualTo(s);
    }

    @Test
    void setattr_modeWithSetuidBits_keepsThem() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        assertThat(fs.setattr(d, mode(01777)).mode()).isEqualTo(01777);
    }

    @Test
    void setattr_explicitTimes_applied() throws Exception {
        Inode f = file(root, "f", "x");
        Instant at = Instant.parse("2001-02-03T04:05:06.123456789Z");
        Instant mt = Instant.parse("2002-03-04T05:06:07.5Z");
        Stat s = fs.setattr(f, new SetAttributes(null, null, null, null,
                SetAttributes.TimeValue.of(at), SetAttributes.TimeValue.of(mt)));
        assertThat(s.atime()).isEqualTo(at);
        assertThat(s.mtime()).isEqualTo(mt);
    }

    @Test
    void setattr_sizeOfDirectory_ISDIR() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        assertVfsError(VfsError.ISDIR, () -> fs.setattr(d, new SetAttributes(null, null, null, 0L, null, null)));
    }

    @Test
    void setattr_removedFile_STALE() throws Exception {
        Inode f = file(root, "f", "x");
        fs.remove(root, "f");
        assertVfsError(VfsError.STALE, () -> fs.setattr(f, mode(0600)));
    }

    // ---- fsStat and limits ----

    @Test
    void fsStat_reportsConsistentNumbers() throws Exception {
        FsStat s = fs.fsStat();
        assertThat(s.totalBytes()).isPositive();
        assertThat(s.freeBytes()).isBetween(0L, s.totalBytes());
        assertThat(s.availBytes()).isBetween(0L, s.freeBytes());
        assertThat(s.freeFiles()).isLessThanOrEqualTo(s.totalFiles());
    }

    @Test
    void limits_areSane() {
        assertThat(fs.maxNameLength()).isEqualTo(255);
        assertThat(fs.maxFileSize()).isGreaterThanOrEqualTo(1L << 40);
    }

    @Test
    void inode_foreignBytes_STALE() {
        assertVfsError(VfsError.STALE, () -> fs.getattr(new Inode(new byte[] {1, 2, 3})));
    }
    // ---- NFSv4.2 data operations: seek, allocate, deallocate, copy ----

    private static final long MIB = 1 << 20;

    /** One byte of data at 0 and one at 1 MiB: a hole between them on every backend. */
    private Inode sparse() throws VfsException {
        Inode f = fs.createFile(root, "sparse", mode(0644), true);
        fs.write(f, 0, bytes("a"), Stability.UNSTABLE);
        fs.write(f, MIB, bytes("b"), Stability.UNSTABLE);
        return f;
    }

    private byte[] readRange(Inode f, long offset, int length) throws VfsException {
        ByteBuffer dst = ByteBuffer.allocate(length);
        fs.read(f, offset, dst);
        return java.util.Arrays.copyOf(dst.array(), dst.position());
    }

    @Test
    void seek_dataAndHoles_findsThem() throws Exception {
        Inode f = sparse();
        assertThat(fs.seek(f, 0, SeekWhat.DATA)).isEqualTo(new SeekResult(false, 0));
        SeekResult hole = fs.seek(f, 0, SeekWhat.HOLE);
        assertThat(hole.offset()).isBetween(1L, 64 * 1024L);
        assertThat(hole.eof()).isFalse();
        assertThat(fs.seek(f, hole.offset(), SeekWhat.DATA)).isEqualTo(new SeekResult(false, MIB));
        assertThat(fs.seek(f, MIB, SeekWhat.HOLE)).isEqualTo(new SeekResult(true, MIB + 1));
    }

    @Test
    void seek_atOrPastEnd_NXIO() throws Exception {
        Inode f = sparse();
        assertVfsError(VfsError.NXIO, () -> fs.seek(f, MIB + 1, SeekWhat.DATA));
        assertVfsError(VfsError.NXIO, () -> fs.seek(f, MIB + 1, SeekWhat.HOLE));
    }

    @Test
    void seek_dataInTrailingHole_NXIO() throws Exception {
        Inode f = fs.createFile(root, "f", mode(0644), true);
        fs.write(f, 0, ByteBuffer.allocate((int) (4 * MIB)), Stability.UNSTABLE);
        fs.deallocate(f, 2 * MIB, 2 * MIB);
        assertVfsError(VfsError.NXIO, () -> fs.seek(f, 2 * MIB, SeekWhat.DATA));
        assertThat(fs.seek(f, 2 * MIB, SeekWhat.HOLE)).isEqualTo(new SeekResult(false, 2 * MIB));
    }

    @Test
    void seek_directory_ISDIR() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        assertVfsError(VfsError.ISDIR, () -> fs.seek(d, 0, SeekWhat.DATA));
    }

    @Test
    void allocate_pastEnd_growsAndReadsZeros() throws Exception {
        Inode f = file(root, "f", "abc");
        long before = fs.getattr(f).spaceUsed();
        fs.allocate(f, 0, 2 * MIB);
        Stat st = fs.getattr(f);
        assertThat(st.size()).isEqualTo(2 * MIB);
        assertThat(st.spaceUsed()).isGreaterThanOrEqualTo(2 * MIB).isGreaterThan(before);
        assertThat(readRange(f, 0, 3)).containsExactly('a', 'b', 'c');
        assertThat(readRange(f, MIB, 4)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void allocate_removedFile_STALE() throws Exception {
        Inode f = file(root, "f", "x");
        fs.remove(root, "f");
        assertVfsError(VfsError.STALE, () -> fs.allocate(f, 0, 10));
    }

    @Test
    void deallocate_middle_zeroesKeepsSizeAndFreesSpace() throws Exception {
        Inode f = fs.createFile(root, "f", mode(0644), true);
        byte[] ones = new byte[(int) (4 * MIB)];
        java.util.Arrays.fill(ones, (byte) 1);
        fs.write(f, 0, ByteBuffer.wrap(ones), Stability.FILE_SYNC);
        long before = fs.getattr(f).spaceUsed();
        fs.deallocate(f, MIB, 2 * MIB);
        Stat st = fs.getattr(f);
        assertThat(st.size()).isEqualTo(4 * MIB);
        assertThat(st.spaceUsed()).isLessThanOrEqualTo(before - 2 * MIB + 128 * 1024);
        assertThat(readRange(f, MIB - 1, 2)).containsExactly(1, 0);
        assertThat(readRange(f, 3 * MIB - 1, 2)).containsExactly(0, 1);
        assertThat(fs.seek(f, MIB, SeekWhat.HOLE)).isEqualTo(new SeekResult(false, MIB));
        assertThat(fs.seek(f, MIB, SeekWhat.DATA)).isEqualTo(new SeekResult(false, 3 * MIB));
    }

    @Test
    void deallocate_partialChunkAndPastEnd_zeroesOnlyTheRange() throws Exception {
        Inode f = file(root, "f", "abcdef");
        fs.deallocate(f, 2, 100 * MIB);
        assertThat(fs.getattr(f).size()).isEqualTo(6);
        assertThat(readRange(f, 0, 6)).containsExactly('a', 'b', 0, 0, 0, 0);
    }

    @Test
    void copy_range_copiesAndStopsAtSourceEnd() throws Exception {
        Inode src = sparse();
        Inode dst = file(root, "dst", "0123456789");
        assertThat(fs.copy(src, MIB, dst, 3, 100)).isEqualTo(1);
        assertThat(readAll(dst)).isEqualTo("012b456789");
        assertThat(fs.copy(src, 0, dst, 0, MIB + 1)).isEqualTo(MIB + 1);
        assertThat(fs.getattr(dst).size()).isEqualTo(MIB + 1);
        assertThat(readRange(dst, 0, 2)).containsExactly('a', 0);
        assertThat(readRange(dst, MIB, 1)).containsExactly('b');
    }

    @Test
    void copy_largerThanOnePiece_copiesEverything() throws Exception {
        Inode src = fs.createFile(root, "src", mode(0644), true);
        byte[] data = new byte[(int) (3 * MIB + 17)];
        new Random(42).nextBytes(data);
        fs.write(src, 0, ByteBuffer.wrap(data), Stability.UNSTABLE);
        Inode dst = fs.createFile(root, "dst", mode(0644), true);
        assertThat(fs.copy(src, 0, dst, 5, data.length)).isEqualTo(data.length);
        assertThat(readRange(dst, 5, data.length)).isEqualTo(data);
    }

    @Test
    void copy_fromDirectory_ISDIR() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        Inode dst = file(root, "dst", "x");
        assertVfsError(VfsError.ISDIR, () -> fs.copy(d, 0, dst, 0, 1));
    }

    @Test
    void cloneBlockSize_isZeroOrPowerOfTwo() {
        int b = fs.cloneBlockSize();
        assertThat(b == 0 || Integer.bitCount(b) == 1).isTrue();
    }

    // ---- extended attributes (user namespace) ----

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void xattr_setGetListRemove_onFileAndDirectory() throws Exception {
        assertThat(fs.xattrSupport()).isTrue();
        Inode f = file(root, "f", "x");
        Inode d = fs.mkdir(root, "d", mode(0755));
        for (Inode o : List.of(f, d)) {
            fs.setxattr(o, "b", utf8("2"), XattrMode.EITHER);
            fs.setxattr(o, "a", utf8("1"), XattrMode.CREATE);
            fs.setxattr(o, "e", new byte[0], XattrMode.EITHER);
            assertThat(fs.getxattr(o, "a")).isEqualTo(utf8("1"));
            assertThat(fs.getxattr(o, "e")).isEmpty();
            assertThat(fs.listxattr(o)).containsExactly("a", "b", "e");
            fs.removexattr(o, "b");
            assertThat(fs.listxattr(o)).containsExactly("a", "e");
            assertVfsError(VfsError.NOXATTR, () -> fs.getxattr(o, "b"));
        }
    }

    @Test
    void xattr_modes_createExisting_EXIST_replaceMissing_NOXATTR_removeMissing_NOXATTR() throws Exception {
        Inode f = file(root, "f", "x");
        assertVfsError(VfsError.NOXATTR, () -> fs.setxattr(f, "a", utf8("1"), XattrMode.REPLACE));
        fs.setxattr(f, "a", utf8("1"), XattrMode.CREATE);
        assertVfsError(VfsError.EXIST, () -> fs.setxattr(f, "a", utf8("2"), XattrMode.CREATE));
        fs.setxattr(f, "a", utf8("3"), XattrMode.REPLACE);
        assertThat(fs.getxattr(f, "a")).isEqualTo(utf8("3"));
        assertVfsError(VfsError.NOXATTR, () -> fs.removexattr(f, "zz"));
    }

    @Test
    void xattr_setAndRemove_changeTheChangeAttribute() throws Exception {
        Inode f = file(root, "f", "x");
        long c0 = fs.getattr(f).change();
        fs.setxattr(f, "a", utf8("1"), XattrMode.EITHER);
        long c1 = fs.getattr(f).change();
        assertThat(c1).isNotEqualTo(c0);
        fs.removexattr(f, "a");
        assertThat(fs.getattr(f).change()).isNotEqualTo(c1);
    }

    @Test
    void xattr_limits_valueOver64KiB_XATTR2BIG_name250Bytes() throws Exception {
        // a 64 KiB value itself fits the memory backend, not ext4 without ea_inode (one 4 KiB block: NOSPC)
        Inode f = file(root, "f", "x");
        fs.setxattr(f, "some", new byte[1000], XattrMode.EITHER);
        assertThat(fs.getxattr(f, "some")).hasSize(1000);
        assertVfsError(VfsError.XATTR2BIG, () -> fs.setxattr(f, "bigger", new byte[Xattrs.SIZE_MAX + 1], XattrMode.EITHER));
        fs.setxattr(f, "n".repeat(250), utf8("v"), XattrMode.EITHER);
        assertVfsError(VfsError.NAMETOOLONG, () -> fs.setxattr(f, "n".repeat(251), utf8("v"), XattrMode.EITHER));
        assertVfsError(VfsError.INVAL, () -> fs.getxattr(f, ""));
    }

    @Test
    void xattr_symlink_ownAttributesOnly_setIsPERM() throws Exception {
        Inode target = file(root, "t", "x");
        fs.setxattr(target, "a", utf8("target"), XattrMode.EITHER);
        Inode link = fs.symlink(root, "l", "t", mode(0777));
        assertVfsError(VfsError.NOXATTR, () -> fs.getxattr(link, "a"));
        assertThat(fs.listxattr(link)).isEmpty();
        assertVfsError(VfsError.PERM, () -> fs.setxattr(link, "a", utf8("link"), XattrMode.EITHER));
        assertThat(fs.getxattr(target, "a")).isEqualTo(utf8("target"));
    }
}
