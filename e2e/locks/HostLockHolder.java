import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jnfsd.client.NfsClient;
import org.jnfsd.protocol.nfs4.CompoundReply;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.io.CloseArgs;
import org.jnfsd.protocol.nfs4.io.OpenArgs;
import org.jnfsd.protocol.nfs4.io.OpenClaim;
import org.jnfsd.protocol.nfs4.io.OpenHow;
import org.jnfsd.protocol.nfs4.io.OpenOwner;
import org.jnfsd.protocol.nfs4.io.OpenResult;
import org.jnfsd.protocol.nfs4.io.ShareAccess;
import org.jnfsd.protocol.nfs4.io.StateIdResult;
import org.jnfsd.protocol.nfs4.lock.LockArgs;
import org.jnfsd.protocol.nfs4.lock.LockType;
import org.jnfsd.protocol.nfs4.lock.Locker;
import org.jnfsd.protocol.nfs4.lock.LockuArgs;
import org.jnfsd.protocol.nfs4.namespace.GetFhResult;
import org.jnfsd.protocol.nfs4.namespace.PutFhArgs;
import org.jnfsd.protocol.nfs4.namespace.VoidArgs;
import org.jnfsd.rpc.Credential;
import org.jnfsd.server.admin.AdminClient;

/**
 * e2e helper run on the host by ./run (java single-file source): a second NFS client that holds a
 * write lock on the whole of {@code <file>} while the kernel client in the guest blocks on it with
 * F_SETLKW. It creates the file, locks it and prints "locked"; waits (renewing its lease, bounded)
 * until the server has queued a waiter ({@code jnfsd.locks.waiters} >= 1, read with the admin
 * stats call), unlocks and prints "unlocked"; then waits (bounded) until the server counts a
 * CB_NOTIFY_LOCK sent to the guest (whose F_SETLKW then returns; locks.sh checks that). Exit 0 only
 * if all of that happened.
 *
 * <p>Usage: java -cp ... HostLockHolder.java PORT FILE
 */
public class HostLockHolder {
    /** x 0.5 s: until the guest (booting under qemu) blocks on the lock. */
    private static final int WAITER_POLLS = 1200;
    /** x 0.5 s: the notification follows the unlock at once; the guest only has to answer it. */
    private static final int NOTIFY_POLLS = 120;

    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
        String name = args[1];
        Credential cred = new Credential.AuthSys(0, "e2e-host", 0, 0, new int[0]);
        try (NfsClient c = NfsClient.connect(server, 1, cred)) {
            c.reclaimComplete();
            CompoundReply opened = c.compound(VoidArgs.PUTROOTFH,
                    new OpenArgs(0, ShareAccess.ACCESS_BOTH, ShareAccess.DENY_NONE,
                            new OpenOwner(c.clientId(), bytes("host-opener")), new OpenHow.Unchecked(Fattr4.EMPTY),
                            new OpenClaim.Null(name)),
                    VoidArgs.GETFH);
            expectOk(opened, "OPEN " + name);
            byte[] fh = opened.result(3, GetFhResult.class).fh();
            StateId open = opened.result(2, OpenResult.class).stateId();
            CompoundReply locked = c.compound(new PutFhArgs(fh), new LockArgs(LockType.WRITE_LT, false, 0, -1L,
                    new Locker.NewOwner(0, open, 0, new OpenOwner(0, bytes("host-holder")))));
            expectOk(locked, "LOCK");
            StateId lock = locked.result(2, StateIdResult.class).stateId();
            long before = stat(server, "jnfsd.callbacks.notify_lock.sent");
            System.out.println("locked");
            System.out.flush();

            int i = 0;
            while (stat(server, "jnfsd.locks.waiters") < 1) {
                if (++i > WAITER_POLLS) {
                    fail("no blocking LOCK of the guest queued on " + name);
                }
                expectOk(c.compound(), "SEQUENCE"); // renews the lease while waiting
                Thread.sleep(500);
            }
            expectOk(c.compound(new PutFhArgs(fh), new LockuArgs(LockType.WRITE_LT, 0, lock, 0, -1L)), "LOCKU");
            System.out.println("unlocked");
            System.out.flush();

            i = 0;
            while (stat(server, "jnfsd.callbacks.notify_lock.sent") <= before) {
                if (++i > NOTIFY_POLLS) {
                    fail("no CB_NOTIFY_LOCK sent to the guest after the unlock");
                }
                Thread.sleep(500);
            }
            System.out.println("notified: jnfsd.callbacks.notify_lock.sent " + before + " -> "
                    + stat(server, "jnfsd.callbacks.notify_lock.sent"));
            expectOk(c.compound(new PutFhArgs(fh), new CloseArgs(0, open)), "CLOSE");
        }
    }

    private static long stat(InetSocketAddress server, String name) throws Exception {
        Map<String, Long> stats = AdminClient.stats(server);
        Long v = stats.get(name);
        if (v == null) {
            fail("server has no counter " + name + ": " + stats.keySet());
        }
        return v;
    }

    private static void expectOk(CompoundReply r, String what) {
        if (r.status() != NfsStatus.NFS4_OK) {
            fail(what + ": " + r.status());
        }
    }

    private static void fail(String why) {
        System.out.println("FAIL: " + why);
        System.exit(1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
