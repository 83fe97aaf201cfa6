package org.jnfsd.protocol.nfs4.callback;

import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** CB_GETATTR4args (RFC 8881 §20.1); the result is a {@link CbGetattrResult}. */
public record CbGetattrArgs(byte[] fileHandle, int[] attrRequest) implements CbArgs {
    public CbGetattrArgs {
        fileHandle = fileHandle.clone();
        attrRequest = attrRequest.clone();
    }

    @Override
    public byte[] fileHandle() {
        return fileHandle.clone();
    }

    @Override
    public int[] attrRequest() {
        return attrRequest.clone();
    }

    public static CbGetattrArgs decode(XdrDecoder in) {
        byte[] fh = in.readOpaque(CbRecallArgs.MAX_FH);
        return new CbGetattrArgs(fh, in.readBitmap(Fattr4.MAX_MASK_WORDS));
    }

    @Override
    public CbOpcode opcode() {
        return CbOpcode.CB_GETATTR;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeOpaque(fileHandle).writeBitmap(attrRequest);
    }
}
