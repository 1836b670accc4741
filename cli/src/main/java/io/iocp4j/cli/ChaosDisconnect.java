package io.iocp4j.cli;

import io.iocp4j.Connection;
import io.iocp4j.Handler;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code --chaos-disconnect P}: for each packet received, drops its connection at once with probability P, before
 * the handler sees the packet, as a peer's network would. The connection's queued replies are dropped with it.
 */
final class ChaosDisconnect extends HandlerDecorator {
    private final double probability;
    private final LongAdder drops = new LongAdder();

    ChaosDisconnect(Handler inner, double probability) {
        super(inner);
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability=" + probability);
        }
        this.probability = probability;
    }

    @Override
    public void onPacket(Connection connection, ByteBuffer packet) {
        if (probability > 0 && ThreadLocalRandom.current().nextDouble() < probability) {
            drops.increment();
            connection.close();
            return;
        }
        super.onPacket(connection, packet);
    }

    /** Connections dropped so far. */
    long drops() {
        return drops.sum();
    }
}
