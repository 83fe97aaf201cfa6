package org.jnfsd.core.ops.v42;

import java.util.List;
import org.jnfsd.core.compound.Operation;

/** The NFSv4.2 data operations, for the dispatch table (minor version 2 only: the engine gates them). */
public final class V42Operations {
    private V42Operations() {}

    public static List<Operation<?>> all() {
        return List.of(new Seek(), new Allocate(), new Deallocate(), new Clone(), new ReadPlus(), new Copy(),
                new OffloadStatus(), new OffloadCancel());
    }
}
