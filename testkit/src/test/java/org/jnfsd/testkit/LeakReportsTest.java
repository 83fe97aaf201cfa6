package org.jnfsd.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class LeakReportsTest {
    @Test
    void aBufferNeverReleasedIsReported() {
        assertThat(LeakReports.installed() || touchNetty()).isTrue();
        LeakReports.collect();
        leak();
        assertThat(LeakReports.collect()).singleElement().asString().startsWith("LEAK: ByteBuf.release()")
                .contains("aBufferNeverReleasedIsReported");
    }

    @Test
    void aReleasedBufferIsNotReported() {
        LeakReports.collect();
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
        b.writeInt(1);
        b.release();
        assertThat(LeakReports.collect()).isEmpty();
    }

    private static boolean touchNetty() {
        Unpooled.buffer(1).release();
        return LeakReports.installed();
    }

    /** Allocates a tracked buffer, touches it (a record naming this test) and drops it. */
    private static void leak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
        b.writeInt(42);
        b.touch("aBufferNeverReleasedIsReported");
    }
}
