package org.jnfsd.protocol.nfs4.session;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.protocol.nfs4.NfsTime;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** nfs_impl_id4: who implemented the peer, for logs only. */
public record ImplId(String domain, String name, NfsTime date) {
    static final int MAX_STRING = 1024;

    public static ImplId decode(XdrDecoder in) {
        return new ImplId(in.readUtf8(MAX_STRING), in.readUtf8(MAX_STRING), NfsTime.decode(in));
    }

    public void encode(XdrEncoder out) {
        out.writeUtf8(domain).writeUtf8(name);
        date.encode(out);
    }

    /** nfs_impl_id4 eia_client_impl_id&lt;1&gt; (and the result's counterpart). */
    static List<ImplId> decodeList(XdrDecoder in) {
        int n = in.readArrayLength(1, 20);
        List<ImplId> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(decode(in));
        }
        return List.copyOf(ids);
    }

    static void encodeList(XdrEncoder out, List<ImplId> ids) {
        if (ids.size() > 1) {
            throw new IllegalArgumentException("at most one nfs_impl_id4");
        }
        out.writeInt(ids.size());
        for (ImplId id : ids) {
            id.encode(out);
        }
    }
}
