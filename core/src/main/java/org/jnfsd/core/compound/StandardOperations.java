package org.jnfsd.core.compound;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.ops.delegation.DelegationOperations;
import org.jnfsd.core.ops.io.IoOperations;
import org.jnfsd.core.ops.lock.LockOperations;
import org.jnfsd.core.ops.namespace.NamespaceOperations;
import org.jnfsd.core.ops.session.SessionOperations;
import org.jnfsd.core.ops.v40.V40Operations;
import org.jnfsd.core.ops.v42.V42Operations;
import org.jnfsd.core.ops.xattr.XattrOperations;

/** The dispatch table of every implemented operation. */
public final class StandardOperations {
    private StandardOperations() {}

    public static OperationTable table() {
        List<Operation<?>> all = new ArrayList<>();
        all.addAll(SessionOperations.all());
        all.addAll(NamespaceOperations.all());
        all.addAll(IoOperations.all());
        all.addAll(V42Operations.all());
        all.addAll(XattrOperations.all());
        all.addAll(LockOperations.all());
        all.addAll(DelegationOperations.all());
        all.addAll(V40Operations.all());
        return new OperationTable(all);
    }
}
