package org.jnfsd.bench;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench/run <command>}: the load generator and the helpers {@code bench/compare} uses. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {LoadGenerator.class, BareNullServer.Cli.class, LoopbackBandwidth.Cli.class,
            BenchCli.FreePort.class, Compare.class, CopyBench.class, RecallBench.class, ScaleBench.class,
            org.jnfsd.bench.micro.MemoryFootprint.class},
        description = "jnfsd benchmarks: load generator, ceilings, comparison table.")
public final class BenchCli {
    private BenchCli() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(BenchCli.class).execute(args));
    }

    /** Prints a loopback port that was free a moment ago (for servers that cannot bind port 0). */
    @Command(name = "free-port", description = "Print a free loopback TCP port.")
    static final class FreePort implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                System.out.println(s.getLocalPort());
            }
            return 0;
        }
    }
}
