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
    void single_oneExport_itsPathAndRules() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        ExportLine l = ExportsFileLoader.single(file("# test\n" + data + " 127.0.0.2(rw) *(ro)\n"));
        assertThat(l.path()).isEqualTo(data.toString());
        assertThat(l.rules()).hasSize(2);
    }

    @Test
    void single_syntaxError_fileLineColumn() throws Exception {
        Path f = file("/srv *(rw,bogus)\n");
        DaemonException e = catchThrowableOfType(DaemonException.class, () -> ExportsFileLoader.single(f));
        assertThat(e.getMessage()).isEqualTo(f + ":1:11: unknown option 'bogus'");
    }

    @Test
    void single_twoExports_refusedUntilThePseudoRoot() throws Exception {
        Path f = file("/a *\n/b *\n");
        DaemonException e = catchThrowableOfType(DaemonException.class, () -> ExportsFileLoader.single(f));
        assertThat(e.getMessage()).startsWith(f + ":2:1: several exports need the NFSv4 pseudo-root");
    }

    @Test
    void single_missingDirectoryOrFile_readableError() throws Exception {
        Path f = file(tmp.resolve("nope") + " *\n");
        assertThat(catchThrowableOfType(DaemonException.class, () -> ExportsFileLoader.single(f)).getMessage())
                .contains("is not a directory");
        assertThat(catchThrowableOfType(DaemonException.class, () -> ExportsFileLoader.single(tmp.resolve("x")))
                .getMessage()).startsWith("cannot read exports file");
        assertThat(catchThrowableOfType(DaemonException.class, () -> ExportsFileLoader.single(file("# only\n")))
                .getMessage()).endsWith("no exports");
    }
}
