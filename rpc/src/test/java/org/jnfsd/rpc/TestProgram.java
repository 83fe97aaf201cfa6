package org.jnfsd.rpc;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;

/**
 * A small program for the tests: program {@link #PROGRAM}, versions 1..2.
 * Every latch wait is bounded; a wait that runs out answers SYSTEM_ERR, which fails the test.
 */
final class TestProgram implements RpcProgram {
    static final int PROGRAM = 0x2000_0101;
    /** int → the same int. */
    static final int ECHO = 1;
    /** () → the credential: flavor, then for AUTH_SYS stamp, machine name, uid, gid, gids. */
    static final int WHOAMI = 2;
    /** Throws a RuntimeException. */
    static final int THROW = 3;
    /** int → the same int, once {@link #barrier} has reached zero. */
    static final int BARRIER = 4;
    /** int → the same int, once {@link #release} has reached zero. */
    static final int BLOCK = 5;
    /** int → calls {@link CallbackProgram} ADD_ONE with the int on the caller's connection, returns its result. */
    static final int CALL_BACK = 6;
    /** int n → n zero bytes (opaque), reserving the reply's room first as a large READ does. */
    static final int BIG = 7;
    /** () → (): marks the connection as bound to a session. */
    static final int BIND = 8;

    static final Duration WAIT = Duration.ofSeconds(10);

    volatile CountDownLatch barrier = new CountDownLatch(0);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public int program() {
        return PROGRAM;
    }

    @Override
    public int minVersion() {
        return 1;
    }

    @Override
    public int maxVersion() {
        return 2;
    }

    @Override
    public void call(RpcCall call, XdrDecoder args, XdrEncoder results) throws RpcException {
        switch (call.procedure()) {
            case ECHO -> results.writeInt(args.readInt());
            case WHOAMI -> {
                switch (call.credential()) {
                    case Credential.AuthNone none -> results.writeInt(0);
                    case Credential.AuthSys sys -> {
                        results.writeInt(1).writeInt(sys.stamp()).writeAscii(sys.machineName())
                                .writeInt(sys.uid()).writeInt(sys.gid()).writeBitmap(sys.gids());
                    }
                }
            }
            case THROW -> throw new IllegalStateException("test program failure");
            case BARRIER -> {
                int v = args.readInt();
                CountDownLatch latch = barrier;
                latch.countDown();
                await(latch);
                results.writeInt(v);
            }
            case BLOCK -> {
                int v = args.readInt();
                await(release);
                results.writeInt(v);
            }
            case CALL_BACK -> {
                int v = args.readInt();
                try {
                    RpcReply reply = call.connection()
                            .callAsync(CallbackProgram.PROGRAM, 1, CallbackProgram.ADD_ONE, Credential.AuthNone.INSTANCE,
                                    e -> e.writeInt(v), WAIT)
                            .toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    if (!reply.isSuccess()) {
                        throw new RpcException(AcceptStat.SYSTEM_ERR, "callback answered " + reply);
                    }
                    results.writeInt(reply.decoder().readInt());
                } catch (Exception e) {
                    throw new RpcException(AcceptStat.SYSTEM_ERR, "callback failed", e);
                }
            }
            case BIG -> {
                int n = args.readInt();
                if (!call.connection().reserveReply(n)) {
                    throw new RpcException(AcceptStat.SYSTEM_ERR, "no room for " + n + " reply bytes");
                }
                results.writeOpaque(new byte[n]);
            }
            case BIND -> call.connection().markSessionBound();
            default -> throw new RpcException(AcceptStat.PROC_UNAVAIL, "procedure " + call.procedure());
        }
    }

    private static void await(CountDownLatch latch) throws RpcException {
        try {
            if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new RpcException(AcceptStat.SYSTEM_ERR, "latch not released within " + WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(AcceptStat.SYSTEM_ERR, "interrupted", e);
        }
    }

    /** Served by the client side: ADD_ONE int → int + 1. */
    static final class CallbackProgram implements RpcProgram {
        static final int PROGRAM = 0x4000_0000;
        static final int ADD_ONE = 1;

        @Override
        public int program() {
            return PROGRAM;
        }

        @Override
        public int minVersion() {
            return 1;
        }

        @Override
        public int maxVersion() {
            return 1;
        }

        @Override
        public void call(RpcCall call, XdrDecoder args, XdrEncoder results) throws RpcException {
            if (call.procedure() != ADD_ONE) {
                throw new RpcException(AcceptStat.PROC_UNAVAIL, "procedure " + call.procedure());
            }
            results.writeInt(args.readInt() + 1);
        }
    }
}
