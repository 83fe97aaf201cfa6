package org.jnfsd.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;
import org.jnfsd.core.fs.ExportOptions.Squash;
import org.junit.jupiter.api.Test;

class ExportsFileTest {

    private static List<ExportLine> parse(String text) throws ExportsSyntaxException {
        return ExportsFile.parse(text, "exports");
    }

    private static ExportOptions opts(String options) throws ExportsSyntaxException {
        return parse("/srv *(" + options + ")\n").getFirst().rules().getFirst().options();
    }

    private static ClientSpec spec(String client) throws ExportsSyntaxException {
        return parse("/srv " + client + "\n").getFirst().rules().getFirst().client();
    }

    private static ExportsSyntaxException error(String text) {
        return catchThrowableOfType(ExportsSyntaxException.class, () -> parse(text));
    }

    @Test
    void parse_issueExample_threeRules() throws Exception {
        List<ExportLine> lines = parse("/srv/data  192.168.1.0/24(rw,root_squash) *.lab.example(ro) "
                + "10.0.0.5(rw,no_root_squash,fsid=7)\n");
        assertThat(lines).hasSize(1);
        ExportLine l = lines.getFirst();
        assertThat(l.path()).isEqualTo("/srv/data");
        assertThat(l.line()).isEqualTo(1);
        assertThat(l.rules()).extracting(r -> r.client().toString())
                .containsExactly("192.168.1.0/24", "*.lab.example", "10.0.0.5");
        assertThat(l.rules().get(0).options()).isEqualTo(ExportOptions.READ_WRITE);
        assertThat(l.rules().get(1).options()).isEqualTo(ExportOptions.DEFAULTS);
        assertThat(l.rules().get(2).options())
                .isEqualTo(ExportOptions.READ_WRITE.withSquash(Squash.NO_ROOT_SQUASH).withFsid(7));
    }

    @Test
    void parse_defaults_roRootSquashNobodyInsecure() throws Exception {
        ExportOptions o = parse("/srv host1\n").getFirst().rules().getFirst().options();
        assertThat(o.readOnly()).isTrue();
        assertThat(o.squash()).isEqualTo(Squash.ROOT_SQUASH);
        assertThat(o.anonUid()).isEqualTo(65534);
        assertThat(o.anonGid()).isEqualTo(65534);
        assertThat(o.secure()).isFalse();
        assertThat(o.fsid()).isEmpty();
    }

    @Test
    void parse_everyOption_setsIt() throws Exception {
        assertThat(opts("rw").readOnly()).isFalse();
        assertThat(opts("ro").readOnly()).isTrue();
        assertThat(opts("root_squash").squash()).isEqualTo(Squash.ROOT_SQUASH);
        assertThat(opts("no_root_squash").squash()).isEqualTo(Squash.NO_ROOT_SQUASH);
        assertThat(opts("all_squash").squash()).isEqualTo(Squash.ALL_SQUASH);
        assertThat(opts("anonuid=1000").anonUid()).isEqualTo(1000);
        assertThat(opts("anongid=4294967295").anonGid()).isEqualTo(-1);
        assertThat(opts("sec=sys")).isEqualTo(ExportOptions.DEFAULTS);
        assertThat(opts("secure").secure()).isTrue();
        assertThat(opts("insecure").secure()).isFalse();
        assertThat(opts("fsid=42").fsid()).isEqualTo(OptionalInt.of(42));
        assertThat(opts("no_subtree_check")).isEqualTo(ExportOptions.DEFAULTS);
        assertThat(opts("RW,All_Squash").readOnly()).isFalse();
    }

    @Test
    void parse_everyClientForm_givesItsSpec() throws Exception {
        assertThat(spec("*")).isEqualTo(new ClientSpec.Everyone());
        assertThat(spec("10.0.0.5")).isEqualTo(new ClientSpec.Address(InetAddress.ofLiteral("10.0.0.5")));
        assertThat(spec("2001:db8::1")).isEqualTo(new ClientSpec.Address(InetAddress.ofLiteral("2001:db8::1")));
        assertThat(spec("[2001:db8::1]")).isEqualTo(new ClientSpec.Address(InetAddress.ofLiteral("2001:db8::1")));
        assertThat(spec("192.168.1.77/24")).isEqualTo(new ClientSpec.Network(InetAddress.ofLiteral("192.168.1.0"), 24));
        assertThat(spec("192.168.0.0/255.255.0.0"))
                .isEqualTo(new ClientSpec.Network(InetAddress.ofLiteral("192.168.0.0"), 16));
        assertThat(spec("2001:db8::/32")).isEqualTo(new ClientSpec.Network(InetAddress.ofLiteral("2001:db8::"), 32));
        assertThat(spec("Server.Lab.Example")).isEqualTo(new ClientSpec.Host("server.lab.example"));
        assertThat(spec("*.lab.example")).isEqualTo(new ClientSpec.Wildcard("*.lab.example"));
        assertThat(spec("node?.lab")).isEqualTo(new ClientSpec.Wildcard("node?.lab"));
    }

    @Test
    void parse_layout_commentsContinuationsQuotesEscapes() throws Exception {
        List<ExportLine> lines = parse("""
                # a comment
                   
                /a   *(ro)   # trailing comment
                "/with space" \\
                    10.0.0.1(rw)
                /esc\\040aped\t*(rw)
                /trailing/ h1
                """);
        assertThat(lines).extracting(ExportLine::path)
                .containsExactly("/a", "/with space", "/esc aped", "/trailing");
        assertThat(lines).extracting(ExportLine::line).containsExactly(3, 4, 6, 7);
        assertThat(lines.get(1).rules().getFirst().client().toString()).isEqualTo("10.0.0.1");
    }

