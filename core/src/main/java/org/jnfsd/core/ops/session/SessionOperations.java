package org.jnfsd.core.ops.session;

import java.util.List;
import org.jnfsd.core.compound.Operation;

/** The operations of this area, for the dispatch table. */
public final class SessionOperations {
    private SessionOperations() {}

    public static List<Operation<?>> all() {
        return List.of(new ExchangeId(), new CreateSession(), new Sequence(), new DestroySession(),
                new DestroyClientid(), new ReclaimComplete(), new BindConnToSession(), new BackchannelCtl());
    }
}
