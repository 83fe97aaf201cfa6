package org.jnfsd.core.state.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The range algebra against a per-byte model: over bytes 0..SIZE-1, each owner's lock on each byte
 * is NONE, READ or WRITE. A lock is granted iff no other owner holds a conflicting byte in its range.
 */
class LockListTest {
    private static final int SIZE = 24;
    private static final int OWNERS = 3;
    private static final int NONE = 0;
    private static final int READ = 1;
    private static final int WRITE = 2;

    /** One step: lock (READ or WRITE) or unlock (NONE) of [first, first + length) by an owner. */
    record Step(int owner, int first, int length, int type) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, OWNERS - 1),
                Arbitraries.integers().between(0, SIZE - 1), Arbitraries.integers().between(1, SIZE),
                Arbitraries.integers().between(NONE, WRITE))
                .as((o, f, l, t) -> new Step(o, f, Math.min(l, SIZE - f), t));
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 1000)
    void lockAndUnlock_anySequence_matchesPerByteModel(@ForAll("steps") List<Step> steps) {
        LockList<Integer> list = new LockList<>();
        int[][] model = new int[OWNERS][SIZE];
        for (Step s : steps) {
            LockRange range = new LockRange(s.first, s.first + s.length - 1);
            if (s.type == NONE) {
                list.unlock(s.owner, range);
                for (int b = s.first; b < s.first + s.length; b++) {
                    model[s.owner][b] = NONE;
                }
            } else {
                boolean write = s.type == WRITE;
                boolean modelConflict = modelConflict(model, s, write);
                LockList.Segment<Integer> c = list.conflict(s.owner, range, write);
                assertThat(c != null).as("conflict for %s", s).isEqualTo(modelConflict);
                if (c != null) {
                    // the reported lock really is in the way
                    assertThat(c.owner()).isNotEqualTo(s.owner);
                    assertThat(c.range().overlaps(range)).isTrue();
                    assertThat(write || c.write()).isTrue();
                    continue;
                }
                list.lock(s.owner, range, write);
                for (int b = s.first; b < s.first + s.length; b++) {
                    model[s.owner][b] = s.type;
                }
            }
            assertThat(render(list)).as("after %s", s).isEqualTo(model);
            assertNormalized(list);
        }
    }

    @Test
    void lock_sameOwnerWriteInsideRead_splitsReadAroundIt() {
        LockList<Integer> list = new LockList<>();
        list.lock(1, new LockRange(0, 99), false);
        list.lock(1, new LockRange(40, 59), true);
        assertThat(list.segments()).containsExactlyInAnyOrder(
                new LockList.Segment<>(1, new LockRange(0, 39), false),
                new LockList.Segment<>(1, new LockRange(60, 99), false),
                new LockList.Segment<>(1, new LockRange(40, 59), true));
        // downgrade back: the three merge into one read lock
        list.lock(1, new LockRange(40, 59), false);
        assertThat(list.segments()).containsExactly(new LockList.Segment<>(1, new LockRange(0, 99), false));
    }

    @Test
    void lock_adjacentSameType_merges() {
        LockList<Integer> list = new LockList<>();
        list.lock(1, new LockRange(0, 9), true);
        list.lock(1, new LockRange(10, LockRange.TO_EOF), true);
        assertThat(list.segments()).containsExactly(new LockList.Segment<>(1, new LockRange(0, LockRange.TO_EOF), true));
    }

    @Test
    void unlock_middleOfRangeToEof_leavesBothEnds() {
        LockList<Integer> list = new LockList<>();
        list.lock(1, new LockRange(0, LockRange.TO_EOF), true);
        list.unlock(1, new LockRange(5, -3L));
        assertThat(list.segments()).containsExactlyInAnyOrder(
                new LockList.Segment<>(1, new LockRange(0, 4), true),
                new LockList.Segment<>(1, new LockRange(-2L, LockRange.TO_EOF), true));
    }

    @Test
    void conflict_readLocksOfTwoOwners_none_writeAgainstRead_conflicts() {
        LockList<Integer> list = new LockList<>();
        list.lock(1, new LockRange(0, 9), false);
        assertThat(list.conflict(2, new LockRange(5, 5), false)).isNull();
        assertThat(list.conflict(2, new LockRange(9, 20), true)).isEqualTo(
                new LockList.Segment<>(1, new LockRange(0, 9), false));
        assertThat(list.conflict(2, new LockRange(10, 20), true)).isNull();
    }

    private static boolean modelConflict(int[][] model, Step s, boolean write) {
        for (int o = 0; o < OWNERS; o++) {
            if (o == s.owner) {
                continue;
            }
            for (int b = s.first; b < s.first + s.length; b++) {
                if (model[o][b] == WRITE || (write && model[o][b] == READ)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int[][] render(LockList<Integer> list) {
        int[][] bytes = new int[OWNERS][SIZE];
        for (LockList.Segment<Integer> seg : list.segments()) {
            for (long b = seg.range().first(); b <= seg.range().last(); b++) {
                assertThat(bytes[seg.owner()][(int) b]).as("owner %s byte %s locked twice", seg.owner(), b).isEqualTo(NONE);
                bytes[seg.owner()][(int) b] = seg.write() ? WRITE : READ;
            }
        }
        return bytes;
    }

    /** No owner has two segments of one type that overlap or touch (they would have been merged). */
    private static void assertNormalized(LockList<Integer> list) {
        List<LockList.Segment<Integer>> segs = new ArrayList<>(list.segments());
        for (int i = 0; i < segs.size(); i++) {
            for (int j = i + 1; j < segs.size(); j++) {
                LockList.Segment<Integer> a = segs.get(i);
                LockList.Segment<Integer> b = segs.get(j);
                if (a.owner().equals(b.owner()) && a.write() == b.write()) {
                    boolean touch = a.range().last() + 1 >= b.range().first() && b.range().last() + 1 >= a.range().first();
                    assertThat(touch).as("%s and %s not merged", a, b).isFalse();
                }
            }
        }
    }
}
