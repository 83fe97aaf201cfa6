package org.jnfsd.daemon;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's readiness protocol (sd_notify(3)) without libsystemd: one datagram ("READY=1",
 * "STOPPING=1", "RELOADING=1") sent to the Unix socket {@code $NOTIFY_SOCKET} names, so a unit of
 * {@code Type=notify} is started only once the port is bound. The JDK has no Unix datagram
 * sockets, so the three libc calls go through the foreign function API (the launcher passes
 * {@code --enable-native-access}). Without {@code $NOTIFY_SOCKET} (not started by systemd) it does
 * nothing; a failure to notify is logged, never fatal.
 */
final class SdNotify {
    private static final Logger log = LoggerFactory.getLogger(SdNotify.class);
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    /** {@code struct sockaddr_un}: the family, then 108 bytes of path. */
    private static final int SUN_PATH = 108;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SENDTO = downcall("sendto", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LIBC.find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private SdNotify() {}

    /** Tells systemd the service is ready; false when not started by systemd. */
    static boolean ready() {
        return notify(System.getenv(), "READY=1");
    }

    /** Tells systemd the service is stopping. */
    static boolean stopping() {
        return notify(System.getenv(), "STOPPING=1");
    }

    /** Sends {@code state} to {@code env}'s NOTIFY_SOCKET; false when it names none or the send failed. */
    static boolean notify(Map<String, String> env, String state) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return false;
        }
        try {
            send(socket, state.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException e) {
            log.warn("jnfsd: could not notify systemd ({}) on {}: {}", state, socket, e.getMessage());
            return false;
        }
    }

    /** One datagram to the Unix socket {@code path}; a leading '@' names an abstract socket. */
    static void send(String path, byte[] message) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(ERRNO_STATE);
            int fd = socket(errno);
            try {
                MemorySegment address = sockaddr(arena, path);
                MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, message);
                long sent = (long) SENDTO.invokeExact(errno, fd, data, (long) message.length, 0, address,
                        (int) address.byteSize());
                if (sent != message.length) {
                    throw failure("sendto", errno);
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    private static int socket(MemorySegment errno) throws Throwable {
        int fd = (int) SOCKET.invokeExact(errno, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw failure("socket", errno);
        }
        return fd;
    }

    /**
     * {@code struct sockaddr_un} for {@code path}, sized as the kernel expects: the family and the
     * path with its NUL; an abstract name ('@' → a leading NUL byte) has no NUL and its length counts.
     */
    static MemorySegment sockaddr(Arena arena, String path) throws IOException {
        boolean abstractName = path.startsWith("@");
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (abstractName) {
            name[0] = 0;
        }
        int length = abstractName ? name.length : name.length + 1;
        if (length > SUN_PATH) {
            throw new IOException("socket path longer than " + (SUN_PATH - 1) + " bytes: " + path);
        }
        MemorySegment address = arena.allocate(2 + length);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(name, 0, address, ValueLayout.JAVA_BYTE, 2, name.length);
        return address;
    }

    private static IOException failure(String call, MemorySegment errno) {
        int code = (int) ERRNO.get(errno, 0L);
        return new IOException(call + " failed: errno " + code);
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), descriptor, CAPTURE_ERRNO);
    }
}
