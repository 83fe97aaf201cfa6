package org.jnfsd.core.fs;

import java.util.OptionalInt;

/**
 * What one client rule of an export allows, with the exports(5) defaults: {@code ro},
 * {@code root_squash}, {@code anonuid=anongid=65534}, {@code sec=sys}, {@code insecure} (jnfsd runs
 * unprivileged, so clients' source ports are not checked unless asked for).
 *
 * @param fsid the export id asked for with {@code fsid=}, else empty (the id is then derived from
 *     the path)
 */
public record ExportOptions(boolean readOnly, Squash squash, int anonUid, int anonGid, boolean secure,
        OptionalInt fsid) {

    /** Who is mapped to the anonymous ids. */
    public enum Squash {
        /** uid 0 becomes anonuid/anongid (the default). */
        ROOT_SQUASH,
        /** nobody is mapped. */
        NO_ROOT_SQUASH,
        /** every uid becomes anonuid/anongid. */
        ALL_SQUASH;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final int NOBODY = 65534;

    /** ro, root_squash, anonuid=anongid=65534, insecure. */
    public static final ExportOptions DEFAULTS =
            new ExportOptions(true, Squash.ROOT_SQUASH, NOBODY, NOBODY, false, OptionalInt.empty());

    /** rw, root_squash: what {@code jnfsd serve DIR} grants 127.0.0.1. */
    public static final ExportOptions READ_WRITE = DEFAULTS.withReadOnly(false);

    public ExportOptions withReadOnly(boolean ro) {
        return new ExportOptions(ro, squash, anonUid, anonGid, secure, fsid);
    }

    public ExportOptions withSquash(Squash s) {
        return new ExportOptions(readOnly, s, anonUid, anonGid, secure, fsid);
    }

    public ExportOptions withAnonUid(int uid) {
        return new ExportOptions(readOnly, squash, uid, anonGid, secure, fsid);
    }

    public ExportOptions withAnonGid(int gid) {
        return new ExportOptions(readOnly, squash, anonUid, gid, secure, fsid);
    }

    public ExportOptions withSecure(boolean s) {
        return new ExportOptions(readOnly, squash, anonUid, anonGid, s, fsid);
    }

    public ExportOptions withFsid(int id) {
        return new ExportOptions(readOnly, squash, anonUid, anonGid, secure, OptionalInt.of(id));
    }

    /** The options as {@code exportfs -v} prints them, every one explicit. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(readOnly ? "ro" : "rw").append(',').append(secure ? "secure" : "insecure").append(',')
                .append(squash.keyword()).append(",anonuid=").append(Integer.toUnsignedString(anonUid))
                .append(",anongid=").append(Integer.toUnsignedString(anonGid)).append(",sec=sys");
        fsid.ifPresent(f -> b.append(",fsid=").append(Integer.toUnsignedString(f)));
        return b.toString();
    }
}
