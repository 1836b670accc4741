package io.iocp4j.cli;

import io.iocp4j.CloseReason;
import io.iocp4j.Connection;
import io.iocp4j.Handler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client's handler: what the server sends, and the end of the connection, queued for the command's thread,
 * which may also post events of its own (the end of standard input). Answers the server's PINGs itself.
 */
final class ClientEvents implements Handler {
    /** Something the command's thread reacts to. */
    sealed interface Event permits Message, Closed, InputEnded {
    }

    /** A frame from the server: its type and a copy of its body. */
    record Message(int type, byte[] body) implements Event {
    }

    /** The connection ended. */
    record Closed(CloseReason reason) implements Event {
    }

    /** Standard input is used up: {@code linesSent} TEXT messages went out, or {@code failure} stopped it. */
    record InputEnded(long linesSent, String failure) implements Event {
    }

    private static final ByteBuffer PONG_TYPE = ByteBuffer.wrap(new byte[]{MessageType.PONG}).asReadOnlyBuffer();

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

    @Override
    public void onPacket(Connection connection, ByteBuffer packet) {
        int type = packet.get(packet.position()) & 0xFF;
        ByteBuffer body = packet.slice(packet.position() + 1, packet.remaining() - 1);
        if (type == MessageType.PING && body.remaining() <= MessageType.MAX_PING_BODY) {
            connection.send(PONG_TYPE, body);
            return;
        }
        byte[] copy = new byte[body.remaining()];
        body.get(copy);
        events.add(new Message(type, copy));
    }

    @Override
    public void onDisconnect(Connection connection, CloseReason reason) {
        events.add(new Closed(reason));
    }

    void post(Event event) {
        events.add(event);
    }

    /** The next event, waiting up to {@code timeoutNanos}; null when none came in time. */
    Event next(long timeoutNanos) throws InterruptedException {
        return events.poll(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
    }

    /** True for the server's ERROR SHUTTING_DOWN, which comes before it closes every connection. */
    static boolean isShuttingDown(Message error) {
        return error.body().length >= 2
                && Short.toUnsignedInt(ByteBuffer.wrap(error.body()).getShort()) == ErrorCode.SHUTTING_DOWN.code;
    }

    /** Prints a server's ERROR as one line; the client's exit code. */
    static int reportError(Message error) {
        if (error.body().length < 2) {
            System.err.println("iocp4j: the server sent a malformed ERROR");
            return Main.FAILED;
        }
        int code = Short.toUnsignedInt(ByteBuffer.wrap(error.body()).getShort());
        String text = new String(error.body(), 2, error.body().length - 2, StandardCharsets.UTF_8);
        System.err.println("iocp4j: server error " + code + " " + ErrorCode.nameOf(code) + ": " + text);
        return Main.FAILED;
    }

    /** Prints that the server ended the connection unasked; the client's exit code. */
    static int reportClosed(Closed closed) {
        System.err.println(closed.reason() == CloseReason.IO_ERROR
                ? "iocp4j: the connection to the server failed"
                : "iocp4j: the server closed the connection");
        return Main.FAILED;
    }
}
