package org.jnfsd.core.attr;

import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.SetAttributes.TimeValue;

/** Collects decoded settable values; one per decode, confined to its thread. */
final class SettableBuilder {
    Integer mode;
    Integer uid;
    Integer gid;
    Long size;
    TimeValue atime;
    TimeValue mtime;

    SetAttributes build() {
        return new SetAttributes(mode, uid, gid, size, atime, mtime);
    }
}
