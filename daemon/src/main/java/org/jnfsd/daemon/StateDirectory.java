package org.jnfsd.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The daemon's state directory (its recovery store): where it is by default, and the exclusive
 * lock a running daemon holds on it ({@code jnfsd.lock}, an {@code fcntl} lock the kernel drops when
 * the process dies, holding the owner's pid), so that two daemons never share one recovery store.
 * Held from before the server is built until after it and its store are closed.
 */
final class StateDirectory implements AutoCloseable {
    static final String LOCK_FILE = "jnfsd.lock";
    /** The system-wide base used when it exists and is writable (the .deb creates it). */
    static final Path SYSTEM_BASE = Path.of("/var/lib/jnfsd");

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private StateDirectory(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    Path path() {
        return dir;
    }

    /**
     * The default state directory of an export: {@code <base>/<first 16 hex digits of SHA-256 of
     * the export path>} (one per exported directory, nothing written beside the export), the base
     * being the first of
     * <ol>
     *   <li>{@code $STATE_DIRECTORY} (systemd's {@code StateDirectory=}; its first entry);
     *   <li>{@code systemBase} ({@link #SYSTEM_BASE}) when it is a writable directory;
     *   <li>{@code $XDG_STATE_HOME/jnfsd}, {@code $XDG_STATE_HOME} defaulting to
     *       {@code ~/.local/state} (XDG Base Directory spec) when the home directory exists.
     * </ol>
     *
     * @throws DaemonException when none is usable (a system user with no home, say)
     */
    static Path defaultFor(Path export, Map<String, String> env, Path systemBase, String home) throws DaemonException {
        String systemd = env.get("STATE_DIRECTORY");
        Path base;
        if (systemd != null && !systemd.isBlank() && Path.of(systemd.split(":")[0]).isAbsolute()) {
            base = Path.of(systemd.split(":")[0]);
        } else if (Files.isDirectory(systemBase) && Files.isWritable(systemBase)) {
            base = systemBase;
        } else {
            String xdg = env.get("XDG_STATE_HOME");
            if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
                base = Path.of(xdg).resolve("jnfsd");
            } else if (home != null && !home.isBlank() && Files.isDirectory(Path.of(home))) {
                base = Path.of(home, ".local", "state", "jnfsd");
            } else {
                throw new DaemonException("no state directory: home directory " + home + " does not exist and "
                        + systemBase + " is not writable; pass --state-dir");
            }
        }
        return base.resolve(exportHash(export));
    }

    static String exportHash(Path export) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(export.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Creates {@code dir} if needed and takes its lock, writing this process's pid into the lock file.
     *
     * @throws DaemonException when another process (or this one) holds it, or the directory is unusable
     */
    static StateDirectory lock(Path dir) throws DaemonException {
        Path file = dir.resolve(LOCK_FILE);
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM already holds it
            }
            if (lock == null) {
                String owner = Files.readString(file).strip();
                ch.close();
                throw new DaemonException("state directory " + dir + " is in use by another jnfsd"
                        + (owner.isEmpty() ? "" : " (pid " + owner + ")") + "; stop it or pass another --state-dir");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
            return new StateDirectory(dir, ch, lock);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new DaemonException("cannot use state directory " + dir + ": " + e.getMessage());
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    /** Releases the lock (the file stays, so its inode, the lock's home, is stable). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
