package org.jnfsd.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.time.ManualClock;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.junit.jupiter.api.Test;

/**
 * The server-wide reply cache budget (issue 16: 100 clients caching 64 slots of ~60 KiB replies
 * added ~400 MB): CREATE_SESSION negotiates slots, then the cached size, down; destroyed sessions
 * give their room back.
 */
class ReplyCacheBudgetTest {
    private static final int KIB = 1024;
    private static final ChannelAttrs ASKED = new ChannelAttrs(0, 1 << 20, 1 << 20, 64 * KIB, 16, 32, null);
    private static final Principal ALICE = new Principal("sys:1000@a");

    private final SessionManager m = new SessionManager(ServerConfig.builder().replyCacheBytes(4L << 20)
            .unconfirmedClientTimeout(Duration.ofSeconds(90)).build(), new ManualClock(), 0x1234, "jnfsd:test");

    private Session session(int i) throws Exception {
        ClientRecord c = m.exchangeId(("c" + i).getBytes(StandardCharsets.UTF_8), new byte[8], ALICE, false).client();
        return m.createSession(c, ALICE, ASKED, ASKED, 0, 1, List.of(), null, ChannelDirection.FORE).session();
    }

    @Test
    void twentySessionsOf32SlotsOf64KiB_fitA4MiBBudget_thenGiveItBack() throws Exception {
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sessions.add(session(i));
        }

        // 4 MiB hold 64 slots of 64 KiB: two full sessions, then one slot of the 4 KiB minimum each
        assertThat(sessions.get(0).foreChannel()).isEqualTo(ASKED);
        assertThat(sessions.get(1).foreChannel()).isEqualTo(ASKED);
        ChannelAttrs third = sessions.get(2).foreChannel();
        assertThat(third.maxRequests()).isEqualTo(1);
        assertThat(third.maxResponseSizeCached()).isEqualTo(ReplyCacheBudget.MIN_CACHED);
        long reserved = m.replyCache().reserved();
        assertThat(reserved).isEqualTo((4L << 20) + 18L * ReplyCacheBudget.MIN_CACHED) // ~4.27 MB, not 40 MiB
                .isLessThan(20L * 32 * 64 * KIB / 8);
        assertThat(m.replyCache().isShort()).isTrue();

        for (Session s : sessions) {
            m.destroySession(s);
        }
        assertThat(m.replyCache().reserved()).isZero();
        assertThat(session(99).foreChannel()).isEqualTo(ASKED);
    }

    @Test
    void partlyFull_fewerSlotsOfTheAskedSize() {
        ReplyCacheBudget b = new ReplyCacheBudget(40L * 64 * KIB);
        b.reserve(ASKED);

        ChannelAttrs second = b.reserve(ASKED);

        assertThat(second.maxRequests()).isEqualTo(8);
        assertThat(second.maxResponseSizeCached()).isEqualTo(64 * KIB);
        assertThat(b.reserved()).isEqualTo(b.limit());
    }

    @Test
    void defaultLimit_isOneSixteenthOfTheHeap() {
        assertThat(ReplyCacheBudget.defaultLimit(1L << 30)).isEqualTo(64L << 20);
    }
}
