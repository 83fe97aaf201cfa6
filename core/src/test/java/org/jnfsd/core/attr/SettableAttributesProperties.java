package org.jnfsd.core.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.attr.AttrBit.*;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jnfsd.core.NfsException;
import org.jnfsd.vfs.SetAttributes;
import org.jnfsd.vfs.SetAttributes.TimeValue;

/** Any set of settable attributes, written as a client writes them, decodes to the same values. */
class SettableAttributesProperties {

    @Property(tries = 300)
    void decodeSettable_anySettableSet_roundTrips(@ForAll("settable") SetAttributes a) throws NfsException {
        FattrWriter w = new FattrWriter();
        if (a.size() != null) {
            w.put(SIZE, o -> o.writeLong(a.size()));
        }
        if (a.mode() != null) {
            w.put(MODE, o -> o.writeInt(a.mode()));
        }
        if (a.uid() != null) {
            w.put(OWNER, o -> o.writeUtf8(Integer.toUnsignedString(a.uid())));
        }
        if (a.gid() != null) {
            w.put(OWNER_GROUP, o -> o.writeUtf8(Integer.toUnsignedString(a.gid())));
        }
        if (a.atime() != null) {
            w.put(TIME_ACCESS_SET, o -> time(o, a.atime()));
        }
        if (a.mtime() != null) {
            w.put(TIME_MODIFY_SET, o -> time(o, a.mtime()));
        }

        assertThat(Attributes.decodeSettable(w.build())).isEqualTo(a);
    }

    private static void time(org.jnfsd.protocol.xdr.XdrEncoder o, TimeValue t) {
        if (t.isServerNow()) {
            o.writeInt(0);
        } else {
            FattrWriter.clientTime(o, t.instant());
        }
    }

    @Provide
    Arbitrary<SetAttributes> settable() {
        Arbitrary<TimeValue> time = Arbitraries.oneOf(Arbitraries.just(TimeValue.SERVER_NOW),
                Combinators.combine(Arbitraries.longs().between(-1L << 40, 1L << 40),
                        Arbitraries.integers().between(0, 999_999_999))
                        .as((s, ns) -> TimeValue.of(Instant.ofEpochSecond(s, ns))));
        return Combinators.combine(
                Arbitraries.integers().between(0, 07777).injectNull(0.3),
                Arbitraries.integers().injectNull(0.3),
                Arbitraries.integers().injectNull(0.3),
                Arbitraries.longs().injectNull(0.3),
                time.injectNull(0.3),
                time.injectNull(0.3))
                .as(SetAttributes::new);
    }
}
