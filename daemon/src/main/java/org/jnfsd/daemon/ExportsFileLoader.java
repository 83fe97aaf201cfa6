package org.jnfsd.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jnfsd.core.fs.ExportLine;
import org.jnfsd.core.fs.ExportsFile;
import org.jnfsd.core.fs.ExportsSyntaxException;

/** Reads {@code jnfsd serve --exports FILE}. Until the pseudo-root lands, the file declares one export. */
final class ExportsFileLoader {
    private ExportsFileLoader() {
    }

    /** The one export of {@code file}; a readable error (with line:column) for anything else. */
    static ExportLine single(Path file) throws DaemonException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DaemonException("cannot read exports file " + file + ": " + e.getMessage());
        }
        List<ExportLine> lines;
        try {
            lines = ExportsFile.parse(text, file.toString());
        } catch (ExportsSyntaxException e) {
            throw new DaemonException(e.getMessage());
        }
        if (lines.isEmpty()) {
            throw new DaemonException(file + ": no exports");
        }
        if (lines.size() > 1) {
            throw new DaemonException(file + ":" + lines.get(1).line() + ":1: several exports need the NFSv4 "
                    + "pseudo-root, which jnfsd does not build yet; declare one export per server for now");
        }
        ExportLine line = lines.getFirst();
        if (!Files.isDirectory(Path.of(line.path()))) {
            throw new DaemonException(file + ":" + line.line() + ":1: " + line.path() + " is not a directory");
        }
        return line;
    }
}
