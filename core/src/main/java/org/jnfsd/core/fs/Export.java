package org.jnfsd.core.fs;

import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jnfsd.vfs.VirtualFileSystem;

/**
 * One exported file system and who may use it: the public way an embedder declares an export,
 * with the semantics of an exports file line ({@link ExportsFile}).
 *
 * @param id stable across restarts (it is part of every file handle); 1 and up, 0 is the pseudo-root
 * @param path where the export appears in the NFSv4 pseudo-filesystem
 * @param rules the client rules in the order written; the most specific match decides
 *     ({@link #ruleFor}); a client no rule matches may not use the export
 * @param delegations whether OPEN may grant delegations on this export (on unless switched off:
 *     {@code jnfsd serve --no-delegations}); off, OPEN answers OPEN_DELEGATE_NONE, or NONE_EXT with
 *     WND4_RESOURCE to a client that wanted one
 */
public record Export(int id, String path, VirtualFileSystem fs, List<ClientRule> rules, boolean delegations) {

    public static final int NOBODY = ExportOptions.NOBODY;

    public Export {
        rules = List.copyOf(rules);
        if (id < 0 || id == 0 && !(fs instanceof PseudoFs)) {
            throw new IllegalArgumentException("export id must be positive (0 is the pseudo-root): " + id);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("export path must be absolute: " + path);
        }
    }

    /** An export open to every client with one set of options, delegations on. */
    public Export(int id, String path, VirtualFileSystem fs, ExportOptions options) {
        this(id, path, fs, List.of(ClientRule.everyone(options)), true);
    }

    /** An export open to every client, delegations switched as given. */
    public Export(int id, String path, VirtualFileSystem fs, boolean readOnly, boolean rootSquash, int anonUid,
            int anonGid, boolean delegations) {
        this(id, path, fs, List.of(ClientRule.everyone(ExportOptions.DEFAULTS.withReadOnly(readOnly)
                .withSquash(rootSquash ? ExportOptions.Squash.ROOT_SQUASH : ExportOptions.Squash.NO_ROOT_SQUASH)
                .withAnonUid(anonUid).withAnonGid(anonGid))), delegations);
    }

    /** An export open to every client, delegations on. */
    public Export(int id, String path, VirtualFileSystem fs, boolean readOnly, boolean rootSquash, int anonUid,
            int anonGid) {
        this(id, path, fs, readOnly, rootSquash, anonUid, anonGid, true);
    }

    /** A read-write export without root squash open to every client, delegations on (for tests and embedders). */
    public Export(int id, String path, VirtualFileSystem fs) {
        this(id, path, fs, false, false, NOBODY, NOBODY);
    }

    /** The NFSv4 pseudo-root: export id 0, read-only for everyone, no delegations. */
    static Export pseudoRoot(PseudoFs fs) {
        return new Export(0, "/", fs, List.of(ClientRule.everyone(ExportOptions.DEFAULTS.withReadOnly(true))), false);
    }

    /** Whether this is the pseudo-filesystem {@link ExportTable} builds above the exports. */
    public boolean isPseudo() {
        return fs instanceof PseudoFs;
    }

    /** This export with delegations switched on or off. */
    public Export withDelegations(boolean on) {
        return new Export(id, path, fs, rules, on);
    }

    /** This export with other rules (same id, path and file system). */
    public Export withRules(List<ClientRule> newRules) {
        return new Export(id, path, fs, newRules, delegations);
    }

    /**
     * The rule that applies to a client: the most specific that matches (a host before a network,
     * a longer network prefix before a shorter, a network before a wildcard, a wildcard before
     * {@code *}; the first written among equals); empty when none matches.
     */
    public Optional<ClientRule> ruleFor(InetAddress client, HostResolver resolver) {
        return bestMatch(rules, client, resolver);
    }

    static Optional<ClientRule> bestMatch(List<ClientRule> rules, InetAddress client, HostResolver resolver) {
        ClientRule best = null;
        for (ClientRule r : rules) {
            if (r.client().matches(client, resolver) && (best == null || SPECIFICITY.compare(r, best) < 0)) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    private static final Comparator<ClientRule> SPECIFICITY = Comparator
            .<ClientRule>comparingInt(r -> r.client().kind().ordinal())
            .thenComparingInt(r -> r.client() instanceof ClientSpec.Network n ? -n.prefix() : 0);

    /** This export as an exports file line. */
    public ExportLine toLine() {
        return new ExportLine(path, rules, 0);
    }
}
