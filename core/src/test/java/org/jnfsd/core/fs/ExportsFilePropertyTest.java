package org.jnfsd.core.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A printed table parses back to itself, whatever its paths, clients and options. */
class ExportsFilePropertyTest {

    @Property(tries = 300)
    void print_thenParse_sameLines(@ForAll("tables") List<ExportLine> lines) throws Exception {
        String printed = ExportsFile.print(lines);
        assertThat(ExportsFile.parse(printed, "printed")).as(printed).isEqualTo(lines);
    }

    @Provide
    Arbitrary<List<ExportLine>> tables() {
        // distinct single-level paths never nest
        return Combinators.combine(path().list().ofMinSize(1).ofMaxSize(5).uniqueElements(),
                rules().list().ofMinSize(5).ofMaxSize(5)).as((paths, rules) -> {
                    Map<String, ExportLine> out = new LinkedHashMap<>();
                    for (int i = 0; i < paths.size(); i++) {
                        out.put(paths.get(i), new ExportLine("/" + paths.get(i), rules.get(i), 0));
                    }
                    return new ArrayList<>(out.values());
                });
    }

    private Arbitrary<String> path() {
        return Arbitraries.strings().withChars("abz09_-. #()\\\"\u00e9\u4e2d").ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.equals(".") && !s.equals(".."));
    }

    private Arbitrary<List<ClientRule>> rules() {
        Arbitrary<Integer> fsid = Arbitraries.integers().between(0, 3);
        return Combinators.combine(rule().list().ofMinSize(1).ofMaxSize(4), fsid).as((rs, f) -> {
            if (f == 0) {
                return rs;
            }
            // the same fsid on some of the clients
            List<ClientRule> out = new ArrayList<>(rs);
            for (int i = 0; i < out.size(); i += f) {
                out.set(i, new ClientRule(out.get(i).client(), out.get(i).options().withFsid(f * 1000 + rs.size())));
            }
            return out;
        });
    }

    private Arbitrary<ClientRule> rule() {
        return Combinators.combine(spec(), options()).as(ClientRule::new);
    }

    private Arbitrary<ClientSpec> spec() {
        Arbitrary<InetAddress> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4).map(ExportsFilePropertyTest::addr);
        Arbitrary<InetAddress> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16).map(ExportsFilePropertyTest::addr);
        Arbitrary<String> label = Arbitraries.strings().withChars("abc-9").ofMinLength(1).ofMaxLength(6);
        return Arbitraries.oneOf(
                Arbitraries.just(new ClientSpec.Everyone()),
                v4.map(ClientSpec.Address::new),
                v6.map(ClientSpec.Address::new),
                Combinators.combine(v4, Arbitraries.integers().between(0, 32)).as(ClientSpec.Network::new),
                Combinators.combine(v6, Arbitraries.integers().between(0, 128)).as(ClientSpec.Network::new),
                label.list().ofMinSize(1).ofMaxSize(3).map(l -> new ClientSpec.Host(String.join(".", l) + ".Ex")),
                label.list().ofMinSize(1).ofMaxSize(3).map(l -> new ClientSpec.Wildcard("*." + String.join("?", l))));
    }

    private static InetAddress addr(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private Arbitrary<ExportOptions> options() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(ExportOptions.Squash.class),
                Arbitraries.integers(), Arbitraries.integers(), Arbitraries.of(true, false))
                .as((ro, sq, uid, gid, sec) -> ExportOptions.DEFAULTS.withReadOnly(ro).withSquash(sq)
                        .withAnonUid(uid).withAnonGid(gid).withSecure(sec));
    }
}
