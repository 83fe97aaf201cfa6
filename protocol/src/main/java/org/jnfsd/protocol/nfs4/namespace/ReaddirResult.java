package org.jnfsd.protocol.nfs4.namespace;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** READDIR4resok: the cookie verifier, a run of entries and whether the directory ended. */
public record ReaddirResult(byte[] cookieVerf, List<Entry> entries, boolean eof) implements OpResult {
    /** Bytes of a reply with no entries, after the status: verifier, no-more-entries, eof. */
    public static final int EMPTY_SIZE = ReaddirArgs.VERIFIER_SIZE + 4 + 4;
    private static final int MAX_NAME = 8192;

    public ReaddirResult {
        cookieVerf = cookieVerf.clone();
        entries = List.copyOf(entries);
    }

    @Override
    public byte[] cookieVerf() {
        return cookieVerf.clone();
    }

    /** entry4: the name is UTF-8 as the server's backend gave it. */
    public record Entry(long cookie, String name, Fattr4 attrs) {
        /** The exact XDR size of this entry in a reply, including its value_follows flag. */
        public int encodedSize() {
            return 4 + 8 + 4 + XdrDecoder.padded(name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    + 4 + 4 * attrs.mask().length + 4 + XdrDecoder.padded(attrs.values().length);
        }

        /** The size of the entry's directory information, which READDIR's dircount bounds. */
        public int dirInfoSize() {
            return 8 + 4 + XdrDecoder.padded(name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }

    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code());
        out.writeFixedOpaque(cookieVerf);
        for (Entry e : entries) {
            out.writeBool(true).writeLong(e.cookie()).writeUtf8(e.name());
            e.attrs().encode(out);
        }
        out.writeBool(false).writeBool(eof);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus s = NfsStatus.fromCode(in.readInt());
        if (!s.isOk()) {
            return StatusResult.of(s);
        }
        byte[] verf = in.readFixedOpaque(ReaddirArgs.VERIFIER_SIZE);
        List<Entry> entries = new ArrayList<>();
        // each entry consumes input, so the loop is bounded by the reply's size
        while (in.readBool()) {
            long cookie = in.readLong();
            String name = in.readUtf8(MAX_NAME);
            entries.add(new Entry(cookie, name, Fattr4.decode(in)));
        }
        return new ReaddirResult(verf, entries, in.readBool());
    }
}