    @Test
    void print_escapesAndEveryOption_parsesBack() throws Exception {
        List<ExportLine> lines = parse("\"/a b#(c)\" *(rw,all_squash,anonuid=7,fsid=3) h1(secure)\n/x *\n");
        String printed = ExportsFile.print(lines);
        assertThat(printed).isEqualTo("/a\\040b\\043\\050c\\051 "
                + "*(rw,insecure,all_squash,anonuid=7,anongid=65534,sec=sys,fsid=3) "
                + "h1(ro,secure,root_squash,anonuid=65534,anongid=65534,sec=sys)\n"
                + "/x *(ro,insecure,root_squash,anonuid=65534,anongid=65534,sec=sys)\n");
        assertThat(parse(printed)).isEqualTo(lines);
    }

    @Test
    void parse_malformed_readableErrorWithPosition() {
        record Case(String text, int line, int column, String words) { }
        List<Case> cases = List.of(
                new Case("/srv *(rw,bogus)\n", 1, 11, "unknown option 'bogus'"),
                new Case("/srv *(sec=krb5)\n", 1, 8, "sec=krb5 is not supported yet"),
                new Case("/srv *(sec=sys:krb5p)\n", 1, 8, "sec=krb5p is not supported yet"),
                new Case("/srv *(sec=foo)\n", 1, 8, "unknown security flavour 'foo'"),
                new Case("/srv *(anonuid=x)\n", 1, 16, "not a number"),
                new Case("/srv *(anonuid=4294967296)\n", 1, 16, "larger than"),
                new Case("/srv *(anonuid)\n", 1, 8, "anonuid needs a value"),
                new Case("/srv *(rw=1)\n", 1, 8, "rw takes no value"),
                new Case("/srv *(fsid=0)\n", 1, 13, "fsid=0 is the pseudo-root"),
                new Case("/srv *(rw,ro)\n", 1, 11, "'ro' conflicts with 'rw'"),
                new Case("/srv *(root_squash,all_squash)\n", 1, 20, "conflicts"),
                new Case("/srv *(nohide)\n", 1, 8, "'nohide' is not supported"),
                new Case("/srv *(subtree_check)\n", 1, 8, "'subtree_check' is not supported"),
                new Case("/srv *()\n", 1, 8, "empty option list"),
                new Case("/srv *(rw,)\n", 1, 11, "empty option"),
                new Case("/srv *(rw\n", 1, 8, "unterminated option list"),
                new Case("/srv host (rw)\n", 1, 11, "options without a client"),
                new Case("/srv *(rw)x\n", 1, 11, "expected a blank"),
                new Case("/srv\n", 1, 5, "has no clients"),
                new Case("srv *\n", 1, 1, "must be absolute"),
                new Case("/a/../b *\n", 1, 1, "must be normal"),
                new Case("/a//b *\n", 1, 1, "must be normal"),
                new Case("/srv(rw)\n", 1, 5, "'(' in a path"),
                new Case("\"/srv *\n", 1, 1, "unterminated quoted path"),
                new Case("/a\\9 *\n", 1, 3, "octal escape"),
                new Case("-rw /srv *\n", 1, 1, "default options"),
                new Case("/srv @group\n", 1, 6, "netgroups"),
                new Case("/srv 10.0.0.300\n", 1, 6, "not an IPv4 address"),
                new Case("/srv 2001:db8::zz\n", 1, 6, "not an IPv6 address"),
                new Case("/srv 10.0.0.0/33\n", 1, 15, "longer than 32 bits"),
                new Case("/srv 10.0.0.0/255.0.255.0\n", 1, 15, "contiguous netmask"),
                new Case("/srv host.example/24\n", 1, 18, "needs an IP address"),
                new Case("/srv ho$t\n", 1, 8, "'$' is not allowed"),
                new Case("/a *\n\n/a h\n", 3, 1, "already exported on line 1"),
                new Case("/a *\n/a/b *\n", 2, 1, "nests with /a (line 1)"),
                new Case("/ *\n/b *\n", 2, 1, "nests with /"),
                new Case("/a *(fsid=1) h h2(fsid=2)\n", 1, 16, "fsid=2 differs from fsid=1"));
        for (Case c : cases) {
            ExportsSyntaxException e = error(c.text);
            assertThat(e).as(c.text).isNotNull();
            assertThat(e.getMessage()).as(c.text).startsWith("exports:" + c.line + ":" + c.column + ": ")
                    .contains(c.words);
            assertThat(e.line()).isEqualTo(c.line);
            assertThat(e.column()).isEqualTo(c.column);
        }
    }

    @Test
    void of_sameIdTwice_errorNamingBoth() throws Exception {
        List<ExportLine> lines = parse("/a *(fsid=5)\n/b *(fsid=5)\n");
        ExportsSyntaxException e = catchThrowableOfType(ExportsSyntaxException.class,
                () -> ExportTable.of(lines, p -> null, HostResolver.NONE, "exports"));
        assertThat(e.getMessage()).startsWith("exports:2:1: ").contains("/a (line 1)");
    }

    @Test
    void of_idsFromFsidOrPath_stableAndDistinct() throws Exception {
        List<ExportLine> lines = parse("/a * h(fsid=5)\n/b *\n/c *\n");
        ExportTable t1 = ExportTable.of(lines, p -> null, HostResolver.NONE, "exports");
        ExportTable t2 = ExportTable.of(parse("/c *\n/b *(rw)\n"), p -> null, HostResolver.NONE, "exports");
        assertThat(t1.all().get(0).id()).isEqualTo(5);
        assertThat(t1.all().get(1).id()).isNotEqualTo(t1.all().get(2).id()).isPositive();
        assertThat(t2.all().get(1).id()).as("path-derived id is independent of order and options")
                .isEqualTo(t1.all().get(1).id());
    }
}
