package org.jnfsd.vfs;

import java.time.Instant;

/**
 * Attributes to change, each {@code null} when it is to stay as it is. For times,
 * {@link TimeValue#SERVER_NOW} means the backend's current time.
 */
public record SetAttributes(Integer mode, Integer uid, Integer gid, Long size, TimeValue atime, TimeValue mtime) {
    public static final SetAttributes NONE = new SetAttributes(null, null, null, null, null, null);

    public boolean isEmpty() {
        return mode == null && uid == null && gid == null && size == null && atime == null && mtime == null;
    }

    public SetAttributes withOwner(int newUid, int newGid) {
        return new SetAttributes(mode, newUid, newGid, size, atime, mtime);
    }

    public SetAttributes withMode(int newMode) {
        return new SetAttributes(newMode, uid, gid, size, atime, mtime);
    }

    /** A time to set: a given instant, or the server's now. */
    public record TimeValue(Instant instant) {
        public static final TimeValue SERVER_NOW = new TimeValue(null);

        public static TimeValue of(Instant t) {
            return new TimeValue(t);
        }

        public boolean isServerNow() {
            return instant == null;
        }
    }
}
