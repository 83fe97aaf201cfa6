package org.jnfsd.protocol.nfs4.session;

import java.util.List;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** EXCHANGE_ID4resok; failures are a {@link StatusResult}. */
public record ExchangeIdResult(long clientId, int sequenceId, int flags, StateProtectResult stateProtect,
        ServerOwner serverOwner, byte[] serverScope, List<ImplId> implId) implements OpResult {
    public static final int MAX_SCOPE = 1024;

    public ExchangeIdResult {
        serverScope = serverScope.clone();
        implId = List.copyOf(implId);
    }

    @Override
    public byte[] serverScope() {
        return serverScope.clone();
    }

    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code());
        out.writeLong(clientId).writeInt(sequenceId).writeInt(flags);
        stateProtect.encode(out);
        serverOwner.encode(out);
        out.writeOpaque(serverScope);
        ImplId.encodeList(out, implId);
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        if (!status.isOk()) {
            return StatusResult.of(status);
        }
        long clientId = in.readLong();
        int seq = in.readInt();
        int flags = in.readInt();
        StateProtectResult sp = StateProtectResult.decode(in);
        ServerOwner owner = ServerOwner.decode(in);
        byte[] scope = in.readOpaque(MAX_SCOPE);
        return new ExchangeIdResult(clientId, seq, flags, sp, owner, scope, ImplId.decodeList(in));
    }
}
