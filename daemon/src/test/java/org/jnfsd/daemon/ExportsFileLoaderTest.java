package org.jnfsd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jnfsd.core.fs.ExportLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportsFileLoaderTest {
    @TempDir
    Path tmp;

    private Path file(String text) throws Exception {
        return Files.writeString(tmp.resolve("exports"), text);
    }

    @Test
    void read_oneExport_itsPathAndRules() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        ExportLine l = ExportsFileLoader.read(file("# test\n" + data + " 127.0.0.2(rw) *(ro)\n")).getFirst();
        assertThat(l.path()).isEqualTo(data.toString());
        assertThat(l.rules()).hasSize(2);
    }

    private java.util.List<String> paths(org.jnfsd.core.fs.ExportTable t) {
        return t.all().stream().map(org.jnfsd.core.fs.Export::path).toList();
    }

    @Test
    void open_twoExports_bothUnderThePseudoRoot() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        try (ExportsFileLoader l = ExportsFileLoader.open(file(a + " *\n" + b + " 127.0.0.2(ro)\n"), false,
                org.jnfsd.core.fs.HostResolver.NONE)) {
            assertThat(paths(l.table())).containsExactly(a.toString(), b.toString());
            assertThat(l.table().hasPseudoRoot()).isTrue();
            assertThat(l.table().all()).allMatch(e -> !e.delegations());
            l.table().all().forEach(e -> e.fs().close());
        }
    }

    @Test
    void reload_addsAndRemovesExports_keepsTheFileSystemOfOnesThatStay() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        Path c = Files.createDirectory(tmp.resolve("c"));
        Path f = file(a + " *\n" + b + " *\n");
        try (ExportsFileLoader l = ExportsFileLoader.open(f, true, org.jnfsd.core.fs.HostResolver.NONE)) {
            var bBefore = l.table().all().get(1);
            file(b + " 127.0.0.3(ro)\n" + c + " *\n");
            java.util.List<org.jnfsd.core.fs.ExportTable> inForce = new java.util.ArrayList<>();
            l.reload(inForce::add);
            assertThat(inForce).singleElement().isSameAs(l.table());
            assertThat(paths(l.table())).containsExactly(b.toString(), c.toString());
            var bAfter = l.table().all().getFirst();
            assertThat(bAfter.fs()).as("the same open file system: its clients' handles and state stay")
                    .isSameAs(bBefore.fs());
            assertThat(bAfter.id()).isEqualTo(bBefore.id());
            assertThat(bAfter.rules().getFirst().options().readOnly()).isTrue();
            l.table().all().forEach(e -> e.fs().close());
        }
    }

    @Test
    void reload_fsidChangedOrSyntaxError_nothingChanges() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path f = file(a + " *(rw,fsid=5)\n");
        try (ExportsFileLoader l = ExportsFileLoader.open(f, true, org.jnfsd.core.fs.HostResolver.NONE)) {
            var before = l.table();
            file(a + " *(rw,fsid=6)\n");
            DaemonException e = catchThrowableOfType(DaemonException.class, () -> l.reload(t -> {
                throw new AssertionError("put in force");
            }));
            assertThat(e.getMessage()).isEqualTo(f + ":1:1: the fsid of " + a + " changed; that needs a restart "
                    + "(clients' file handles carry it)");
            file(a + " *(rw,bogus)\n");
            assertThat(catchThrowableOfType(DaemonException.class, () -> l.reload(t -> {
                throw new AssertionError("put in force");
            })).getMessage()).startsWith(f + ":1:");
            assertThat(l.table()).isSameAs(before);
            before.all().forEach(x -> x.fs().close());
        }
    }

    @Test
    void read_syntaxError_fileLineColumn() throws Exception {
        Path f = file("/srv *(rw,bogus)\n");
        DaemonException e = catchThrowableOfType(DaemonException.class, () -> ExportsFileLoader.read(f));
        assertThat(e.getMessage()).isEqualTo(f + ":1:11: unknown option 'bogus'");
    }

    @Test
    void read_missingDirectoryOrFile_readableError() throws Exception {
        Path f = file(tmp.resolve("nope") + " *\n");
        assertThat(catchThrowableOfType(DaemonException.class, () -> ExportsFileLoader.read(f)).getMessage())
                .contains("is not a directory");
        assertThat(catchThrowableOfType(DaemonException.class, () -> ExportsFileLoader.read(tmp.resolve("x")))
                .getMessage()).startsWith("cannot read exports file");
        assertThat(catchThrowableOfType(DaemonException.class, () -> ExportsFileLoader.read(file("# only\n")))
                .getMessage()).endsWith("no exports");
    }
}
