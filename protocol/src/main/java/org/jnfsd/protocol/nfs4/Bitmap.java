package org.jnfsd.protocol.nfs4;

import java.util.Arrays;

/** Helpers for bitmap4 values: bit n lives in word n/32 at position n%32. */
public final class Bitmap {
    private Bitmap() {}

    public static boolean isSet(int[] words, int bit) {
        int w = bit >>> 5;
        return w < words.length && (words[w] & (1 << (bit & 31))) != 0;
    }

    public static int[] of(int... bits) {
        int max = -1;
        for (int b : bits) {
            max = Math.max(max, b);
        }
        int[] words = new int[max < 0 ? 0 : (max >>> 5) + 1];
        for (int b : bits) {
            words[b >>> 5] |= 1 << (b & 31);
        }
        return words;
    }

    public static int[] set(int[] words, int bit) {
        int[] out = Arrays.copyOf(words, Math.max(words.length, (bit >>> 5) + 1));
        out[bit >>> 5] |= 1 << (bit & 31);
        return out;
    }

    /** Drops trailing zero words, as replies should. */
    public static int[] trim(int[] words) {
        int n = words.length;
        while (n > 0 && words[n - 1] == 0) {
            n--;
        }
        return n == words.length ? words : Arrays.copyOf(words, n);
    }

    public static int[] and(int[] a, int[] b) {
        int[] out = new int[Math.min(a.length, b.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i] & b[i];
        }
        return trim(out);
    }
}
