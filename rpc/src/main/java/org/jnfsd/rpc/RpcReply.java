package org.jnfsd.rpc;

import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Objects;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * A reply to an outgoing call (RFC 5531 §9 {@code reply_body}), fully decoded and detached from
 * any network buffer.
 *
 * @param xid the call's transaction id
 * @param status accepted, or denied and why
 * @param acceptStat for {@link Status#ACCEPTED}: the accept_stat; otherwise null
 * @param authStat for {@link Status#DENIED_AUTH_ERROR}: the auth_stat; otherwise null
 * @param mismatchLow for PROG_MISMATCH or {@link Status#DENIED_RPC_MISMATCH}: the lowest version
 *     supported; otherwise 0
 * @param mismatchHigh likewise, the highest version supported
 * @param results for an accepted SUCCESS: the procedure's results, XDR-encoded; otherwise empty.
 *     Ownership: the array is handed over by the RPC layer and never touched again; the accessor
 *     returns a copy and {@link #decoder()} reads it without copying
 */
public record RpcReply(int xid, Status status, AcceptStat acceptStat, AuthStat authStat, int mismatchLow,
        int mismatchHigh, byte[] results) {

    /** reply_stat and, for a denied reply, reject_stat. */
    public enum Status {
        ACCEPTED,
        DENIED_RPC_MISMATCH,
        DENIED_AUTH_ERROR
    }

    public RpcReply {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(results, "results");
        if ((status == Status.ACCEPTED) != (acceptStat != null)) {
            throw new IllegalArgumentException("acceptStat must be given exactly for accepted replies");
        }
        if ((status == Status.DENIED_AUTH_ERROR) != (authStat != null)) {
            throw new IllegalArgumentException("authStat must be given exactly for AUTH_ERROR replies");
        }
    }

    /** True for an accepted reply with accept_stat SUCCESS. */
    public boolean isSuccess() {
        return acceptStat == AcceptStat.SUCCESS;
    }

    /** A copy of the results. */
    @Override
    public byte[] results() {
        return results.clone();
    }

    /** A decoder over the results (no copy; the buffer needs no release). */
    public XdrDecoder decoder() {
        return new XdrDecoder(Unpooled.wrappedBuffer(results).asReadOnly());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RpcReply r && xid == r.xid && status == r.status && acceptStat == r.acceptStat
                && authStat == r.authStat && mismatchLow == r.mismatchLow && mismatchHigh == r.mismatchHigh
                && Arrays.equals(results, r.results);
    }

    @Override
    public int hashCode() {
        return Objects.hash(xid, status, acceptStat, authStat, mismatchLow, mismatchHigh) * 31 + Arrays.hashCode(results);
    }

    @Override
    public String toString() {
        return switch (status) {
            case ACCEPTED -> "RpcReply[xid=" + xid + ", " + acceptStat
                    + (acceptStat == AcceptStat.PROG_MISMATCH ? " " + mismatchLow + ".." + mismatchHigh : "")
                    + ", " + results.length + " result bytes]";
            case DENIED_RPC_MISMATCH -> "RpcReply[xid=" + xid + ", RPC_MISMATCH " + mismatchLow + ".." + mismatchHigh + "]";
            case DENIED_AUTH_ERROR -> "RpcReply[xid=" + xid + ", AUTH_ERROR " + authStat + "]";
        };
    }
}
