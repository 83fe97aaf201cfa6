package org.jnfsd.vfs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.vfs.DirEntry;
import org.jnfsd.vfs.DirList;
import org.jnfsd.vfs.FileType;
import org.jnfsd.vfs.Inode;
import org.jnfsd.vfs.LookupResult;
import org.jnfsd.vfs.ManualClock;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.Stability;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VfsError;
import org.jnfsd.vfs.VfsException;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.VirtualFileSystemContractTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileSystemTest extends VirtualFileSystemContractTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @TempDir
    Path exportDir;

    @TempDir
    Path outsideDir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Override
    protected VirtualFileSystem newFileSystem() throws Exception {
        return new LocalFileSystem(exportDir, clock);
    }

    private LocalFileSystem restart() throws Exception {
        fs.close();
        fs = new LocalFileSystem(exportDir, clock);
        return (LocalFileSystem) fs;
    }

    private static long ino(Path p) throws Exception {
        return (Long) Files.getAttribute(p, "unix:ino", NOFOLLOW);
    }

    // ---- no half-done creates (issue 16: an unprivileged server's failed chown left the object) ----

    private static SetAttributes size(long n) {
        return new SetAttributes(null, null, null, n, null, null);
    }

    private void assertRefusedAndGone(String name, VfsError error, ThrowingCreate create) {
        assertThatThrownBy(create::run).isInstanceOfSatisfying(VfsException.class,
                e -> assertThat(e.error()).isEqualTo(error));
        assertThat(Files.exists(exportDir.resolve(name), NOFOLLOW)).as(name + " left behind").isFalse();
        assertThatThrownBy(() -> fs.lookup(root, name)).isInstanceOf(VfsException.class);
    }

    interface ThrowingCreate {
        void run() throws Exception;
    }

    @Test
    void createFile_attributesFail_nothingLeftBehind() {
        assertRefusedAndGone("f", VfsError.INVAL, () -> fs.createFile(root, "f", size(-1), true));
    }

    @Test
    void mkdir_attributesFail_nothingLeftBehind() {
        assertRefusedAndGone("d", VfsError.ISDIR, () -> fs.mkdir(root, "d", size(1)));
    }

    @Test
    void symlink_attributesFail_nothingLeftBehind() {
        assertRefusedAndGone("l", VfsError.INVAL, () -> fs.symlink(root, "l", "target", size(1)));
    }

    @Test
    void mknod_attributesFail_nothingLeftBehind() {
        assertRefusedAndGone("p", VfsError.INVAL, () -> fs.mknod(root, "p", FileType.FIFO, 0, 0, size(1)));
    }

    // ---- handles across restarts ----

    @Test
    void lookupWithDir_existingName_entryAttributesFromTheSearch() throws Exception {
        Inode f = fs.createFile(root, "f", SetAttributes.NONE.withMode(0640), true);

        LookupResult r = fs.lookupWithDir(root, "f");

        assertThat(r.entryAttrs()).isNotNull().isEqualTo(fs.getattr(f));
    }

    // ---- LOOKUP after LOOKUP: the directory's attributes passed, one statx of the name ----

    /** Attributes unlike the directory's own, to tell whether an answer used them or read afresh. */
    private static Stat fake(Stat real) {
        return new Stat(real.type(), real.fileId(), 0700, real.nlink(), 4242, 4242, real.size(), real.spaceUsed(),
                real.atime(), real.mtime(), real.ctime(), real.birthTime(), real.change(), 0, 0);
    }

    @Test
    void lookupWithDirAttrs_existingName_passedDirAttrsAndTheEntry() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        Inode e = fs.mkdir(d, "e", mode(0755));
        Inode f = file(e, "f", "x");
        Stat passed = fake(fs.getattr(e));

        LookupResult r = fs.lookupWithDir(e, passed, "f");

        assertThat(r.dir()).isSameAs(passed);
        assertThat(r.entry()).isEqualTo(f);
        assertThat(r.entryAttrs()).isEqualTo(fs.getattr(f));
    }

    @Test
    void lookupWithDirAttrs_absentName_fullLookupWithTheDirectorysOwnAttrs() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        Stat own = fs.getattr(d);

        LookupResult r = fs.lookupWithDir(d, fake(own), "missing");

        assertThat(r.entry()).isNull();
        assertThat(r.dir()).as("read afresh, not the passed ones").isEqualTo(own);
    }

    @Test
    void lookupWithDirAttrs_directoryRemovedByAnotherProcess_STALENotNoent() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        Stat passed = fs.getattr(d);
        Files.delete(exportDir.resolve("d"));

        assertVfsError(VfsError.STALE, () -> fs.lookupWithDir(d, passed, "f"));
    }

    @Test
    void lookupWithDirAttrs_directoryRenamedByAnotherProcess_findsTheEntryAtTheNewPath() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        Inode f = file(d, "f", "x");
        Stat passed = fs.getattr(d);
        Files.move(exportDir.resolve("d"), exportDir.resolve("moved"));

        assertThat(fs.lookupWithDir(d, passed, "f").entry()).isEqualTo(f);
    }

    @Test
    void lookupWithDirAttrs_handleOfPreviousInstance_resolvedByTheFullLookup() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        Inode f = file(d, "f", "x");
        Stat passed = fs.getattr(d);
        restart();

        assertThat(fs.lookupWithDir(d, passed, "f").entry()).isEqualTo(f);
    }

    // ---- READDIR over the cached listing ----

    /** Every entry once, in pages of {@code batch}, resuming at the last cookie each time. */
    private java.util.Set<String> pagedNames(Inode dir, int batch) throws Exception {
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        long cookie = 0;
        while (true) {
            DirList page = fs.readdir(dir, cookie, batch);
            for (DirEntry e : page.entries()) {
                assertThat(seen.add(e.name())).as("repeated %s", e.name()).isTrue();
                cookie = e.cookie();
            }
            if (page.eof()) {
                return seen;
            }
        }
    }

    @Test
    void readdir_pagedThroughALargeDirectory_everyEntryOnce() throws Exception {
        Inode d = fs.mkdir(root, "big", mode(0755));
        for (int i = 0; i < 2000; i++) {
            Files.createFile(exportDir.resolve("big/f" + i));
        }
        assertThat(pagedNames(d, 7)).hasSize(2000);
        assertThat(pagedNames(d, 500)).hasSize(2000);
    }

    @Test
    void readdir_entryAddedByAnotherProcessBetweenListings_seen() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        Files.createFile(exportDir.resolve("d/a"));
        assertThat(pagedNames(d, 10)).containsExactly("a");
        FileTime before = Files.getLastModifiedTime(exportDir.resolve("d"));
        Files.createFile(exportDir.resolve("d/b"));
        // a time the listing cannot have, however coarse the file system's clock
        Files.setLastModifiedTime(exportDir.resolve("d"), FileTime.from(before.toInstant().plusSeconds(1)));

        assertThat(pagedNames(d, 10)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void readdir_entriesRemovedAndCreatedThroughTheBackend_seen() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        file(d, "a", "x");
        assertThat(pagedNames(d, 10)).containsExactly("a");
        fs.remove(d, "a");
        file(d, "b", "y");
        fs.mkdir(d, "c", mode(0755));

        assertThat(pagedNames(d, 10)).containsExactlyInAnyOrder("b", "c");
    }

    interface Change {
        void apply(Inode d, Inode other) throws Exception;
    }

    /**
     * Every change of a directory's entries through the backend drops its cached listing at once,
     * before the next READDIR: on a file system whose times are coarse (before Linux 6.13) the
     * directory's mtime may not have moved, and the times check alone would serve the old listing.
     */
    @Test
    void readdir_changeThroughTheBackend_dropsTheCachedListingAtOnce() throws Exception {
        LocalFileSystem local = (LocalFileSystem) fs;
        Inode keep = file(root, "keep", "k");
        List<Change> changes = List.of(
                (d, o) -> fs.createFile(d, "new", mode(0644), false),
                (d, o) -> fs.mkdir(d, "sub", mode(0755)),
                (d, o) -> fs.symlink(d, "sym", "x", mode(0777)),
                (d, o) -> fs.mknod(d, "fifo", FileType.FIFO, 0, 0, mode(0644)),
                (d, o) -> fs.link(keep, d, "hard"),
                (d, o) -> fs.remove(d, "a"),
                (d, o) -> fs.rename(d, "a", d, "b"),
                (d, o) -> fs.rename(d, "a", o, "a"),
                (d, o) -> fs.rename(o, "z", d, "z"));
        for (int k = 0; k < changes.size(); k++) {
            Inode d = fs.mkdir(root, "d" + k, mode(0755));
            Inode other = fs.mkdir(root, "o" + k, mode(0755));
            file(d, "a", "x");
            file(other, "z", "y");
            pagedNames(d, 10);
            pagedNames(other, 10);
            int before = local.cachedListings();
            changes.get(k).apply(d, other);
            int dropped = k >= 7 ? 2 : 1; // a rename across directories changes both
            assertThat(local.cachedListings()).as("change %d", k).isEqualTo(before - dropped);
        }
    }

    @Test
    void handle_fromPreviousInstance_resolvesInFreshInstance() throws Exception {
        Inode d = fs.mkdir(root, "d", mode(0755));
        Inode f = file(d, "f", "persistent");
        Inode oldRoot = root;
        restart();
        assertThat(fs.root()).isEqualTo(oldRoot);
        assertThat(readAll(f)).isEqualTo("persistent");
        assertThat(fs.getattr(f).type()).isEqualTo(FileType.REGULAR);
        assertThat(fs.parent(d)).isEqualTo(oldRoot);
        assertThat(fs.lookup(d, "f")).isEqualTo(f);
    }

    @Test
    void handle_fileInDirectoryRenamedWhileStopped_resolvesInFreshInstance() throws Exception {
        Inode a = fs.mkdir(root, "a", mode(0755));
        Inode b = fs.mkdir(a, "b", mode(0755));
        Inode f = file(b, "f", "deep");
        fs.close();
        Files.move(exportDir.resolve("a"), exportDir.resolve("z"));
        restart();
        assertThat(readAll(f)).isEqualTo("deep");
        assertThat(fs.parent(b)).isEqualTo(a);
        assertThat(fs.lookup(root, "z")).isEqualTo(a);
        fs.write(f, 4, bytes("er"), Stability.FILE_SYNC);
        assertThat(Files.readString(exportDir.resolve("z/b/f"))).isEqualTo("deeper");
    }

    @Test
    void handle_directoryRenamedByAnotherProcessWhileRunning_resolves() throws Exception {
        Inode a = fs.mkdir(root, "a", mode(0755));
        Inode f = file(a, "f", "x");
        fs.getattr(f);
        Files.move(exportDir.resolve("a"), exportDir.resolve("moved"));
        assertThat(fs.getattr(f).size()).isEqualTo(1);
        assertThat(fs.lookup(a, "f")).isEqualTo(f);
        assertThat(fs.lookup(root, "moved")).isEqualTo(a);
    }

    @Test
    void handle_ofDeletedFileWhoseInodeNumberWasReused_isStaleNotTheNewFile() throws Exception {
        Inode old = file(root, "victim", "old");
        long oldIno = fs.getattr(old).fileId();
        fs.close();
        Files.delete(exportDir.resolve("victim"));
        Path reused = null;
        for (int i = 0; i < 200 && reused == null; i++) {
            Path p = Files.writeString(exportDir.resolve("new" + i), "new");
            if (ino(p) == oldIno) {
                reused = p;
            }
        }
        restart();
        assertVfsError(VfsError.STALE, () -> fs.getattr(old));
        if (reused != null) {
            // the inode number came back: the generation must tell the two objects apart
            Inode fresh = fs.lookup(root, reused.getFileName().toString());
            assertThat(fresh).isNotEqualTo(old);
            assertThat(readAll(fresh)).isEqualTo("new");
            assertVfsError(VfsError.STALE, () -> fs.getattr(old));
        }
    }

    @Test
    void handle_ofFileRemovedByAnotherProcess_isStale() throws Exception {
        Inode f = file(root, "f", "x");
        Files.delete(exportDir.resolve("f"));
        assertVfsError(VfsError.STALE, () -> fs.getattr(f));
        assertVfsError(VfsError.STALE, () -> fs.getattr(f));
    }

    @Test
    void handle_isSixteenBytesAndFileIdIsInodeNumber() throws Exception {
        Inode f = file(root, "f", "x");
        assertThat(f.bytes()).hasSize(16);
        assertThat(fs.getattr(f).fileId()).isEqualTo(ino(exportDir.resolve("f")));
    }

    // ---- never leaving the root ----

    @Test
    void resolve_directorySwappedForSymlinkOutside_neverReachesOutside() throws Exception {
        Files.writeString(outsideDir.resolve("f"), "outside");
        Inode d = fs.mkdir(root, "d", mode(0755));
        Inode f = file(d, "f", "inside");
        fs.getattr(f);
        Files.move(exportDir.resolve("d"), exportDir.resolve("d2"));
        Files.createSymbolicLink(exportDir.resolve("d"), outsideDir);
        assertThat(readAll(f)).isEqualTo("inside");
        assertThat(fs.lookup(d, "f")).isEqualTo(f);
        Inode link = fs.lookup(root, "d");
        assertThat(fs.getattr(link).type()).isEqualTo(FileType.SYMLINK);
        assertVfsError(VfsError.NOTDIR, () -> fs.lookup(link, "f"));
        assertThat(Files.readString(outsideDir.resolve("f"))).isEqualTo("outside");
    }

    @Test
    void setattr_onSymlinkToOutsideFile_changesOnlyTheLink() throws Exception {
        Path target = Files.writeString(outsideDir.resolve("t"), "outside");
        int targetMode = (Integer) Files.getAttribute(target, "unix:mode");
        Inode l = fs.symlink(root, "l", target.toString(), SetAttributes.NONE);
        fs.setattr(l, new SetAttributes(0600, 4321, 4321, null, null,
                SetAttributes.TimeValue.of(Instant.parse("2000-01-01T00:00:00Z"))));
        assertThat((Integer) Files.getAttribute(target, "unix:uid")).isNotEqualTo(4321);
        assertThat((Integer) Files.getAttribute(target, "unix:mode")).isEqualTo(targetMode);
        assertThat(Files.getLastModifiedTime(target).toInstant()).isAfter(Instant.parse("2001-01-01T00:00:00Z"));
        assertThat((Integer) Files.getAttribute(exportDir.resolve("l"), "unix:uid", NOFOLLOW)).isEqualTo(4321);
        assertThat(fs.getattr(l).mtime()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
        assertVfsError(VfsError.INVAL, () -> fs.setattr(l, new SetAttributes(null, null, null, 0L, null, null)));
        assertThat(Files.readString(target)).isEqualTo("outside");
    }

    @Test
    void createFile_uncheckedOverSymlinkToOutside_EXISTAndTargetUntouched() throws Exception {
        Path target = Files.writeString(outsideDir.resolve("t"), "outside");
        fs.symlink(root, "l", target.toString(), SetAttributes.NONE);
        assertVfsError(VfsError.EXIST, () -> fs.createFile(root, "l", new SetAttributes(null, null, null, 0L, null, null), false));
        assertThat(Files.readString(target)).isEqualTo("outside");
    }

    @Test
    void symlink_target_isStoredVerbatim() throws Exception {
        Inode l = fs.symlink(root, "l", "a//b/./c/", SetAttributes.NONE);
        assertThat(fs.readlink(l)).isEqualTo("a//b/./c/");
        assertThat(Files.readSymbolicLink(exportDir.resolve("l")).toString()).isEqualTo("a//b/./c/");
    }

    // ---- special files ----

    @Test
    void mknod_devices_asRootCreatedOtherwisePERM() throws Exception {
        int uid = (Integer) Files.getAttribute(Files.createFile(outsideDir.resolve("probe")), "unix:uid");
        if (uid == 0) {
            Inode c = fs.mknod(root, "null2", FileType.CHAR_DEVICE, 1, 3, mode(0666));
            Inode b = fs.mknod(root, "blk", FileType.BLOCK_DEVICE, 259, 300, mode(0600));
            Stat cs = fs.getattr(c);
            assertThat(cs.type()).isEqualTo(FileType.CHAR_DEVICE);
            assertThat(cs.rdevMajor()).isEqualTo(1);
            assertThat(cs.rdevMinor()).isEqualTo(3);
            assertThat(cs.mode()).isEqualTo(0666);
            Stat bs = fs.getattr(b);
            assertThat(bs.type()).isEqualTo(FileType.BLOCK_DEVICE);
            assertThat(bs.rdevMajor()).isEqualTo(259);
            assertThat(bs.rdevMinor()).isEqualTo(300);
            assertThat((Long) Files.getAttribute(exportDir.resolve("null2"), "unix:rdev", NOFOLLOW))
                    .isEqualTo(Libc.makedev(1, 3));
        } else {
            assertVfsError(VfsError.PERM, () -> fs.mknod(root, "null2", FileType.CHAR_DEVICE, 1, 3, mode(0666)));
        }
    }

    @Test
    void mknod_fifo_isARealFifoAndChmodDoesNotBlock() throws Exception {
        Inode p = fs.mknod(root, "p", FileType.FIFO, 0, 0, mode(0640));
        int rawMode = (Integer) Files.getAttribute(exportDir.resolve("p"), "unix:mode", NOFOLLOW);
        assertThat(rawMode & 0170000).isEqualTo(Libc.S_IFIFO);
        assertThat(rawMode & 07777).isEqualTo(0640);
        assertThat(fs.setattr(p, mode(0600)).mode()).isEqualTo(0600);
        assertVfsError(VfsError.INVAL, () -> fs.read(p, 0, ByteBuffer.allocate(1)));
    }

    @Test
    void createFile_modeIsExactDespiteUmask() throws Exception {
        Inode f = fs.createFile(root, "f", mode(0777), true);
        assertThat(fs.getattr(f).mode()).isEqualTo(0777);
        assertThat((Integer) Files.getAttribute(exportDir.resolve("f"), "unix:mode") & 07777).isEqualTo(0777);
    }

    @Test
    void createFile_newFile_itsChannelIsCachedForTheFirstWrite() throws Exception {
        LocalFileSystem local = (LocalFileSystem) fs;
        Inode f = fs.createFile(root, "f", mode(0644), true);
        assertThat(local.cachedChannels()).isEqualTo(1);
        fs.write(f, 0, bytes("abc"), Stability.UNSTABLE);
        assertThat(local.cachedChannels()).isEqualTo(1); // the write used the create's channel
        assertThat(Files.readString(exportDir.resolve("f"))).isEqualTo("abc");
    }

    @Test
    void createFile_setuidMode_isExactAfterTheCreate() throws Exception {
        Inode f = fs.createFile(root, "f", mode(04750), true);
        assertThat(fs.getattr(f).mode()).isEqualTo(04750);
    }

    @Test
    void createFile_ownerOtherThanTheServer_isSetAsRoot() throws Exception {
        int uid = (Integer) Files.getAttribute(Files.createFile(outsideDir.resolve("probe")), "unix:uid");
        if (uid == 0) {
            Inode f = fs.createFile(root, "f", mode(0640).withOwner(1234, 5678), true);
            assertThat(fs.getattr(f).uid()).isEqualTo(1234);
            assertThat(fs.getattr(f).gid()).isEqualTo(5678);
            assertThat(fs.getattr(f).mode()).isEqualTo(0640);
        }
    }

    // ---- attributes ----

    @Test
    void change_isCtimeInNanoseconds() throws Exception {
        Inode f = file(root, "f", "x");
        Stat s = fs.getattr(f);
        assertThat(s.change()).isEqualTo(s.ctime().getEpochSecond() * 1_000_000_000L + s.ctime().getNano());
    }

    @Test
    void write_sparse_usesLessSpaceThanSize() throws Exception {
        Inode f = fs.createFile(root, "f", mode(0644), true);
        fs.write(f, 64L * 1024 * 1024, bytes("end"), Stability.UNSTABLE);
        Stat s = fs.getattr(f);
        assertThat(s.size()).isEqualTo(64L * 1024 * 1024 + 3);
        assertThat(s.spaceUsed()).isLessThan(1024 * 1024);
        assertThat(Files.size(exportDir.resolve("f"))).isEqualTo(s.size());
    }

    @Test
    void fsid_stablePerRootAndDistinctAcrossRoots() throws Exception {
        long before = fs.fsid();
        restart();
        assertThat(fs.fsid()).isEqualTo(before);
        try (LocalFileSystem other = new LocalFileSystem(outsideDir, clock)) {
            assertThat(other.fsid()).isNotEqualTo(before);
        }
    }

    @Test
    void fsStat_countsFiles() throws Exception {
        var s = fs.fsStat();
        assertThat(s.totalFiles()).isPositive();
        assertThat(s.totalBytes()).isEqualTo(Files.getFileStore(exportDir).getTotalSpace());
    }

    // ---- readdir across instances ----

    @Test
    void readdir_cookieFromPreviousInstance_resumesInFreshInstance() throws Exception {
        for (int i = 0; i < 20; i++) {
            file(root, "e" + i, "");
        }
        DirList first = fs.readdir(root, 0, 8);
        List<String> expectedRest = new ArrayList<>();
        listAll(root, 100).stream().skip(8).forEach(e -> expectedRest.add(e.name()));
        restart();
        List<String> rest = fs.readdir(root, first.entries().getLast().cookie(), 100).entries().stream()
                .map(DirEntry::name).toList();
        assertThat(rest).containsExactlyElementsOf(expectedRest);
    }

    // ---- channel cache ----

    @Test
    void write_moreFilesThanOpenChannels_allDataIntact() throws Exception {
        fs.close();
        fs = new LocalFileSystem(exportDir, clock, 2);
        List<Inode> files = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            files.add(fs.createFile(root, "f" + i, mode(0644), true));
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 5; i++) {
                fs.write(files.get(i), round, bytes(String.valueOf((char) ('a' + i))), Stability.UNSTABLE);
            }
        }
        for (int i = 0; i < 5; i++) {
            String c = String.valueOf((char) ('a' + i));
            assertThat(Files.readString(exportDir.resolve("f" + i), StandardCharsets.UTF_8)).isEqualTo(c.repeat(3));
        }
    }

    @Test
    void remove_openFile_releasesItsChannel() throws Exception {
        Inode f = file(root, "f", "x".repeat(1000));
        readAll(f);
        fs.remove(root, "f");
        assertVfsError(VfsError.STALE, () -> fs.read(f, 0, ByteBuffer.allocate(10)));
        assertVfsError(VfsError.STALE, () -> fs.write(f, 0, bytes("y"), Stability.UNSTABLE));
    }
    // ---- NFSv4.2 on this machine's file system ----

    /** ext4 and tmpfs have no reflink: FICLONERANGE says EOPNOTSUPP, which is NOTSUPP. */
    @Test
    void clone_onFileSystemWithoutReflink_NOTSUPPOrCloned() throws Exception {
        Inode src = fs.createFile(root, "src", SetAttributes.NONE.withMode(0644), true);
        fs.write(src, 0, ByteBuffer.wrap(new byte[8192]), Stability.UNSTABLE);
        Inode dst = fs.createFile(root, "dst", SetAttributes.NONE.withMode(0644), true);
        String type = Files.getFileStore(exportDir).type();
        if (type.equals("ext4") || type.equals("tmpfs")) {
            assertVfsError(VfsError.NOTSUPP, () -> fs.clone(src, 0, dst, 0, 8192));
        } else {
            fs.clone(src, 0, dst, 0, 8192);
            assertThat(fs.getattr(dst).size()).isEqualTo(8192);
        }
    }

    @Test
    void copy_withinOneFileSystem_usesTheKernelAndMatches() throws Exception {
        Inode src = fs.createFile(root, "src", SetAttributes.NONE.withMode(0644), true);
        byte[] data = "kernel copy".getBytes(StandardCharsets.UTF_8);
        fs.write(src, 0, ByteBuffer.wrap(data), Stability.UNSTABLE);
        Inode dst = fs.createFile(root, "dst", SetAttributes.NONE.withMode(0644), true);
        assertThat(fs.copy(src, 0, dst, 0, 1000)).isEqualTo(data.length);
        assertThat(Files.readAllBytes(exportDir.resolve("dst"))).isEqualTo(data);
    }
    /**
     * The kernel refuses copy_file_range of overlapping ranges in one file (EINVAL): the backend
     * falls back to its streaming copy, which reads the whole piece before writing it.
     */
    @Test
    void copy_kernelRefuses_fallsBackToStreaming() throws Exception {
        Inode f = fs.createFile(root, "f", SetAttributes.NONE.withMode(0644), true);
        fs.write(f, 0, ByteBuffer.wrap("0123456789abcdefghij".getBytes(StandardCharsets.UTF_8)), Stability.UNSTABLE);
        assertThat(fs.copy(f, 0, f, 5, 10)).isEqualTo(10);
        assertThat(Files.readString(exportDir.resolve("f"))).isEqualTo("012340123456789fghij");
    }

    @Test
    void listxattr_userNamespaceOnly_prefixStripped() throws Exception {
        Inode f = file(root, "f", "x");
        fs.setxattr(f, "mine", "1".getBytes(java.nio.charset.StandardCharsets.UTF_8), org.jnfsd.vfs.XattrMode.EITHER);
        try {
            new Libc().lsetxattr(exportDir.resolve("f"), "trusted.jnfsd", new byte[] {1}, 0);
        } catch (Libc.ErrnoException e) {
            org.junit.jupiter.api.Assumptions.abort("trusted.* needs CAP_SYS_ADMIN: " + e.getMessage());
        }
        assertThat(fs.listxattr(f)).containsExactly("mine");
    }
}
