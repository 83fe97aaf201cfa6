package org.jnfsd.core.ops.session;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jnfsd.rpc.RpcConnection;

/**
 * An RpcConnection test double without transport: close() runs the close listeners; calling out
 * is unsupported; default methods run as written. A dynamic proxy, so that it does not depend on the interface's outgoing-call
 * methods.
 */
final class FakeConnection {
    private static final AtomicLong IDS = new AtomicLong();
    private final long id = IDS.incrementAndGet();
    // guarded by this
    private final List<Runnable> listeners = new ArrayList<>();
    // guarded by this
    private boolean open = true;

    private FakeConnection() {}

    static RpcConnection open() {
        FakeConnection state = new FakeConnection();
        return (RpcConnection) Proxy.newProxyInstance(RpcConnection.class.getClassLoader(),
                new Class<?>[] {RpcConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> state.id;
                    case "isOpen" -> state.isOpen();
                    case "onClose" -> {
                        state.onClose((Runnable) args[0]);
                        yield null;
                    }
                    case "close" -> {
                        state.close();
                        yield null;
                    }
                    case "remoteAddress" -> new InetSocketAddress("127.0.0.1", 1000);
                    case "localAddress" -> new InetSocketAddress("127.0.0.1", 2049);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "FakeConnection[" + state.id + "]";
                    default -> {
                        if (method.isDefault()) {
                            yield InvocationHandler.invokeDefault(proxy, method, args);
                        }
                        throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private synchronized boolean isOpen() {
        return open;
    }

    private void onClose(Runnable listener) {
        boolean runNow;
        synchronized (this) {
            runNow = !open;
            if (open) {
                listeners.add(listener);
            }
        }
        if (runNow) {
            listener.run();
        }
    }

    private void close() {
        List<Runnable> toRun;
        synchronized (this) {
            open = false;
            toRun = new ArrayList<>(listeners);
            listeners.clear();
        }
        toRun.forEach(Runnable::run);
    }
}
