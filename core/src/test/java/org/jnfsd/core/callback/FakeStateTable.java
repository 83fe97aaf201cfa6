package org.jnfsd.core.callback;

import java.util.HashSet;
import java.util.Set;

/**
 * A stand-in for a client's stateid table: once dropped (client teardown done), every access
 * throws and is counted, so a release that runs too late cannot go unnoticed.
 */
final class FakeStateTable {
    private final Set<String> ids = new HashSet<>();
    private boolean dropped;
    int lateAccesses;

    synchronized void add(String id) {
        check();
        ids.add(id);
    }

    synchronized boolean contains(String id) {
        check();
        return ids.contains(id);
    }

    synchronized void remove(String id) {
        check();
        ids.remove(id);
    }

    synchronized void drop() {
        dropped = true;
        ids.clear();
    }

    synchronized int size() {
        return ids.size();
    }

    private void check() {
        if (dropped) {
            lateAccesses++;
            throw new IllegalStateException("stateid table accessed after it was dropped");
        }
    }
}
