package org.jnfsd.protocol.nfs4.v42;

import java.util.List;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.StatusResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * READ_PLUS4res with read_plus_res4 as the client reads it (data copied). The server writes its
 * reply straight from the backend instead.
 */
public record ReadPlusResult(boolean eof, List<Segment> contents) implements OpResult {
    /** Largest total payload the client accepts. */
    public static final int MAX_DATA = 64 * 1024 * 1024;
    private static final int MAX_SEGMENTS = 1 << 16;

    /** One read_plus_content: data (with its bytes) or a hole (with its length). */
    public sealed interface Segment permits Data, Hole {
        long offset();
    }

    public record Data(long offset, byte[] data) implements Segment {
        public Data {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    public record Hole(long offset, long length) implements Segment {}

    public ReadPlusResult {
        contents = List.copyOf(contents);
    }

    @Override
    public NfsStatus status() {
        return NfsStatus.NFS4_OK;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(NfsStatus.NFS4_OK.code()).writeBool(eof).writeInt(contents.size());
        for (Segment s : contents) {
            switch (s) {
                case Data d -> out.writeInt(DataContent.DATA.code()).writeLong(d.offset()).writeOpaque(d.data);
                case Hole h -> out.writeInt(DataContent.HOLE.code()).writeLong(h.offset()).writeLong(h.length());
            }
        }
    }

    public static OpResult decode(XdrDecoder in) {
        NfsStatus status = NfsStatus.fromCode(in.readInt());
        if (!status.isOk()) {
            return StatusResult.of(status);
        }
        boolean eof = in.readBool();
        int n = in.readArrayLength(MAX_SEGMENTS, 12);
        List<Segment> segs = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            DataContent what = DataContent.fromCode(in.readInt());
            long offset = in.readLong();
            segs.add(switch (what) {
                case DATA -> new Data(offset, in.readOpaque(MAX_DATA));
                case HOLE -> new Hole(offset, in.readLong());
            });
        }
        return new ReadPlusResult(eof, segs);
    }
}
