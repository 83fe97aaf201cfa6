package org.jnfsd.protocol.nfs4.xattr;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** LISTXATTRS4resok: the cookie to resume from, names (without "user."), and eof. */
public record ListxattrsResult(long cookie, List<String> names, boolean eof) implements OpResult {
    public ListxattrsResult {
        names = List.copyOf(names);
    }

    /** The XDR size of a resok with no names: cookie, array count, eof. */
    public static final int EMPTY_SIZE = 8 + 4 + 4;

    /** What one name adds to the XDR size. */
    public static int nameSize(String name) {
        return 4 + XdrDecoder.padded(name.getBytes(StandardCharsets.UTF_8).length);
    }

    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code()).writeLong(cookie).writeInt(names.size());
        for (String n : names) {
            out.writeUtf8(n);
        }
        out.writeBool(eof);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        if (!status.isOk()) {
            return StatusResult.of(status);
        }
        long cookie = in.readLong();
        int n = in.readArrayLength(Integer.MAX_VALUE, 4);
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(in.readUtf8(Integer.MAX_VALUE));
        }
        return new ListxattrsResult(cookie, names, in.readBool());
    }
}
