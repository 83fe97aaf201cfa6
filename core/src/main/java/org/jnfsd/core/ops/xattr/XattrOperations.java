package org.jnfsd.core.ops.xattr;

import java.util.List;
import org.jnfsd.core.compound.Operation;

/** The extended attribute operations of RFC 8276, for the dispatch table (minor version 2 only: the engine gates them). */
public final class XattrOperations {
    private XattrOperations() {}

    public static List<Operation<?>> all() {
        return List.of(new GetXattr(), new SetXattr(), new ListXattrs(), new RemoveXattr());
    }
}
