package org.jnfsd.core.compound;

import org.jnfsd.core.NfsException;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;

/**
 * One NFSv4 operation: one class per operation, stateless, registered in {@link OperationTable}.
 *
 * @param <A> the decoded arguments (a record from the protocol module)
 */
public interface Operation<A> {
    Opcode opcode();

    /** Decodes this operation's arguments; throws XdrException on malformed input. */
    A decode(XdrDecoder in);

    /** Executes; failures are thrown as {@link NfsException} and encoded by {@link #failure}. */
    OpResult execute(CompoundContext ctx, A args) throws NfsException;

    /** The result for a failure; operations whose error arm has a body (SETATTR, LOCK) override. */
    default OpResult failure(NfsStatus status, A args) {
        return StatusResult.of(status);
    }
}
