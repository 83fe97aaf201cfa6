package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** PUTFH4args. Handles longer than NFS4_FHSIZE are decoded so that PUTFH can answer BADHANDLE. */
public record PutFhArgs(byte[] fh) implements OpArgs {
    static final int MAX_DECODED = 1024;

    public PutFhArgs {
        fh = fh.clone();
    }

    @Override
    public byte[] fh() {
        return fh.clone();
    }

    public static PutFhArgs decode(XdrDecoder in) {
        return new PutFhArgs(in.readOpaque(MAX_DECODED));
    }

    @Override
    public Opcode opcode() {
        return Opcode.PUTFH;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeOpaque(fh);
    }
}
