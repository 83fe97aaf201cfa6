package org.jnfsd.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;

/**
 * The cluster database's user and password, read from a file (never the command line, where
 * {@code ps} would show them): a Java properties file with {@code user=} and {@code password=}.
 */
public record Credentials(String user, String password) {
    public Credentials {
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("no user");
        }
        if (password == null) {
            throw new IllegalArgumentException("no password");
        }
    }

    /**
     * Reads {@code file}; a readable message names what is missing. A file that its group or others
     * may read or write is refused (as ssh refuses a private key), so a password is never left
     * readable by mistake; on a file system without POSIX modes the check is skipped.
     */
    public static Credentials read(Path file) {
        checkMode(file);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the credentials file " + file + ": " + e.getMessage(), e);
        }
        String user = p.getProperty("user");
        String password = p.getProperty("password");
        if (user == null || password == null) {
            throw new IllegalArgumentException("credentials file " + file + " needs user= and password= lines");
        }
        return new Credentials(user.strip(), password.strip());
    }

    private static void checkMode(Path file) {
        Set<PosixFilePermission> mode;
        try {
            mode = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the credentials file " + file + ": " + e.getMessage(), e);
        }
        Set<PosixFilePermission> open = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
        open.retainAll(mode);
        if (!open.isEmpty()) {
            throw new IllegalArgumentException("credentials file " + file + " has mode "
                    + PosixFilePermissions.toString(mode) + ": others may read it; chmod 600 it");
        }
    }

    @Override
    public String toString() {
        return "Credentials[" + user + ", password hidden]";
    }
}
