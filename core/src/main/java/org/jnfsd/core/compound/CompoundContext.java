package org.jnfsd.core.compound;

import org.jnfsd.core.NfsException;
import org.jnfsd.core.ServerContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.jnfsd.core.fs.ClientRule;
import org.jnfsd.core.fs.Export;
import org.jnfsd.core.fs.ExportOptions;
import org.jnfsd.core.fs.FileHandle;
import org.jnfsd.core.fs.Identity;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.vfs.Stat;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * The state of one COMPOUND while it executes: current and saved filehandles and stateids, the
 * caller, and the session slot SEQUENCE acquired. Confined to the request's thread.
 */
public final class CompoundContext {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CompoundContext.class);
    private static final InetSocketAddress NO_CONNECTION =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private final ServerContext server;
    private final Credential credential;
    private final RpcConnection connection;
    private final int minorVersion;
    private final int numOps;
    private final int requestSize;
    private int opIndex;
    private FileHandle currentFh;
    /**
     * Attributes of {@link #currentFh} read by operation {@link #currentAttrsOp} while it set that
     * handle (LOOKUP); null when none. Only the next operation may use them, see
     * {@link #currentAttrsFromPreviousOp}. Only written by the setCurrentFh methods and restoreFh.
     */
    private Stat currentAttrs;
    private int currentAttrsOp = -1;
    private FileHandle savedFh;
    private StateId currentStateId;
    private StateId savedStateId;
    private SequenceSlot slot;
    private long clientId;
    private Object session;
    /** NFSv4.0: ends the binding of {@link #clientId} (counts the COMPOUND out); null when none. */
    private Runnable clientRelease;
    /** NFSv4.0: the bound client record (its type belongs to the session package), or null. */
    private Object boundClient;

    public CompoundContext(ServerContext server, Credential credential, RpcConnection connection,
            int minorVersion, int numOps, int requestSize) {
        this.server = server;
        this.credential = credential;
        this.connection = connection;
        this.minorVersion = minorVersion;
        this.numOps = numOps;
        this.requestSize = requestSize;
    }

    public ServerContext server() {
        return server;
    }

    public Credential credential() {
        return credential;
    }

    /** The connection the COMPOUND arrived on (null in unit tests that have none). */
    public RpcConnection connection() {
        return connection;
    }

    /**
     * Reserves room on the connection for a reply of about {@code bytes} before an operation
     * builds it (READ, READ_PLUS, READDIR): waits while the connection's unsent replies fill its
     * back-pressure bound or the server's memory budget ({@link RpcConnection#reserveReply}).
     *
     * @throws NfsException NFS4ERR_DELAY if the connection does not drain in time (or closed)
     */
    public void reserveReply(long bytes) throws NfsException {
        if (connection != null && !connection.reserveReply(bytes)) {
            throw new NfsException(NfsStatus.NFS4ERR_DELAY, "no room for a " + bytes + "-byte reply on " + connection);
        }
    }

    public int minorVersion() {
        return minorVersion;
    }

    public int numOps() {
        return numOps;
    }

    /** Size in bytes of the RPC record carrying this COMPOUND. */
    public int requestSize() {
        return requestSize;
    }

    /** Index of the executing operation within the COMPOUND, from 0. */
    public int opIndex() {
        return opIndex;
    }

    void setOpIndex(int i) {
        this.opIndex = i;
    }

    public FileHandle currentFh() throws NfsException {
        if (currentFh == null) {
            throw new NfsException(NfsStatus.NFS4ERR_NOFILEHANDLE, "no current filehandle");
        }
        return currentFh;
    }

    public boolean hasCurrentFh() {
        return currentFh != null;
    }

    /** Sets the current filehandle; the current stateid becomes unset, as RFC 8881 §16.2.3.1.2 says. */
    public void setCurrentFh(FileHandle fh) {
        this.currentFh = fh;
        this.currentStateId = null;
        this.currentAttrs = null;
    }

    /**
     * {@link #setCurrentFh(FileHandle)} with the attributes of {@code fh} that the operation read
     * on the way (LOOKUP reads the entry's attributes to find it): the operation right after this
     * one may use them instead of reading them again.
     */
    public void setCurrentFh(FileHandle fh, Stat attrs) {
        setCurrentFh(fh);
        this.currentAttrs = attrs;
        this.currentAttrsOp = opIndex;
    }

    /**
     * The current filehandle's attributes as the previous operation of this COMPOUND read them,
     * or null. Scoped to one COMPOUND and to the very next operation, so no other operation of
     * the COMPOUND can have changed the object in between; another client's change in that
     * interval is indistinguishable from one just after the read. Never shared across requests.
     */
    public Stat currentAttrsFromPreviousOp() {
        return currentAttrs != null && currentAttrsOp == opIndex - 1 ? currentAttrs : null;
    }

    public FileHandle savedFh() throws NfsException {
        if (savedFh == null) {
            throw new NfsException(NfsStatus.NFS4ERR_NOFILEHANDLE, "no saved filehandle");
        }
        return savedFh;
    }

    public void saveFh() throws NfsException {
        this.savedFh = currentFh();
        this.savedStateId = currentStateId;
    }

    public void restoreFh() throws NfsException {
        if (savedFh == null) {
            throw new NfsException(NfsStatus.NFS4ERR_RESTOREFH, "no saved filehandle");
        }
        this.currentFh = savedFh;
        this.currentStateId = savedStateId;
        this.currentAttrs = null;
    }

    /** The export of the current filehandle. */
    public Export currentExport() throws NfsException {
        return server.exports().get(currentFh().exportId());
    }

    public VirtualFileSystem currentFs() throws NfsException {
        return currentExport().fs();
    }

    /** The caller as permission checks against the current export see it (after squashing). */
    public Identity identity() throws NfsException {
        return Identity.of(credential, access());
    }

    /** What the client may do on the current export; NFS4ERR_ACCESS when no rule lets it in. */
    public ExportOptions access() throws NfsException {
        return accessTo(currentExport());
    }

    /** The client's address (loopback in unit tests without a connection). */
    public InetSocketAddress clientAddress() {
        InetSocketAddress a = connection == null ? null : connection.remoteAddress();
        return a == null ? NO_CONNECTION : a;
    }

    /**
     * What the client may do on {@code export} by its most specific matching rule; NFS4ERR_ACCESS,
     * with one log line naming client, export and rule, when no rule matches or the rule asks for a
     * privileged source port ({@code secure}) the client does not use.
     */
    public ExportOptions accessTo(Export export) throws NfsException {
        InetSocketAddress client = clientAddress();
        ClientRule rule = server.exports().ruleFor(export, client.getAddress()).orElse(null);
        if (rule == null) {
            log.warn("client {} denied export {}: no client rule matches ({})", client.getAddress().getHostAddress(),
                    export.path(), export.rules());
            throw new NfsException(NfsStatus.NFS4ERR_ACCESS, "export " + export.path() + " is not exported to "
                    + client.getAddress().getHostAddress());
        }
        if (rule.options().secure() && client.getPort() >= 1024) {
            log.warn("client {} denied export {}: rule {} is secure and port {} is not privileged",
                    client.getAddress().getHostAddress(), export.path(), rule, client.getPort());
            throw new NfsException(NfsStatus.NFS4ERR_ACCESS, "export " + export.path()
                    + " needs a source port below 1024");
        }
        if (export.isPseudo() && !server.exports().visible(export.fs().root(), client.getAddress())) {
            log.warn("client {} denied the pseudo-root: no export is exported to it ({})",
                    client.getAddress().getHostAddress(), server.exports().lines());
            throw new NfsException(NfsStatus.NFS4ERR_ACCESS, "no export is exported to "
                    + client.getAddress().getHostAddress());
        }
        return rule.options();
    }

    /** The stateid the last stateid-producing operation set, or null. */
    public StateId currentStateId() {
        return currentStateId;
    }

    public void setCurrentStateId(StateId s) {
        this.currentStateId = s;
    }

    /** Replaces the special "current stateid" (seqid 1, other 0) by the current one. */
    public StateId resolveStateId(StateId s) throws NfsException {
        if (!s.equals(StateId.CURRENT)) {
            return s;
        }
        if (currentStateId == null) {
            throw new NfsException(NfsStatus.NFS4ERR_BAD_STATEID, "current stateid used but none is set");
        }
        return currentStateId;
    }

    public SequenceSlot slot() {
        return slot;
    }

    public long clientId() {
        return clientId;
    }

    /** The session SEQUENCE found (its type belongs to the session package), or null. */
    public Object session() {
        return session;
    }

    /**
     * The client this COMPOUND is taken to come from when deciding whether a delegation is another
     * client's (the conflict checks of OPEN, READ/WRITE, SETATTR, REMOVE, RENAME, LINK, GETATTR):
     * the bound client; for a 4.0 COMPOUND that names none, the 4.0 client last bound on its
     * connection ({@code state.V40Connections}); otherwise 0, no client.
     */
    public long requesterId() {
        if (clientBound() || minorVersion() != 0) {
            return clientId;
        }
        Long last = server.v40Connections().lastBound(connection);
        return last == null ? clientId : last;
    }

    /** Whether a client is bound: by SEQUENCE (4.1) or by an operation naming one (4.0). */
    public boolean clientBound() {
        return slot != null || clientRelease != null;
    }

    /**
     * NFSv4.0: binds the client an operation named; {@code release} runs once when the COMPOUND
     * ends (or when another client is bound in its place).
     */
    public void bindClient(long id, Object client, Runnable release) {
        releaseClient();
        this.clientId = id;
        this.boundClient = client;
        this.clientRelease = release;
    }

    /** NFSv4.0: the client record an operation of this COMPOUND named, or null (4.1: see {@link #session()}). */
    public Object boundClient() {
        return boundClient;
    }

    /** Ends a 4.0 client binding; the engine calls it when the COMPOUND ends. Idempotent. */
    void releaseClient() {
        Runnable r = clientRelease;
        clientRelease = null;
        boundClient = null;
        if (r != null) {
            r.run();
        }
    }

    /** Called by SEQUENCE once it holds the slot. */
    public void setSequence(SequenceSlot slot, long clientId, Object session) {
        this.slot = slot;
        this.clientId = clientId;
        this.session = session;
    }
}
