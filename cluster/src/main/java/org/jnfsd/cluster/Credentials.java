package org.jnfsd.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

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

    /** Reads {@code file}; a readable message names what is missing. */
    public static Credentials read(Path file) {
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

    @Override
    public String toString() {
        return "Credentials[" + user + ", password hidden]";
    }
}
