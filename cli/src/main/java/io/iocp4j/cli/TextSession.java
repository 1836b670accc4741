package io.iocp4j.cli;

import io.iocp4j.Connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * The client's conversation: each line of standard input goes out as TEXT, each echo is printed as it arrives.
 * A thread of its own reads the input, so an echo is printed while the user is still typing; at the end of the
 * input the session waits a bounded time for the echoes still due.
 */
final class TextSession {
    static final long ECHO_WAIT_SECONDS = 5;

    private final Connection connection;
    private final ClientEvents events;
    private final InputStream input;
    private final PrintStream output;
    private final int maxLine;

    TextSession(Connection connection, ClientEvents events, InputStream input, PrintStream output, int maxFrame) {
        this.connection = connection;
        this.events = events;
        this.input = input;
        this.output = output;
        // The type byte takes one byte of the frame.
        this.maxLine = maxFrame - 1;
    }

    /** Runs until the input ends and every echo is printed, or something fails; the exit code. */
    int run() throws InterruptedException {
        // A daemon: a read of standard input cannot be interrupted, and must not keep the program alive.
        Thread.ofPlatform().daemon().name("iocp4j-stdin").start(this::sendLines);
        long linesSent = -1;
        long echoes = 0;
        long deadline = 0;
        while (linesSent < 0 || echoes < linesSent) {
            long wait = linesSent < 0 ? Long.MAX_VALUE : deadline - System.nanoTime();
            ClientEvents.Event event = events.next(wait);
            switch (event) {
                case null -> {
                    System.err.println("iocp4j: " + (linesSent - echoes) + " echoes did not arrive within "
                            + ECHO_WAIT_SECONDS + " s");
                    return Main.FAILED;
                }
                case ClientEvents.Message message when message.type() == MessageType.TEXT -> {
                    output.write(message.body(), 0, message.body().length);
                    output.println();
                    output.flush();
                    echoes++;
                }
                case ClientEvents.Message message when message.type() == MessageType.ERROR -> {
                    return ClientEvents.reportError(message);
                }
                case ClientEvents.Message _ -> {
                    // PONG, or a file message this client never asked for.
                }
                case ClientEvents.Closed closed -> {
                    return ClientEvents.reportClosed(closed);
                }
                case ClientEvents.InputEnded ended when ended.failure() != null -> {
                    System.err.println("iocp4j: " + ended.failure());
                    return Main.FAILED;
                }
                case ClientEvents.InputEnded ended -> {
                    linesSent = ended.linesSent();
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ECHO_WAIT_SECONDS);
                }
            }
        }
        return Main.OK;
    }

    /** The reader thread: each line as one TEXT message, then the count, posted after the last send. */
    private void sendLines() {
        LineReader lines = new LineReader(input, maxLine);
        long sent = 0;
        try {
            byte[] line;
            while ((line = lines.next()) != null) {
                if (!connection.send(Messages.typed(MessageType.TEXT, line))) {
                    // The connection has ended; its Closed event tells the rest.
                    return;
                }
                sent++;
            }
            events.post(new ClientEvents.InputEnded(sent, null));
        } catch (LineReader.LineTooLongException e) {
            events.post(new ClientEvents.InputEnded(sent, e.getMessage()));
        } catch (IOException e) {
            events.post(new ClientEvents.InputEnded(sent, "cannot read standard input: " + Failures.describe(e)));
        }
    }
}
