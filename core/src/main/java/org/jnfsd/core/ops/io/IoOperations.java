package org.jnfsd.core.ops.io;

import java.util.List;
import org.jnfsd.core.compound.Operation;

/** The operations of this area, for the dispatch table. */
public final class IoOperations {
    private IoOperations() {}

    public static List<Operation<?>> all() {
        return List.of(new Open(), new Close(), new OpenDowngrade(), new Read(), new Write(), new Commit(),
                new TestStateid(), new FreeStateid());
    }
}
