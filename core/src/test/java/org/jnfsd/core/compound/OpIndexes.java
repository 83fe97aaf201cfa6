package org.jnfsd.core.compound;

/** For operation tests outside this package: stands in for the engine stepping to operation {@code i}. */
public final class OpIndexes {
    private OpIndexes() {}

    public static void set(CompoundContext ctx, int i) {
        ctx.setOpIndex(i);
    }
}
