package org.jnfsd.core.ops.namespace;

import java.util.List;
import org.jnfsd.core.compound.Operation;

/** The operations of this area, for the dispatch table. */
public final class NamespaceOperations {
    private NamespaceOperations() {}

    public static List<Operation<?>> all() {
        return List.of();
    }
}
