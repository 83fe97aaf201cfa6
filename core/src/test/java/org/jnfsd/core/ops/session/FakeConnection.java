package org.jnfsd.core.ops.session;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jnfsd.rpc.RpcConnection;

/** An RpcConnection test double: no transport, close() runs the close listeners. */
final class FakeConnection implements RpcConnection {
    private static final AtomicLong IDS = new AtomicLong();
    private final long id = IDS.incrementAndGet();
    private final List<Runnable> listeners = new ArrayList<>();
    private boolean open = true;

    @Override
    public long id() {
        return id;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 1000);
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 2049);
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public void onClose(Runnable listener) {
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

    @Override
    public void close() {
        List<Runnable> toRun;
        synchronized (this) {
            open = false;
            toRun = new ArrayList<>(listeners);
            listeners.clear();
        }
        toRun.forEach(Runnable::run);
    }
}
