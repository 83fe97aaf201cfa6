package org.jnfsd.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportLine;
import org.jnfsd.core.fs.ExportTable;
import org.jnfsd.core.fs.ExportsFile;
import org.jnfsd.core.fs.ExportsSyntaxException;
import org.jnfsd.core.fs.HostResolver;
import org.jnfsd.vfs.VirtualFileSystem;
import org.jnfsd.vfs.local.LocalFileSystem;

/**
 * {@code jnfsd serve --exports FILE}: the exports the file declares, each over the local
 * directory of its path, under the NFSv4 pseudo-root. {@link #reload} re-reads the file: exports
 * whose path stays keep their open file system (their clients' state is untouched), new paths are
 * opened, removed ones are retired (closed by {@link #close}, after the server, since requests may
 * still be using them). Thread-safe: reloads (SIGHUP, {@code jnfsd exportfs -r}) take the lock.
 */
final class ExportsFileLoader implements AutoCloseable {
    private final Path file;
    private final boolean delegations;
    private final HostResolver resolver;
    private final Object lock = new Object();
    /** The open file system of every export path in force. */
    private final Map<String, VirtualFileSystem> open = new HashMap<>();
    /** File systems of exports a reload removed; closed by {@link #close}. */
    private final List<VirtualFileSystem> retired = new ArrayList<>();
    private ExportTable table;

    private ExportsFileLoader(Path file, boolean delegations, HostResolver resolver) {
        this.file = file;
        this.delegations = delegations;
        this.resolver = resolver;
    }

    /** Reads {@code file} and opens every export's directory; a readable error (file:line:column) for any fault. */
    static ExportsFileLoader open(Path file, boolean delegations, HostResolver resolver) throws DaemonException {
        ExportsFileLoader l = new ExportsFileLoader(file, delegations, resolver);
        synchronized (l.lock) {
            l.table = l.build(read(file), Map.of());
        }
        return l;
    }

    /** The exports in force. */
    ExportTable table() {
        synchronized (lock) {
            return table;
        }
    }

    /** The lines of {@code file}: at least one, each path an existing directory. */
    static List<ExportLine> read(Path file) throws DaemonException {
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
        for (ExportLine line : lines) {
            if (!Files.isDirectory(Path.of(line.path()))) {
                throw new DaemonException(file + ":" + line.line() + ":1: " + line.path() + " is not a directory");
            }
        }
        return lines;
    }

    /**
     * The table {@code lines} declare, reusing the file systems of {@code open} paths and opening
     * the others; on failure every file system it opened is closed again and nothing changes.
     */
    private ExportTable build(List<ExportLine> lines, Map<String, Integer> idsInForce) throws DaemonException {
        Map<String, VirtualFileSystem> opened = new HashMap<>();
        try {
            ExportTable t = ExportTable.of(lines, path -> {
                VirtualFileSystem fs = open.get(path);
                if (fs != null) {
                    return fs;
                }
                try {
                    fs = new LocalFileSystem(Path.of(path).toAbsolutePath().normalize(), Clock.systemUTC());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                opened.put(path, fs);
                return fs;
            }, resolver, file.toString());
            for (ExportLine line : lines) {
                Integer before = idsInForce.get(line.path());
                int now = t.all().stream().filter(e -> e.path().equals(line.path())).findFirst().orElseThrow().id();
                if (before != null && before != now) {
                    throw new DaemonException(file + ":" + line.line() + ":1: the fsid of " + line.path()
                            + " changed; that needs a restart (clients' file handles carry it)");
                }
            }
            List<Export> withDelegations = t.all().stream().map(e -> e.withDelegations(delegations)).toList();
            ExportTable out = new ExportTable(withDelegations, resolver);
            open.putAll(opened);
            opened.clear();
            return out;
        } catch (ExportsSyntaxException e) {
            throw new DaemonException(e.getMessage());
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new DaemonException(file + ": " + e.getMessage());
        } finally {
            opened.values().forEach(VirtualFileSystem::close);
        }
    }

    /**
     * Re-reads the file and hands the new table to {@code inForce} (under the lock, so two reloads
     * never put an older table last); on any error nothing changes and the error says where.
     * Exports the file no longer has are retired.
     */
    ExportTable reload(java.util.function.Consumer<ExportTable> inForce) throws DaemonException {
        synchronized (lock) {
            Map<String, Integer> ids = new HashMap<>();
            table.all().forEach(e -> ids.put(e.path(), e.id()));
            ExportTable next = build(read(file), ids);
            for (var it = open.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (next.all().stream().noneMatch(x -> x.path().equals(e.getKey()))) {
                    retired.add(e.getValue());
                    it.remove();
                }
            }
            table = next;
            inForce.accept(next);
            return next;
        }
    }

    /** One line naming every export and its rules, for logs. */
    static String describe(ExportTable t) {
        List<String> out = new ArrayList<>();
        for (Export e : t.all()) {
            out.add(e.path() + " " + String.join(" ", e.rules().stream().map(Object::toString).toList()));
        }
        return String.join("; ", out);
    }

    /** Closes the file systems of retired exports (the server closes those in force). */
    @Override
    public void close() {
        synchronized (lock) {
            retired.forEach(VirtualFileSystem::close);
            retired.clear();
        }
    }
}
