package org.jnfsd.core.ops.v40;

import java.util.List;
import org.jnfsd.core.compound.Operation;

/** The NFSv4.0-only operations (RFC 7530): client records without sessions. */
public final class V40Operations {
    private V40Operations() {}

    public static List<Operation<?>> all() {
        return List.of(new SetClientId(), new SetClientIdConfirm(), new Renew(), new OpenConfirm(), new ReleaseLockowner());
    }
}
