package org.jnfsd.core.fs;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Reads and prints the exports(5) subset jnfsd supports (see README, "Exporting directories").
 *
 * <pre>
 * # comment
 * /srv/data  192.168.1.0/24(rw,root_squash) *.lab.example(ro) 10.0.0.5(rw,no_root_squash,fsid=7)
 * "/srv/with space"  *(ro) \
 *                    2001:db8::/32(rw)
 * </pre>
 *
 * A line is a path (absolute; quoted, or with {@code \040}-style octal escapes, when it holds
 * blanks) and one or more clients, each optionally followed, without a blank, by its options in
 * parentheses. A backslash at the end of a line continues it. Every mistake is an
 * {@link ExportsSyntaxException} with the line and column; nothing unknown is ignored.
 */
public final class ExportsFile {
    private static final int MAX_ID = Integer.MAX_VALUE;

    private final String source;
    private final String text;
    private int pos;
    private int line = 1;
    private int col = 1;

    private ExportsFile(String source, String text) {
        this.source = source;
        this.text = text;
    }

    /** Parses a whole file; {@code source} names it in error messages. */
    public static List<ExportLine> parse(String text, String source) throws ExportsSyntaxException {
        ExportsFile p = new ExportsFile(source, text);
        List<ExportLine> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        while (true) {
            p.skipBlankLines();
            if (p.atEnd()) {
                return out;
            }
            int l = p.line;
            int c = p.col;
            ExportLine e = p.exportLine();
            Integer earlier = seen.putIfAbsent(e.path(), l);
            if (earlier != null) {
                throw p.error(l, c, "path " + e.path() + " is already exported on line " + earlier);
            }
            for (ExportLine o : out) {
                if (nested(o.path(), e.path()) || nested(e.path(), o.path())) {
                    throw p.error(l, c, "path " + e.path() + " nests with " + o.path() + " (line " + o.line()
                            + "); nested exports are not supported");
                }
            }
            out.add(e);
        }
    }

    /** The fsid= any of the rules gives (they agree), else empty. */
    public static OptionalInt fsidOf(List<ClientRule> rules) {
        return rules.stream().map(r -> r.options().fsid()).filter(OptionalInt::isPresent).findFirst()
                .orElse(OptionalInt.empty());
    }

    private static boolean nested(String outer, String inner) {
        return outer.equals("/") || inner.startsWith(outer + "/");
    }

