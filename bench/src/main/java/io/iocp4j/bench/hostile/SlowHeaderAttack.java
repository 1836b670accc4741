package io.iocp4j.bench.hostile;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each connection sends a length announcing a large frame, then one byte a second: the server learns at once how
 * much the frame will need and receives almost none of it, so whatever it reserves up front is held for nothing.
 */
final class SlowHeaderAttack extends ConnectionsAttack {
    private static final long CONNECT_SECONDS = 60;

    private final int announced;
    private final int seconds;
    private final List<String> serverFlags;
    private final List<String> jvmOptions;
    private final AtomicInteger closedByServer = new AtomicInteger();

    SlowHeaderAttack(int connections, int announced, int seconds, List<String> serverFlags, List<String> jvmOptions) {
        super(connections);
        this.announced = announced;
        this.seconds = seconds;
        this.serverFlags = serverFlags;
        this.jvmOptions = jvmOptions;
    }

    @Override
    public List<String> serverFlags() {
        return serverFlags;
    }

    @Override
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    @Override
    public void attack(int port) throws Exception {
        byte[] header = WireFrames.header(announced);
        opened = AttackerConnections.open(port, connections, CONNECT_SECONDS, one -> send(one.socket(), header));
        // One thread dribbles for all: a byte per connection per second is a few milliseconds of writes.
        long start = System.nanoTime();
        for (int second = 1; second <= seconds; second++) {
            // The first byte after the length is the frame's type; the rest is body.
            byte[] dribble = {second == 1 ? (byte) WireFrames.TEXT : (byte) 'x'};
            long wait = start + TimeUnit.SECONDS.toNanos(second) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            for (AttackerConnections.Opened one : opened.opened()) {
                send(one.socket(), dribble);
            }
        }
    }

    private void send(Socket socket, byte[] bytes) {
        if (socket.isClosed()) {
            return;
        }
        try {
            socket.getOutputStream().write(bytes);
        } catch (IOException e) {
            closedByServer.incrementAndGet();
            AttackerConnections.closeQuietly(socket);
        }
    }

    @Override
    public String findings() {
        return "announced " + announced + " bytes each; " + closedByServer.get() + " found closed by the server"
                + (failuresSuffix());
    }
}
