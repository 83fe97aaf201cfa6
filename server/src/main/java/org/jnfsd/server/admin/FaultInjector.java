package org.jnfsd.server.admin;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.jnfsd.core.ServerContext;
import org.jnfsd.core.delegation.Delegation;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Session;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.vfs.Inode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code jnfsd inject}: faults an operator or a test asks for, each through the server's real code
 * paths (knfsd dropped its own fault injection in 5.10). Refused unless the server was started with
 * {@code --allow-fault-injection}; each injected fault is logged at WARN. Thread-safe: it holds no
 * state of its own (the callback delay lives in {@code CallbackService}).
 *
 * <ul>
 *   <li>{@code recall CLIENT|FILE}: starts the recall of that client's (or file's) delegations, as
 *       a conflicting request would: CB_RECALL queued, revoked after a lease unless returned;
 *   <li>{@code revoke CLIENT|FILE}: revokes them now, as an unanswered recall is revoked;
 *   <li>{@code callback-delay MS}: every callback sent from now on leaves MS milliseconds late
 *       (0: at once again);
 *   <li>{@code drop-backchannel CLIENT}: closes every connection carrying that client's back
 *       channel; the callback channel sees the connection lost (re-probe, or DOWN).
 * </ul>
 *
 * CLIENT is a client id as {@code jnfsd clients} shows it (16 hex digits), FILE a file as
 * {@code jnfsd states} shows it ({@code export:hex}).
 */
public final class FaultInjector {
    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);
    private static final Duration MAX_DELAY = Duration.ofMinutes(10);

    /** How an injection ended. */
    public enum Result { DONE, NOT_ALLOWED, NO_SUCH_TARGET, BAD_ARGUMENT }

    /** The outcome: how many things the fault touched, and a line for the operator. */
    public record Outcome(Result result, int count, String message) {}

    private final ServerContext server;
    private final boolean allowed;

    public FaultInjector(ServerContext server, boolean allowed) {
        this.server = server;
        this.allowed = allowed;
    }

    /** Injects {@code fault} ("recall", "revoke", "callback-delay", "drop-backchannel") on {@code target}. */
    public Outcome inject(String fault, String target) {
        if (!allowed) {
            return new Outcome(Result.NOT_ALLOWED, 0,
                    "fault injection is off: start the server with --allow-fault-injection");
        }
        return switch (fault.toLowerCase(Locale.ROOT)) {
            case "recall" -> delegations(target, "recall", (which, what) -> {
                int n = server.delegations().recallMatching(which, server.callbacks());
                return done(n, "recall started of " + n + " delegation(s) of " + what);
            });
            case "revoke" -> delegations(target, "revoke", (which, what) -> {
                int n = server.delegations().revokeMatching(which, "revoked by fault injection");
                return done(n, "revoked " + n + " delegation(s) of " + what);
            });
            case "callback-delay" -> callbackDelay(target);
            case "drop-backchannel" -> dropBackchannel(target);
            default -> new Outcome(Result.BAD_ARGUMENT, 0,
                    "unknown fault " + fault + " (recall, revoke, callback-delay, drop-backchannel)");
        };
    }

    private interface DelegationFault {
        Outcome apply(Predicate<Delegation> which, String what);
    }

    private Outcome delegations(String target, String fault, DelegationFault f) {
        Optional<Long> client = clientId(target);
        if (client.isPresent()) {
            long id = client.get();
            if (client(id) == null) {
                return new Outcome(Result.NO_SUCH_TARGET, 0, "no live client " + target);
            }
            return f.apply(d -> d.clientId() == id, "client " + target);
        }
        Optional<FileHandle> file = file(target);
        if (file.isEmpty()) {
            return new Outcome(Result.BAD_ARGUMENT, 0, fault + ": " + target
                    + " is neither a client id (16 hex digits) nor a file (export:hex, as jnfsd states shows)");
        }
        FileHandle fh = file.get();
        return f.apply(d -> d.file().equals(fh), "file " + target);
    }

    private Outcome callbackDelay(String target) {
        long ms;
        try {
            ms = Long.parseLong(target);
        } catch (NumberFormatException e) {
            ms = -1;
        }
        if (ms < 0 || ms > MAX_DELAY.toMillis()) {
            return new Outcome(Result.BAD_ARGUMENT, 0,
                    "callback-delay: " + target + " is not a delay in milliseconds (0 to " + MAX_DELAY.toMillis() + ")");
        }
        server.callbacks().injectDelay(Duration.ofMillis(ms));
        return done(1, ms == 0 ? "callbacks leave at once again" : "every callback now leaves " + ms + " ms late");
    }

    private Outcome dropBackchannel(String target) {
        Optional<Long> client = clientId(target);
        if (client.isEmpty()) {
            return new Outcome(Result.BAD_ARGUMENT, 0, "drop-backchannel: " + target + " is not a client id (16 hex digits)");
        }
        ClientRecord c = client(client.get());
        if (c == null) {
            return new Outcome(Result.NO_SUCH_TARGET, 0, "no live client " + target);
        }
        int n = 0;
        for (Session s : c.sessions()) {
            for (RpcConnection conn : s.backChannelConnections()) {
                conn.close();
                n++;
            }
        }
        return done(n, "closed " + n + " back-channel connection(s) of client " + target);
    }

    private Outcome done(int count, String message) {
        log.warn("fault injected by the administrator: {}", message);
        return new Outcome(Result.DONE, count, message);
    }

    private ClientRecord client(long id) {
        return server.sessions().clients().stream().filter(c -> c.id().value() == id).findFirst().orElse(null);
    }

    private static Optional<Long> clientId(String text) {
        if (text.length() != 16) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseUnsignedLong(text, 16));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<FileHandle> file(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        try {
            int export = Integer.parseInt(text.substring(0, colon));
            byte[] inode = HexFormat.of().parseHex(text.substring(colon + 1));
            return inode.length == 0 ? Optional.empty() : Optional.of(new FileHandle(export, new Inode(inode)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
