package org.jnfsd.core.ops.namespace;

import java.util.List;
import org.jnfsd.core.compound.Operation;

/** The operations of this area, for the dispatch table. */
public final class NamespaceOperations {
    private NamespaceOperations() {}

    public static List<Operation<?>> all() {
        return List.of(new PutRootFh(), new PutPubFh(), new PutFh(), new GetFh(), new SaveFh(), new RestoreFh(),
                new Lookup(), new Lookupp(), new Getattr(), new Setattr(), new Access(), new Readdir(),
                new Create(), new Remove(), new Rename(), new Link(), new Readlink(), new Verify(),
                new Nverify(), new Secinfo(), new SecinfoNoName());
    }
}