    /** Prints lines so that {@link #parse} gives them back: every option explicit. */
    public static String print(List<ExportLine> lines) {
        StringBuilder b = new StringBuilder();
        for (ExportLine e : lines) {
            b.append(escapePath(e.path()));
            for (ClientRule r : e.rules()) {
                b.append(' ').append(r);
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String escapePath(String path) {
        StringBuilder b = new StringBuilder();
        for (byte x : path.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c <= ' ' || c >= 0x7f || c == '\\' || c == '"' || c == '#' || c == '(' || c == ')') {
                b.append('\\').append(String.format("%03o", c));
            } else {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    // ---- lexing ----

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private void advance() {
        if (text.charAt(pos) == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        pos++;
    }

    private boolean continuation() {
        return peek() == '\\' && (pos + 1 < text.length() && text.charAt(pos + 1) == '\n'
                || pos + 2 < text.length() && text.charAt(pos + 1) == '\r' && text.charAt(pos + 2) == '\n');
    }

    /** Skips blanks, comments and continuations inside a line; stops at a newline. */
    private void skipBlanks() {
        while (!atEnd()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\r') {
                advance();
            } else if (c == '#') {
                while (!atEnd() && peek() != '\n') {
                    advance();
                }
            } else if (continuation()) {
                while (peek() != '\n') {
                    advance();
                }
                advance();
            } else {
                return;
            }
        }
    }

    private void skipBlankLines() {
        while (true) {
            skipBlanks();
            if (atEnd() || peek() != '\n') {
                return;
            }
            advance();
        }
    }

    private boolean atLineEnd() {
        return atEnd() || peek() == '\n';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private ExportsSyntaxException error(int l, int c, String message) {
        return new ExportsSyntaxException(source, l, c, message);
    }

    // ---- grammar ----

    private ExportLine exportLine() throws ExportsSyntaxException {
        int l = line;
        String path = path();
        List<ClientRule> rules = new ArrayList<>();
        skipBlanks();
        if (atLineEnd()) {
            throw error(l, col, "path " + path + " has no clients; write *(ro) to export it to everyone");
        }
        while (!atLineEnd()) {
            int cl = line;
            int c = col;
            ClientRule r = clientRule();
            OptionalInt f = r.options().fsid();
            OptionalInt earlier = fsidOf(rules);
            if (f.isPresent() && earlier.isPresent() && !f.equals(earlier)) {
                throw error(cl, c, "fsid=" + f.getAsInt() + " differs from fsid=" + earlier.getAsInt()
                        + " given earlier for " + path + " (the fsid is the export's, not the client's)");
            }
            rules.add(r);
            skipBlanks();
        }
        return new ExportLine(path, rules, l);
    }

    private String path() throws ExportsSyntaxException {
        int l = line;
        int c = col;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean quoted = peek() == '"';
        if (quoted) {
            advance();
        }
        while (!atEnd()) {
            char ch = peek();
            if (quoted ? ch == '"' || ch == '\n' : isBlank(ch)) {
                break;
            }
            if (!quoted && (ch == '(' || ch == '#')) {
                throw error(line, col, "'" + ch + "' in a path must be written \\" + String.format("%03o", (int) ch)
                        + " (or put a blank between the path and its first client)");
            }
            if (ch == '\\') {
                int ec = col;
                advance();
                int v = 0;
                for (int i = 0; i < 3; i++) {
                    if (atEnd() || peek() < '0' || peek() > '7') {
                        throw error(line, ec, "a backslash in a path must start an octal escape such as \\040");
                    }
                    v = v * 8 + (peek() - '0');
                    advance();
                }
                if (v > 0xff) {
                    throw error(line, ec, "octal escape out of range");
                }
                bytes.write(v);
                continue;
            }
            byte[] b = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
            bytes.write(b, 0, b.length);
            advance();
        }
        if (quoted) {
            if (atEnd() || peek() != '"') {
                throw error(l, c, "unterminated quoted path");
            }
            advance();
        }
        String path = bytes.toString(StandardCharsets.UTF_8);
        if (path.startsWith("-")) {
            throw error(l, c, "default options (" + path + ") are not supported; give options after each client");
        }
        if (!path.startsWith("/")) {
            throw error(l, c, "export path must be absolute: " + path);
        }
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        for (String part : path.substring(1).split("/", -1)) {
            if (path.length() > 1 && (part.isEmpty() || part.equals(".") || part.equals(".."))) {
                throw error(l, c, "export path must be normal (no empty, '.' or '..' parts): " + path);
            }
        }
        if (!atEnd() && !isBlank(peek())) {
            throw error(line, col, "expected a blank after the path");
        }
        return path;
    }

    private ClientRule clientRule() throws ExportsSyntaxException {
        int c = col;
        StringBuilder host = new StringBuilder();
        while (!atEnd() && !isBlank(peek()) && peek() != '(') {
            host.append(peek());
            advance();
        }
        if (host.isEmpty()) {
            throw error(line, c, "options without a client; write *(...) for everyone, or remove the blank "
                    + "between the client and its options");
        }
        ClientSpec spec = clientSpec(host.toString(), c);
        ExportOptions options = ExportOptions.DEFAULTS;
        if (!atEnd() && peek() == '(') {
            advance();
            options = options();
        }
        if (!atEnd() && !isBlank(peek()) && peek() != '#') {
            throw error(line, col, "expected a blank after " + host + "(...)");
        }
        return new ClientRule(spec, options);
    }

    private ClientSpec clientSpec(String s, int c) throws ExportsSyntaxException {
        if (s.equals("*")) {
            return new ClientSpec.Everyone();
        }
        if (s.startsWith("@")) {
            throw error(line, c, "netgroups (" + s + ") are not supported");
        }
        if (s.startsWith("gss/")) {
            throw error(line, c, "gss/ client specs are not supported; jnfsd supports sec=sys only");
        }
        String addr = s;
        String mask = null;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            addr = s.substring(0, slash);
            mask = s.substring(slash + 1);
        }
        if (addr.startsWith("[") && addr.endsWith("]")) {
            addr = addr.substring(1, addr.length() - 1);
        }
        boolean v6 = addr.contains(":");
        boolean v4 = !v6 && !addr.isEmpty() && addr.chars().allMatch(ch -> ch == '.' || ch >= '0' && ch <= '9');
        if (v4 || v6) {
            InetAddress a;
            try {
                a = InetAddress.ofLiteral(addr);
            } catch (IllegalArgumentException e) {
                throw error(line, c, "not an IP" + (v6 ? "v6" : "v4") + " address: " + addr);
            }
            if (mask == null) {
                return new ClientSpec.Address(a);
            }
            int bits = a.getAddress().length * 8;
            int prefix = prefix(mask, bits, c + slash + 1);
            return new ClientSpec.Network(a, prefix);
        }
        if (mask != null) {
            throw error(line, c + slash, "a network needs an IP address before the '/': " + s);
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!(Character.isLetterOrDigit(ch) && ch < 0x80 || ch == '-' || ch == '.' || ch == '_' || ch == '*'
                    || ch == '?')) {
                throw error(line, c + i, "'" + ch + "' is not allowed in a host name or wildcard: " + s);
            }
        }
        return s.contains("*") || s.contains("?") ? new ClientSpec.Wildcard(s) : new ClientSpec.Host(s);
    }

    private int prefix(String mask, int bits, int c) throws ExportsSyntaxException {
        if (!mask.isEmpty() && mask.chars().allMatch(ch -> ch >= '0' && ch <= '9') && mask.length() <= 3) {
            int p = Integer.parseInt(mask);
            if (p > bits) {
                throw error(line, c, "prefix length " + p + " is longer than " + bits + " bits");
            }
            return p;
        }
        if (bits == 32 && mask.contains(".")) {
            try {
                int m = java.nio.ByteBuffer.wrap(InetAddress.ofLiteral(mask).getAddress()).getInt();
                int p = Integer.bitCount(m);
                if (m == (p == 0 ? 0 : -1 << (32 - p))) {
                    return p;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        throw error(line, c, "not a prefix length or contiguous netmask: " + mask);
    }

    /** Parses options after '(' up to and including ')'. */
    private ExportOptions options() throws ExportsSyntaxException {
        ExportOptions o = ExportOptions.DEFAULTS;
        Map<String, String> groups = new HashMap<>();
        while (true) {
            int c = col;
            StringBuilder word = new StringBuilder();
            while (!atEnd() && peek() != ',' && peek() != ')' && !isBlank(peek())) {
                word.append(peek());
                advance();
            }
            if (atEnd() || isBlank(peek())) {
                throw error(line, c, "unterminated option list: expected ')'");
            }
            String w = word.toString();
            if (w.isEmpty()) {
                throw error(line, c, peek() == ')' && groups.isEmpty() ? "empty option list" : "empty option");
            }
            o = option(o, w, c, groups);
            char sep = peek();
            advance();
            if (sep == ')') {
                return o;
            }
        }
    }

    private ExportOptions option(ExportOptions o, String w, int c, Map<String, String> groups)
            throws ExportsSyntaxException {
        int eq = w.indexOf('=');
        String key = (eq < 0 ? w : w.substring(0, eq)).toLowerCase(Locale.ROOT);
        String value = eq < 0 ? null : w.substring(eq + 1);
        String group = switch (key) {
            case "rw", "ro" -> "rw/ro";
            case "root_squash", "no_root_squash", "all_squash" -> "squash";
            case "secure", "insecure" -> "secure";
            default -> key;
        };
        boolean takesValue = key.equals("anonuid") || key.equals("anongid") || key.equals("sec") || key.equals("fsid");
        if (takesValue && value == null) {
            throw error(line, c, key + " needs a value: " + key + "=...");
        }
        if (!takesValue && value != null && isKnownFlag(key)) {
            throw error(line, c, key + " takes no value");
        }
        String earlier = groups.get(group);
        if (earlier != null && (isKnownFlag(key) || takesValue)) {
            throw error(line, c, "'" + w + "' conflicts with '" + earlier + "' earlier in this list");
        }
        groups.put(group, w);
        return switch (key) {
            case "rw" -> o.withReadOnly(false);
            case "ro" -> o.withReadOnly(true);
            case "root_squash" -> o.withSquash(ExportOptions.Squash.ROOT_SQUASH);
            case "no_root_squash" -> o.withSquash(ExportOptions.Squash.NO_ROOT_SQUASH);
            case "all_squash" -> o.withSquash(ExportOptions.Squash.ALL_SQUASH);
            case "secure" -> o.withSecure(true);
            case "insecure" -> o.withSecure(false);
            case "no_subtree_check" -> o;
            case "anonuid" -> o.withAnonUid(id(value, c + eq + 1, 0xffffffffL));
            case "anongid" -> o.withAnonGid(id(value, c + eq + 1, 0xffffffffL));
            case "fsid" -> {
                int f = id(value, c + eq + 1, MAX_ID);
                if (f == 0) {
                    throw error(line, c + eq + 1, "fsid=0 is the pseudo-root, which jnfsd builds itself; "
                            + "give this export another fsid");
                }
                yield o.withFsid(f);
            }
            case "sec" -> {
                for (String flavour : value.split(":", -1)) {
                    switch (flavour.toLowerCase(Locale.ROOT)) {
                        case "sys" -> { }
                        case "krb5", "krb5i", "krb5p", "none" -> throw error(line, c, "sec=" + flavour
                                + " is not supported yet; jnfsd supports sec=sys only");
                        default -> throw error(line, c, "unknown security flavour '" + flavour + "'");
                    }
                }
                yield o;
            }
            case "subtree_check", "nohide", "crossmnt", "hide" -> throw error(line, c, "'" + key
                    + "' is not supported (jnfsd has no submounts; no_subtree_check is the behaviour)");
            default -> throw error(line, c, "unknown option '" + w + "'");
        };
    }

    private static boolean isKnownFlag(String key) {
        return switch (key) {
            case "rw", "ro", "root_squash", "no_root_squash", "all_squash", "secure", "insecure",
                    "no_subtree_check" -> true;
            default -> false;
        };
    }

    private int id(String value, int c, long max) throws ExportsSyntaxException {
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw error(line, c, "not a number: '" + value + "'");
        }
        long v = Long.parseLong(value);
        if (v > max) {
            throw error(line, c, value + " is larger than " + max);
        }
        return (int) v;
    }
}
