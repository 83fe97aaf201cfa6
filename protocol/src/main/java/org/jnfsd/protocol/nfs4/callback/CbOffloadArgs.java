package org.jnfsd.protocol.nfs4.callback;

import java.util.Optional;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * CB_OFFLOAD4args (RFC 7862 §16.1): the file, the copy's stateid and offload_info4: on OK a
 * write_response4 (optional callback stateid, count, committed, verifier), otherwise the bytes
 * copied before the failure. The result is a {@link CbStatusResult}.
 */
public record CbOffloadArgs(byte[] fileHandle, StateId copyStateId, NfsStatus status,
        Optional<StateId> writeStateId, long count, int committed, byte[] verifier) implements CbArgs {
    public static final int VERIFIER_SIZE = 8;

    public CbOffloadArgs {
        fileHandle = fileHandle.clone();
        verifier = verifier.clone();
        if (status.isOk() && verifier.length != VERIFIER_SIZE) {
            throw new IllegalArgumentException("verifier must be 8 bytes");
        }
    }

    /** A failed copy: {@code bytesCopied} before {@code status}. */
    public static CbOffloadArgs failed(byte[] fh, StateId copy, NfsStatus status, long bytesCopied) {
        return new CbOffloadArgs(fh, copy, status, Optional.empty(), bytesCopied, 0, new byte[0]);
    }

    @Override
    public byte[] fileHandle() {
        return fileHandle.clone();
    }

    @Override
    public byte[] verifier() {
        return verifier.clone();
    }

    public static CbOffloadArgs decode(XdrDecoder in) {
        byte[] fh = in.readOpaque(CbRecallArgs.MAX_FH);
        StateId copy = StateId.decode(in);
        NfsStatus st = NfsStatus.fromCode(in.readInt());
        if (!st.isOk()) {
            return failed(fh, copy, st, in.readLong());
        }
        int n = in.readArrayLength(1, 16);
        Optional<StateId> ws = n == 1 ? Optional.of(StateId.decode(in)) : Optional.empty();
        long count = in.readLong();
        int committed = in.readInt();
        return new CbOffloadArgs(fh, copy, st, ws, count, committed, in.readFixedOpaque(VERIFIER_SIZE));
    }

    @Override
    public CbOpcode opcode() {
        return CbOpcode.CB_OFFLOAD;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeOpaque(fileHandle);
        copyStateId.encode(out);
        out.writeInt(status.code());
        if (!status.isOk()) {
            out.writeLong(count);
            return;
        }
        out.writeInt(writeStateId.isPresent() ? 1 : 0);
        writeStateId.ifPresent(s -> s.encode(out));
        out.writeLong(count).writeInt(committed).writeFixedOpaque(verifier);
    }
}
