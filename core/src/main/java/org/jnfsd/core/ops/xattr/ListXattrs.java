package org.jnfsd.core.ops.xattr;

import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.NfsException;
import org.jnfsd.core.compound.CompoundContext;
import org.jnfsd.core.compound.Operation;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.xattr.ListxattrsArgs;
import org.jnfsd.protocol.nfs4.xattr.ListxattrsResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.vfs.VfsException;

/**
 * LISTXATTRS (RFC 8276 §8.4.3): the names of the current object's attributes, in the backend's
 * sorted order, from {@code cookie} on. The cookie is the index of the next name, as knfsd's (0 is
 * the start; one past the end is NFS4ERR_BAD_COOKIE). {@code maxcount} bounds the whole
 * LISTXATTRS4resok (cookie, names, eof); when not even one more name fits it is NFS4ERR_TOOSMALL.
 * A cookie survives changes to other names only as an index does: a name created or removed before
 * it shifts the rest by one (knfsd's cookies behave alike).
 */
final class ListXattrs implements Operation<ListxattrsArgs> {
    @Override
    public Opcode opcode() {
        return Opcode.LISTXATTRS;
    }

    @Override
    public ListxattrsArgs decode(XdrDecoder in) {
        return ListxattrsArgs.decode(in);
    }

    @Override
    public OpResult execute(CompoundContext ctx, ListxattrsArgs args) throws NfsException {
        XattrChecks.Target t = XattrChecks.forRead(ctx);
        List<String> all;
        try {
            all = t.fs().listxattr(t.fh().inode());
        } catch (VfsException e) {
            throw NfsException.of(e);
        }
        long cookie = args.cookie();
        if (cookie < 0 || cookie > all.size()) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_COOKIE,
                    "cookie " + Long.toUnsignedString(cookie) + " of a list of " + all.size());
        }
        long budget = Integer.toUnsignedLong(args.maxCount()) - ListxattrsResult.EMPTY_SIZE;
        if (budget < 0) {
            throw new NfsException(NfsStatus.NFS4ERR_TOOSMALL,
                    "maxcount " + args.maxCount() + " holds not even an empty list");
        }
        List<String> page = new ArrayList<>();
        int next = (int) cookie;
        while (next < all.size()) {
            int size = ListxattrsResult.nameSize(all.get(next));
            if (size > budget) {
                break;
            }
            budget -= size;
            page.add(all.get(next));
            next++;
        }
        boolean eof = next == all.size();
        if (page.isEmpty() && !eof) {
            throw new NfsException(NfsStatus.NFS4ERR_TOOSMALL,
                    "maxcount " + Integer.toUnsignedString(args.maxCount()) + " holds no name");
        }
        return new ListxattrsResult(next, page, eof);
    }
}
