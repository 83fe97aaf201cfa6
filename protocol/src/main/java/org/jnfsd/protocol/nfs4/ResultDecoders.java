package org.jnfsd.protocol.nfs4;

import java.util.EnumMap;
import java.util.Map;
import org.jnfsd.protocol.nfs4.delegation.DelegationCodecs;
import org.jnfsd.protocol.nfs4.io.IoCodecs;
import org.jnfsd.protocol.nfs4.lock.LockCodecs;
import org.jnfsd.protocol.nfs4.namespace.NamespaceCodecs;
import org.jnfsd.protocol.nfs4.session.SessionCodecs;
import org.jnfsd.protocol.nfs4.v40.V40Codecs;
import org.jnfsd.protocol.nfs4.v42.V42Codecs;
import org.jnfsd.protocol.nfs4.xattr.XattrCodecs;
import org.jnfsd.protocol.xdr.XdrDecoder;

/** Result decoders by opcode, registered by each protocol area. Immutable after class init. */
public final class ResultDecoders {
    private static final Map<Opcode, ResultDecoder> DECODERS = new EnumMap<>(Opcode.class);

    static {
        SessionCodecs.registerResults(DECODERS);
        NamespaceCodecs.registerResults(DECODERS);
        IoCodecs.registerResults(DECODERS);
        V42Codecs.registerResults(DECODERS);
        XattrCodecs.registerResults(DECODERS);
        LockCodecs.registerResults(DECODERS);
        DelegationCodecs.registerResults(DECODERS);
        V40Codecs.registerResults(DECODERS);
    }

    private ResultDecoders() {}

    /** Decodes the result of {@code op}; operations without a registered decoder yield a status. */
    public static OpResult decode(Opcode op, XdrDecoder in) {
        ResultDecoder d = DECODERS.get(op);
        return d != null ? d.decode(in) : StatusResult.of(NfsStatus.fromCode(in.readInt()));
    }
}
