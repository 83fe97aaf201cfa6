package org.jnfsd.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ceiling for the data workloads: loopback TCP bandwidth between two sockets of this JVM,
 * {@code streams} connections each pushing {@code chunk}-byte writes for {@code duration} while the
 * other end reads and discards. No protocol, no copy into files.
 */
final class LoopbackBandwidth {
    private LoopbackBandwidth() {
    }

    /** Returns MiB/s summed over the streams. */
    static double measure(int streams, int chunk, Duration duration) throws IOException, InterruptedException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Socket> sockets = new ArrayList<>();
            List<Future<Long>> readers = new ArrayList<>();
            List<Future<Long>> writers = new ArrayList<>();
            try {
                for (int i = 0; i < streams; i++) {
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                    Socket in = server.accept();
                    sockets.add(out);
                    sockets.add(in);
                    readers.add(pool.submit(() -> drain(in, chunk)));
                }
                long start = System.nanoTime();
                long end = start + duration.toNanos();
                for (int i = 0; i < streams; i++) {
                    Socket out = sockets.get(2 * i);
                    writers.add(pool.submit(() -> push(out, chunk, end)));
                }
                long total = 0;
                for (Future<Long> f : readers) {
                    total += f.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                for (Future<Long> f : writers) {
                    f.get();
                }
                return total / seconds / (1024.0 * 1024.0);
            } catch (ExecutionException e) {
                throw new IOException("loopback stream failed", e.getCause());
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    private static long push(Socket s, int chunk, long end) throws IOException {
        byte[] b = new byte[chunk];
        long n = 0;
        OutputStream out = s.getOutputStream();
        do { // at least one chunk, even when this thread first runs after `end` on a loaded machine
            out.write(b);
            n += chunk;
        } while (System.nanoTime() < end);
        s.shutdownOutput(); // the reader sees end of stream
        return n;
    }

    private static long drain(Socket s, int chunk) throws IOException {
        byte[] b = new byte[chunk];
        long n = 0;
        InputStream in = s.getInputStream();
        for (int r; (r = in.read(b)) >= 0; ) {
            n += r;
        }
        return n;
    }

    @Command(name = "loopback", mixinStandardHelpOptions = true,
            description = "Measure loopback TCP bandwidth (the ceiling for read and write).")
    static final class Cli implements Callable<Integer> {
        @Option(names = "--streams", defaultValue = "4")
        int streams;

        @Option(names = "--chunk", defaultValue = "1048576")
        int chunk;

        @Option(names = "--duration", defaultValue = "5s")
        String duration;

        @Override
        public Integer call() throws Exception {
            double mib = measure(streams, chunk, LoadGenerator.parseDuration(duration));
            System.out.println(String.format(Locale.ROOT, "loopback %d streams: %.1f MiB/s", streams, mib));
            return 0;
        }
    }
}
