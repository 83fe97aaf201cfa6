package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** READDIR4args. {@code cookieVerf} is 8 bytes. */
public record ReaddirArgs(long cookie, byte[] cookieVerf, int dirCount, int maxCount, int[] attrRequest)
        implements OpArgs {
    public static final int VERIFIER_SIZE = 8;

    public ReaddirArgs {
        if (cookieVerf.length != VERIFIER_SIZE) {
            throw new IllegalArgumentException("cookie verifier must be 8 bytes");
        }
        cookieVerf = cookieVerf.clone();
        attrRequest = attrRequest.clone();
    }

    @Override
    public byte[] cookieVerf() {
        return cookieVerf.clone();
    }

    @Override
    public int[] attrRequest() {
        return attrRequest.clone();
    }

    public static ReaddirArgs decode(XdrDecoder in) {
        long cookie = in.readLong();
        byte[] verf = in.readFixedOpaque(VERIFIER_SIZE);
        int dirCount = in.readInt();
        int maxCount = in.readInt();
        return new ReaddirArgs(cookie, verf, dirCount, maxCount, in.readBitmap(Fattr4.MAX_MASK_WORDS));
    }

    @Override
    public Opcode opcode() {
        return Opcode.READDIR;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeLong(cookie).writeFixedOpaque(cookieVerf).writeInt(dirCount).writeInt(maxCount)
                .writeBitmap(attrRequest);
    }
}
