package org.jnfsd.rpc;

import io.netty.buffer.ByteBuf;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/**
 * Reads and checks the credential and verifier of a call (AUTH_NONE and AUTH_SYS), and writes the
 * credential of an outgoing call. Stateless.
 *
 * <p>Choice of auth_stat: a credential of a supported flavor whose body is malformed (too long,
 * fields over their limits, bytes left over) is answered AUTH_BADCRED, "bad credential"; a
 * flavor we do not implement (RPCSEC_GSS, AUTH_DH, ...) is answered AUTH_TOOWEAK, "rejected for
 * security reasons". TOOWEAK rather than BADCRED because the credential may well be valid: the
 * server just does not accept that flavor, and clients treat TOOWEAK as final and try another
 * flavor instead of resending the same credential (the Linux client retries BADCRED as possibly
 * garbled in transit). A verifier other than AUTH_NONE, or over 400 bytes, is AUTH_BADVERF: with
 * AUTH_NONE and AUTH_SYS the verifier must be AUTH_NONE (RFC 5531 §10, §14).
 */
final class Authentication {
    /** RFC 5531 §14: machinename is string&lt;255&gt;, gids is unsigned int&lt;16&gt;. */
    static final int MAX_MACHINE_NAME = 255;
    static final int MAX_GIDS = 16;

    /** The call is refused with MSG_DENIED / AUTH_ERROR {@link #stat()}. */
    static final class AuthException extends Exception {
        private final AuthStat stat;

        AuthException(AuthStat stat, String message) {
            super(message);
            this.stat = stat;
        }

        AuthException(AuthStat stat, String message, Throwable cause) {
            super(message, cause);
            this.stat = stat;
        }

        AuthStat stat() {
            return stat;
        }
    }

    private Authentication() {
    }

    /**
     * Reads the credential and the verifier.
     *
     * @throws AuthException if the call must be denied
     * @throws XdrException if the header is truncated (the call is garbage)
     */
    static Credential readCredentialAndVerifier(XdrDecoder in) throws AuthException {
        int flavor = in.readInt();
        ByteBuf body = readAuthBody(in, AuthStat.AUTH_BADCRED, "credential");
        Credential cred = switch (flavor) {
            case RpcMessages.AUTH_NONE -> {
                if (body.isReadable()) {
                    throw new AuthException(AuthStat.AUTH_BADCRED,
                            "AUTH_NONE credential with a " + body.readableBytes() + "-byte body");
                }
                yield Credential.AuthNone.INSTANCE;
            }
            case RpcMessages.AUTH_SYS -> readAuthSys(body);
            default -> throw new AuthException(AuthStat.AUTH_TOOWEAK, "unsupported credential flavor " + flavor);
        };
        int verifierFlavor = in.readInt();
        readAuthBody(in, AuthStat.AUTH_BADVERF, "verifier");
        if (verifierFlavor != RpcMessages.AUTH_NONE) {
            throw new AuthException(AuthStat.AUTH_BADVERF, "verifier flavor " + verifierFlavor + ", expected AUTH_NONE");
        }
        return cred;
    }

    /** An opaque_auth body as a slice of the call buffer; too long is denied, truncated is garbage. */
    private static ByteBuf readAuthBody(XdrDecoder in, AuthStat tooLong, String what) throws AuthException {
        int length = in.readInt();
        if (length < 0 || length > RpcMessages.MAX_AUTH_BYTES) {
            throw new AuthException(tooLong, what + " body of " + Integer.toUnsignedString(length) + " bytes, limit "
                    + RpcMessages.MAX_AUTH_BYTES);
        }
        if (XdrDecoder.padded(length) > in.remaining()) {
            throw new XdrException(what + " body of " + length + " bytes exceeds the " + in.remaining() + " bytes left");
        }
        ByteBuf body = in.buffer().readSlice(length);
        in.skip(XdrDecoder.padded(length) - length);
        return body;
    }

    private static Credential.AuthSys readAuthSys(ByteBuf body) throws AuthException {
        XdrDecoder in = new XdrDecoder(body);
        try {
            int stamp = in.readInt();
            String machineName = in.readAscii(MAX_MACHINE_NAME);
            int uid = in.readInt();
            int gid = in.readInt();
            int count = in.readArrayLength(MAX_GIDS, 4);
            int[] gids = new int[count];
            for (int i = 0; i < count; i++) {
                gids[i] = in.readInt();
            }
            if (in.hasRemaining()) {
                throw new AuthException(AuthStat.AUTH_BADCRED,
                        "AUTH_SYS credential with " + in.remaining() + " bytes left over");
            }
            return new Credential.AuthSys(stamp, machineName, uid, gid, gids);
        } catch (XdrException e) {
            throw new AuthException(AuthStat.AUTH_BADCRED, "malformed AUTH_SYS credential: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code cred} as an opaque_auth.
     *
     * @throws IllegalArgumentException if an AUTH_SYS credential is over the RFC limits
     */
    static void writeCredential(XdrEncoder out, Credential cred) {
        switch (cred) {
            case Credential.AuthNone none -> out.writeInt(RpcMessages.AUTH_NONE).writeInt(0);
            case Credential.AuthSys sys -> {
                if (sys.gids().length > MAX_GIDS || sys.machineName().length() > MAX_MACHINE_NAME) {
                    throw new IllegalArgumentException("AUTH_SYS credential over the limits of RFC 5531 §14 ("
                            + MAX_GIDS + " gids, " + MAX_MACHINE_NAME + "-byte machine name)");
                }
                out.writeInt(RpcMessages.AUTH_SYS);
                int lengthAt = out.reserveInt();
                int start = out.position();
                out.writeInt(sys.stamp()).writeAscii(sys.machineName()).writeInt(sys.uid()).writeInt(sys.gid());
                int[] gids = sys.gids();
                out.writeInt(gids.length);
                for (int g : gids) {
                    out.writeInt(g);
                }
                out.setInt(lengthAt, out.position() - start);
            }
        }
    }
}
