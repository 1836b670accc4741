package io.iocp4j.cli;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Handler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What the server sends the client, queued for the command's thread; an empty message marks the end. */
final class Replies implements Handler {
    private static final byte[] END = new byte[0];
    private final LinkedBlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    private int echoes;

    @Override
    public void onPacket(Connection connection, ByteBuffer packet) {
        byte[] copy = new byte[packet.remaining()];
        packet.get(copy);
        messages.add(copy);
    }

    @Override
    public void onDisconnect(Connection connection, CloseReason reason) {
        messages.add(END);
    }

    /** The next message, waiting up to {@code waitNanos}; null when none came. */
    byte[] next(long waitNanos) throws InterruptedException {
        return waitNanos <= 0 ? messages.poll() : messages.poll(waitNanos, TimeUnit.NANOSECONDS);
    }

    void countEcho() {
        echoes++;
    }

    int echoesPrinted() {
        return echoes;
    }

    int reportEnd() {
        System.err.println("iocp4j: the server closed the connection");
        return 1;
    }

    int reportError(byte[] message) {
        ByteBuffer body = ByteBuffer.wrap(message, 1, message.length - 1);
        if (body.remaining() < 2) {
            System.err.println("iocp4j: server sent a malformed ERROR");
            return 1;
        }
        int code = Short.toUnsignedInt(body.getShort());
        String text = new String(message, 3, message.length - 3, StandardCharsets.UTF_8);
        System.err.println("iocp4j: server error " + code + " " + ErrorCode.nameOf(code) + ": " + text);
        return 1;
    }
}
