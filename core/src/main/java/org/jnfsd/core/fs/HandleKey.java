package org.jnfsd.core.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbGetattrArgs;
import org.jnfsd.protocol.nfs4.callback.CbNotifyLockArgs;
import org.jnfsd.protocol.nfs4.callback.CbOffloadArgs;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;

/**
 * The server's secret that seals the file handles it hands out, so that a forged or altered handle
 * is refused before any lookup, at the cost of one HMAC: the one place that knows the wire format.
 *
 * <p>Wire format: {@link #SEALED_VERSION}, export id (4 bytes, big-endian), the inode's bytes,
 * then the first {@link #MAC_LENGTH} bytes of HMAC-SHA256 over everything before it. The MAC is
 * compared in constant time ({@link MessageDigest#isEqual}). A handle of the unsealed format
 * ({@link FileHandle#VERSION}, before sealing) is answered NFS4ERR_STALE, not accepted: accepting it
 * would let anyone skip the MAC by writing version 1, and STALE makes a client look the name up
 * again (docs/design-notes.md, "Sealed file handles").
 *
 * <p>The daemon keeps the key in its state directory ({@link #loadOrCreate}, file
 * {@value #FILE_NAME}, mode 0600), so handles stay valid across restarts; a server without one (the
 * memory backend, embedders) uses {@link #processKey()}, random per process. Immutable and
 * thread-safe. {@link #toString} never shows the key.
 */
public final class HandleKey {
    /** The first byte of a sealed handle. */
    public static final byte SEALED_VERSION = 2;
    /** Bytes of the truncated HMAC at the handle's end. */
    public static final int MAC_LENGTH = 8;
    /** Bytes of the secret. */
    public static final int KEY_LENGTH = 32;
    /** The key's file in the state directory. */
    public static final String FILE_NAME = "handle.key";
    private static final String ALGORITHM = "HmacSHA256";
    /** version + export id + at least one inode byte + MAC. */
    private static final int MIN_LENGTH = 1 + 4 + 1 + MAC_LENGTH;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HandleKey PROCESS = random();

    private final SecretKeySpec key;
    /** Cloned per use: a Mac is not thread-safe, and building one from the provider costs more. */
    private final Mac prototype;

    private HandleKey(byte[] secret) {
        if (secret.length != KEY_LENGTH) {
            throw new IllegalArgumentException("a handle key has " + KEY_LENGTH + " bytes, not " + secret.length);
        }
        this.key = new SecretKeySpec(secret, ALGORITHM);
        try {
            this.prototype = Mac.getInstance(ALGORITHM);
            prototype.init(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }

    /** A key from its {@value #KEY_LENGTH} bytes. */
    public static HandleKey of(byte[] secret) {
        return new HandleKey(secret.clone());
    }

    /** A fresh random key (handles sealed with it die with it). */
    public static HandleKey random() {
        byte[] secret = new byte[KEY_LENGTH];
        RANDOM.nextBytes(secret);
        return new HandleKey(secret);
    }

    /** This process's random key: the default of a server without a state directory. */
    public static HandleKey processKey() {
        return PROCESS;
    }

    /**
     * The key kept in {@code stateDir} (created if missing), made on first use: written to a
     * temporary file of mode 0600 and moved into place, so a crash never leaves a partial key.
     */
    public static HandleKey loadOrCreate(Path stateDir) {
        Path file = stateDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(stateDir);
            if (!Files.exists(file)) {
                HandleKey fresh = random();
                Path tmp = Files.createTempFile(stateDir, FILE_NAME, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(tmp, fresh.key.getEncoded());
                try {
                    Files.move(tmp, file);
                    return fresh;
                } catch (FileAlreadyExistsException raced) {
                    Files.delete(tmp);
                }
            }
            return new HandleKey(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the handle key " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the handle key " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    /** The handle as sent to clients. */
    public byte[] seal(FileHandle fh) {
        byte[] body = fh.toBytes();
        body[0] = SEALED_VERSION;
        byte[] out = Arrays.copyOf(body, body.length + MAC_LENGTH);
        System.arraycopy(mac(out, body.length), 0, out, body.length, MAC_LENGTH);
        return out;
    }

    /**
     * The handle a client sent, checked before anything looks at its contents: NFS4ERR_BADHANDLE
     * for a wrong length, version or MAC, NFS4ERR_STALE for one of the unsealed format.
     */
    public FileHandle open(byte[] wire) throws NfsException {
        if (wire.length >= 1 && wire[0] == FileHandle.VERSION) {
            throw new NfsException(NfsStatus.NFS4ERR_STALE, "unsealed file handle (from before handle sealing)");
        }
        if (wire.length < MIN_LENGTH || wire.length > FileHandle.NFS4_FHSIZE || wire[0] != SEALED_VERSION) {
            throw new NfsException(NfsStatus.NFS4ERR_BADHANDLE, "malformed file handle of " + wire.length + " bytes");
        }
        int bodyLength = wire.length - MAC_LENGTH;
        byte[] expected = Arrays.copyOf(mac(wire, bodyLength), MAC_LENGTH);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(wire, bodyLength, wire.length))) {
            throw new NfsException(NfsStatus.NFS4ERR_BADHANDLE, "file handle with a wrong MAC");
        }
        byte[] body = Arrays.copyOf(wire, bodyLength);
        body[0] = FileHandle.VERSION;
        return FileHandle.fromBytes(body);
    }

    /**
     * {@code args} with the unsealed handle a callback put in it ({@link FileHandle#toBytes}) sealed,
     * so the client finds the handle it was given; other arguments as they are.
     */
    public CbArgs sealIn(CbArgs args) {
        return switch (args) {
            case CbRecallArgs a -> new CbRecallArgs(a.stateId(), a.truncate(), reseal(a.fileHandle()));
            case CbGetattrArgs a -> new CbGetattrArgs(reseal(a.fileHandle()), a.attrRequest());
            case CbNotifyLockArgs a -> new CbNotifyLockArgs(reseal(a.fileHandle()), a.clientId(), a.owner());
            case CbOffloadArgs a -> new CbOffloadArgs(reseal(a.fileHandle()), a.copyStateId(), a.status(),
                    a.writeStateId(), a.count(), a.committed(), a.verifier());
            default -> args;
        };
    }

    /** Bytes that are not an unsealed handle (already sealed; a test's placeholder) pass as they are. */
    private byte[] reseal(byte[] unsealed) {
        if (unsealed.length == 0 || unsealed[0] != FileHandle.VERSION) {
            return unsealed;
        }
        try {
            return seal(FileHandle.fromBytes(unsealed));
        } catch (NfsException e) {
            return unsealed;
        }
    }

    private byte[] mac(byte[] data, int length) {
        Mac m;
        try {
            m = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            try {
                m = Mac.getInstance(ALGORITHM);
                m.init(key);
            } catch (GeneralSecurityException g) {
                throw new IllegalStateException(ALGORITHM + " unavailable", g);
            }
        }
        m.update(data, 0, length);
        return m.doFinal();
    }

    @Override
    public String toString() {
        return "HandleKey[" + (this == PROCESS ? "process" : "kept") + "]";
    }
}
