package org.jnfsd.core.ops.lock;

import java.util.List;
import org.jnfsd.core.compound.Operation;

/** The operations of this area, for the dispatch table. */
public final class LockOperations {
    private LockOperations() {}

    public static List<Operation<?>> all() {
        return List.of(new Lock(), new Lockt(), new Locku());
    }
}
