package org.jnfsd.vfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DirCookiesTest {
    @Test
    void of_manyNames_inRangeAndNeverReserved() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            long c = DirCookies.of("name-" + i);
            assertThat(c).isBetween(3L, DirCookies.LIMIT - 1);
            seen.add(c);
        }
        assertThat(seen).hasSize(100_000);
    }

    @Test
    void of_sameName_sameCookie() {
        assertThat(DirCookies.of("été")).isEqualTo(DirCookies.of("été"));
        assertThat(DirCookies.of("a")).isNotEqualTo(DirCookies.of("b"));
    }

    @Test
    void next_atLimit_wrapsToFirstUsable() {
        assertThat(DirCookies.next(10)).isEqualTo(11);
        assertThat(DirCookies.next(DirCookies.LIMIT - 1)).isEqualTo(3);
    }
}
