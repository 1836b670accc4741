package io.iocp4j.bench.hostile;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections flooding TEXT frames (and reading their echoes) when the server gets SIGTERM: each notes whether it
 * heard ERROR 8 (SHUTTING_DOWN) before its connection ended, and how it ended.
 */
final class FloodThenTermAttack extends ConnectionsAttack {
    private static final long CONNECT_SECONDS = 30;
    private static final int TEXT_BODY_BYTES = 1024;
    /** Frames per write. */
    private static final int FRAMES_PER_WRITE = 16;
    /** How long a connection waits for its end after the attackers are told to leave. */
    private static final long LEAVE_SECONDS = 10;

    private final int floodSeconds;
    private final AtomicInteger heardShuttingDown = new AtomicInteger();
    private final AtomicInteger endedByReset = new AtomicInteger();
    private final AtomicInteger endedByClose = new AtomicInteger();
    /** Still open when the attackers left (the server never closed them), or ended by another error. */
    private final AtomicInteger endedOtherwise = new AtomicInteger();
    private volatile boolean stopped;

    FloodThenTermAttack(int connections, int floodSeconds) {
        super(connections);
        this.floodSeconds = floodSeconds;
    }

    @Override
    public boolean terminatesDuringAttack() {
        return true;
    }

    @Override
    public void attack(int port) throws Exception {
        opened = AttackerConnections.open(port, connections, CONNECT_SECONDS, this::listen);
        // The flood begins once all are open: flooders that started as they connected would slow the accepts of the
        // rest, and the attack would measure fewer connections than it asked for.
        for (AttackerConnections.Opened one : opened.opened()) {
            Thread.ofVirtual().name("flooder-" + one.index()).start(() -> flood(one.socket()));
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(floodSeconds));
    }

    /** Reads the echoes, and the ERROR 8 among them, until the connection ends. */
    private void listen(AttackerConnections.Opened one) {
        Socket socket = one.socket();
        boolean heard = false;
        try {
            FrameReader reader = new FrameReader(socket.getInputStream());
            // Bounded by the connection's end: the server closes it, or leave() does.
            while (reader.next() >= 0) {
                if (reader.errorCode() == WireFrames.SHUTTING_DOWN) {
                    heard = true;
                }
            }
            endedByClose.incrementAndGet();
        } catch (java.io.EOFException e) {
            // Closed in the middle of a frame.
            endedByClose.incrementAndGet();
        } catch (java.net.SocketException e) {
            (stopped && socket.isClosed() ? endedOtherwise : endedByReset).incrementAndGet();
        } catch (IOException e) {
            endedOtherwise.incrementAndGet();
        } finally {
            if (heard) {
                heardShuttingDown.incrementAndGet();
            }
            // Ends the flooder too, if it is blocked on a full window.
            AttackerConnections.closeQuietly(socket);
        }
    }

    private void flood(Socket socket) {
        byte[] frame = WireFrames.text(TEXT_BODY_BYTES);
        byte[] batch = new byte[frame.length * FRAMES_PER_WRITE];
        for (int i = 0; i < FRAMES_PER_WRITE; i++) {
            System.arraycopy(frame, 0, batch, i * frame.length, frame.length);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(floodSeconds + 600);
        try {
            OutputStream out = socket.getOutputStream();
            while (!stopped && System.nanoTime() < end) {
                out.write(batch);
            }
        } catch (IOException e) {
            // The connection ended: the reader says how.
        }
    }

    @Override
    public void leave() throws InterruptedException {
        stopped = true;
        if (opened != null) {
            // The server is gone by now; connections it never closed are closed here.
            if (!opened.awaitWorkers(System.nanoTime() + TimeUnit.SECONDS.toNanos(LEAVE_SECONDS))) {
                opened.closeAll();
                opened.awaitWorkers(System.nanoTime() + TimeUnit.SECONDS.toNanos(LEAVE_SECONDS));
            }
        }
    }

    @Override
    public String findings() {
        return String.format(java.util.Locale.ROOT, "ERROR 8 heard by %d of %d; ended by reset %d, by close %d,"
                        + " still open or other %d%s", heardShuttingDown.get(), connected(), endedByReset.get(),
                endedByClose.get(), endedOtherwise.get(), failuresSuffix());
    }
}
