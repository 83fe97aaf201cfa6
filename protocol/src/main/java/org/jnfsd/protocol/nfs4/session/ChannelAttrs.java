package org.jnfsd.protocol.nfs4.session;

import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * channel_attrs4 (RFC 8881 §18.36). All sizes are unsigned on the wire; values above
 * Integer.MAX_VALUE are clamped to it on decode, which only matters to a negotiation taking a minimum.
 *
 * @param rdmaIrd ca_rdma_ird&lt;1&gt;: null when absent
 */
public record ChannelAttrs(int headerPadSize, int maxRequestSize, int maxResponseSize, int maxResponseSizeCached,
        int maxOperations, int maxRequests, Integer rdmaIrd) {

    public static ChannelAttrs decode(XdrDecoder in) {
        int pad = clamp(in.readUnsignedInt());
        int req = clamp(in.readUnsignedInt());
        int resp = clamp(in.readUnsignedInt());
        int cached = clamp(in.readUnsignedInt());
        int ops = clamp(in.readUnsignedInt());
        int reqs = clamp(in.readUnsignedInt());
        int n = in.readArrayLength(1, 4);
        Integer ird = n == 1 ? in.readInt() : null;
        return new ChannelAttrs(pad, req, resp, cached, ops, reqs, ird);
    }

    public void encode(XdrEncoder out) {
        out.writeInt(headerPadSize).writeInt(maxRequestSize).writeInt(maxResponseSize)
                .writeInt(maxResponseSizeCached).writeInt(maxOperations).writeInt(maxRequests);
        if (rdmaIrd == null) {
            out.writeInt(0);
        } else {
            out.writeInt(1).writeInt(rdmaIrd);
        }
    }

    private static int clamp(long v) {
        return (int) Math.min(v, Integer.MAX_VALUE);
    }
}
