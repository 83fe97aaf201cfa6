package org.jnfsd.core.ops.delegation;

import java.util.List;
import org.jnfsd.core.compound.Operation;

/** The operations of this area, for the dispatch table. */
public final class DelegationOperations {
    private DelegationOperations() {}

    public static List<Operation<?>> all() {
        return List.of(new DelegReturn(), new DelegPurge());
    }
}
