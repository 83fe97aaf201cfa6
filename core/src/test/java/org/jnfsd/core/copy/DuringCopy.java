package org.jnfsd.core.copy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.jnfsd.vfs.VirtualFileSystem;

/** Test backends for copy races: a file system that runs a step inside each copy call. */
public final class DuringCopy {
    private DuringCopy() {}

    /** {@code f}, running {@code during} inside each copy call, after the bytes were copied. */
    public static VirtualFileSystem proxy(VirtualFileSystem f, Runnable during) {
        return (VirtualFileSystem) Proxy.newProxyInstance(DuringCopy.class.getClassLoader(),
                new Class<?>[] {VirtualFileSystem.class}, (p, m, a) -> {
                    try {
                        Object r = m.invoke(f, a);
                        if (m.getName().equals("copy")) {
                            during.run();
                        }
                        return r;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
