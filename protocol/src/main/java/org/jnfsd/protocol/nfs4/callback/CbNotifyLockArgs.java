package org.jnfsd.protocol.nfs4.callback;

import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** CB_NOTIFY_LOCK4args (RFC 8881 §20.11): the file and the lock owner (clientid, owner); result {@link CbStatusResult}. */
public record CbNotifyLockArgs(byte[] fileHandle, long clientId, byte[] owner) implements CbArgs {
    /** NFS4_OPAQUE_LIMIT for lock owners. */
    public static final int MAX_OWNER = 1024;

    public CbNotifyLockArgs {
        fileHandle = fileHandle.clone();
        owner = owner.clone();
    }

    @Override
    public byte[] fileHandle() {
        return fileHandle.clone();
    }

    @Override
    public byte[] owner() {
        return owner.clone();
    }

    public static CbNotifyLockArgs decode(XdrDecoder in) {
        byte[] fh = in.readOpaque(CbRecallArgs.MAX_FH);
        long cid = in.readLong();
        return new CbNotifyLockArgs(fh, cid, in.readOpaque(MAX_OWNER));
    }

    @Override
    public CbOpcode opcode() {
        return CbOpcode.CB_NOTIFY_LOCK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeOpaque(fileHandle).writeLong(clientId).writeOpaque(owner);
    }
}
