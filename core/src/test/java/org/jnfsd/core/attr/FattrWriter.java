package org.jnfsd.core.attr;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import java.util.function.Consumer;
import org.jnfsd.protocol.nfs4.Bitmap;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.xdr.XdrEncoder;

/** Builds fattr4 values as a client would, attribute by attribute in increasing bit order. */
final class FattrWriter {
    private int[] mask = new int[0];
    private final ByteBuf buf = Unpooled.buffer();
    private final XdrEncoder out = new XdrEncoder(buf);

    FattrWriter put(int bit, Consumer<XdrEncoder> value) {
        mask = Bitmap.set(mask, bit);
        value.accept(out);
        return this;
    }

    FattrWriter raw(Consumer<XdrEncoder> value) {
        value.accept(out);
        return this;
    }

    static void clientTime(XdrEncoder o, Instant t) {
        o.writeInt(1).writeLong(t.getEpochSecond()).writeInt(t.getNano());
    }

    Fattr4 build() {
        try {
            return new Fattr4(mask, ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }
}
