package org.jnfsd.protocol.nfs4.namespace;

import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.OpArgs;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.protocol.xdr.XdrException;

/**
 * CREATE4args. {@code type} is the nfs_ftype4 value; {@code linkData} is non-null only for NF4LNK
 * (raw bytes, validated by CREATE); {@code specMajor}/{@code specMinor} only mean something for
 * NF4BLK and NF4CHR.
 */
public record CreateArgs(int type, byte[] linkData, int specMajor, int specMinor, byte[] name, Fattr4 attrs)
        implements OpArgs {
    public static final int NF4REG = 1;
    public static final int NF4DIR = 2;
    public static final int NF4BLK = 3;
    public static final int NF4CHR = 4;
    public static final int NF4LNK = 5;
    public static final int NF4SOCK = 6;
    public static final int NF4FIFO = 7;
    public static final int NF4ATTRDIR = 8;
    public static final int NF4NAMEDATTR = 9;
    /** Symlink targets: larger than any sensible PATH_MAX, bounded by the request anyway. */
    static final int MAX_LINK = 64 * 1024;

    public CreateArgs {
        linkData = linkData == null ? null : linkData.clone();
        name = name.clone();
    }

    @Override
    public byte[] linkData() {
        return linkData == null ? null : linkData.clone();
    }

    @Override
    public byte[] name() {
        return name.clone();
    }

    public static CreateArgs directory(String name, Fattr4 attrs) {
        return new CreateArgs(NF4DIR, null, 0, 0, Component.utf8(name), attrs);
    }

    public static CreateArgs symlink(String name, String target, Fattr4 attrs) {
        return new CreateArgs(NF4LNK, Component.utf8(target), 0, 0, Component.utf8(name), attrs);
    }

    public static CreateArgs special(int type, int major, int minor, String name, Fattr4 attrs) {
        return new CreateArgs(type, null, major, minor, Component.utf8(name), attrs);
    }

    public static CreateArgs decode(XdrDecoder in) {
        int type = in.readInt();
        byte[] link = null;
        int major = 0;
        int minor = 0;
        switch (type) {
            case NF4LNK -> link = in.readOpaque(MAX_LINK);
            case NF4BLK, NF4CHR -> {
                major = in.readInt();
                minor = in.readInt();
            }
            case NF4REG, NF4DIR, NF4SOCK, NF4FIFO, NF4ATTRDIR, NF4NAMEDATTR -> {}
            default -> throw new XdrException("createtype4 " + type);
        }
        byte[] name = Component.decode(in);
        return new CreateArgs(type, link, major, minor, name, Fattr4.decode(in));
    }

    @Override
    public Opcode opcode() {
        return Opcode.CREATE;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(type);
        switch (type) {
            case NF4LNK -> out.writeOpaque(linkData);
            case NF4BLK, NF4CHR -> out.writeInt(specMajor).writeInt(specMinor);
            default -> {}
        }
        out.writeOpaque(name);
        attrs.encode(out);
    }
}
