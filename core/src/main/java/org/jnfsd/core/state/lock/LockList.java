package org.jnfsd.core.state.lock;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The POSIX byte-range locks of one file: segments of (owner, range, read or write). Segments of
 * different owners may overlap (read locks); the segments of one owner never overlap, and two of
 * its segments of the same type that touch are merged into one. A new lock by an owner replaces
 * whatever that owner held in its range (upgrade, downgrade, splitting what it cuts), and unlocking
 * cuts the range out. Not thread-safe: its owner guards it (LockManager: the file's lock).
 *
 * @param <O> the lock owner; compared with {@code equals}
 */
final class LockList<O> {
    /** One lock of one owner. */
    record Segment<O>(O owner, LockRange range, boolean write) {}

    private final List<Segment<O>> segments = new ArrayList<>();

    /** The first segment of another owner that conflicts with {@code owner} taking the range, or null. */
    /** The ranges {@code owner} holds, in no particular order. */
    List<Segment<O>> segmentsOf(O owner) {
        List<Segment<O>> out = new ArrayList<>();
        for (Segment<O> s : segments) {
            if (s.owner.equals(owner)) {
                out.add(s);
            }
        }
        return out;
    }

    Segment<O> conflict(O owner, LockRange range, boolean write) {
        for (Segment<O> s : segments) {
            if (!s.owner.equals(owner) && (write || s.write) && s.range.overlaps(range)) {
                return s;
            }
        }
        return null;
    }

    /** Gives {@code owner} a lock of the given type on the range; callers checked {@link #conflict}. */
    void lock(O owner, LockRange range, boolean write) {
        unlock(owner, range);
        long first = range.first();
        long last = range.last();
        // merge with the owner's segments of the same type that touch the new one
        for (int i = segments.size() - 1; i >= 0; i--) {
            Segment<O> s = segments.get(i);
            if (s.owner.equals(owner) && s.write == write && touches(s.range, first, last)) {
                first = Long.compareUnsigned(s.range.first(), first) < 0 ? s.range.first() : first;
                last = Long.compareUnsigned(s.range.last(), last) > 0 ? s.range.last() : last;
                segments.remove(i);
            }
        }
        segments.add(new Segment<>(owner, new LockRange(first, last), write));
    }

    /** Removes {@code owner}'s locks from the range, splitting a segment that straddles it. */
    void unlock(O owner, LockRange range) {
        List<Segment<O>> kept = new ArrayList<>();
        for (int i = segments.size() - 1; i >= 0; i--) {
            Segment<O> s = segments.get(i);
            if (!s.owner.equals(owner) || !s.range.overlaps(range)) {
                continue;
            }
            segments.remove(i);
            if (Long.compareUnsigned(s.range.first(), range.first()) < 0) {
                kept.add(new Segment<>(owner, new LockRange(s.range.first(), range.first() - 1), s.write));
            }
            if (Long.compareUnsigned(s.range.last(), range.last()) > 0) {
                kept.add(new Segment<>(owner, new LockRange(range.last() + 1, s.range.last()), s.write));
            }
        }
        segments.addAll(kept);
    }

    /** Removes every lock of the owners {@code which} accepts; returns whether there were any. */
    boolean unlockAll(Predicate<? super O> which) {
        return segments.removeIf(s -> which.test(s.owner));
    }

    boolean holds(O owner) {
        for (Segment<O> s : segments) {
            if (s.owner.equals(owner)) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return segments.isEmpty();
    }

    /** A copy of the segments, in no particular order. */
    List<Segment<O>> segments() {
        return List.copyOf(segments);
    }

    /** Whether [first, last] overlaps {@code r} or is adjacent to it. */
    private static boolean touches(LockRange r, long first, long last) {
        boolean beforeOrIn = Long.compareUnsigned(r.first(), last) <= 0 || (last != LockRange.TO_EOF && r.first() == last + 1);
        boolean afterOrIn = Long.compareUnsigned(first, r.last()) <= 0 || (r.last() != LockRange.TO_EOF && first == r.last() + 1);
        return beforeOrIn && afterOrIn;
    }
}
