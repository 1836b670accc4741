package io.iocp4j.cli;

import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.Transport;
import io.iocp4j.frame.Framing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code iocp4j client}: sends typed lines as TEXT and prints the echoes, or measures PING round trips. */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Send each line of standard input as TEXT and print the echo, or time PINGs with --ping.")
final class ClientCommand implements Callable<Integer> {
    private static final long REPLY_TIMEOUT_SECONDS = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "7000", description = "Server packet port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--transport", defaultValue = "auto", description = "auto, nio2 or uring (default: ${DEFAULT-VALUE}).")
    Transport transport;

    @Option(names = "--ping", paramLabel = "N", description = "Send N PINGs one at a time and print round-trip times.")
    Integer pings;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 1 and 65535, not " + port);
        }
        if (pings != null && pings < 1) {
            throw new ParameterException(spec.commandLine(), "--ping must be at least 1, not " + pings);
        }
        Replies replies = new Replies();
        try (Client client = Client.builder().transport(transport).framing(Framing.lengthPrefixed(4, 1 << 20))
                .handler(replies).build()) {
            Connection connection;
            try {
                connection = client.connect(host, port).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("iocp4j: cannot connect to " + host + ":" + port + ": " + Failures.describe(e));
                return 1;
            }
            try {
                return pings != null ? ping(connection, replies) : converse(connection, replies);
            } finally {
                connection.close();
            }
        }
    }

    private int converse(Connection connection, Replies replies) throws Exception {
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int outstanding = 0;
        String line;
        while ((line = input.readLine()) != null) {
            if (!connection.send(Messages.typed(MessageType.TEXT, line.getBytes(StandardCharsets.UTF_8)))) {
                return replies.reportEnd();
            }
            outstanding++;
            Integer failed = printReadyEchoes(replies, 0);
            if (failed != null) {
                return failed;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REPLY_TIMEOUT_SECONDS);
        while (replies.echoesPrinted() < outstanding) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                System.err.println("iocp4j: " + (outstanding - replies.echoesPrinted()) + " echoes did not arrive");
                return 1;
            }
            Integer failed = printReadyEchoes(replies, left);
            if (failed != null) {
                return failed;
            }
        }
        return 0;
    }

    /** Prints the echoes that have arrived (waiting up to {@code waitNanos} for one); an exit code on failure. */
    private static Integer printReadyEchoes(Replies replies, long waitNanos) throws InterruptedException {
        byte[] message = replies.next(waitNanos);
        while (message != null) {
            if (message.length == 0) {
                return replies.reportEnd();
            }
            if ((message[0] & 0xFF) == MessageType.ERROR) {
                return replies.reportError(message);
            }
            if ((message[0] & 0xFF) == MessageType.TEXT) {
                System.out.println(new String(message, 1, message.length - 1, StandardCharsets.UTF_8));
                replies.countEcho();
            }
            message = replies.next(0);
        }
        return null;
    }

    private int ping(Connection connection, Replies replies) throws InterruptedException {
        long[] roundTrips = new long[pings];
        for (int i = 0; i < pings; i++) {
            byte[] body = ByteBuffer.allocate(8).putLong(i).array();
            long sent = System.nanoTime();
            if (!connection.send(Messages.typed(MessageType.PING, body))) {
                return replies.reportEnd();
            }
            byte[] reply;
            do {
                reply = replies.next(TimeUnit.SECONDS.toNanos(REPLY_TIMEOUT_SECONDS));
                if (reply == null) {
                    System.err.println("iocp4j: no PONG within " + REPLY_TIMEOUT_SECONDS + " s");
                    return 1;
                }
                if (reply.length == 0) {
                    return replies.reportEnd();
                }
                if ((reply[0] & 0xFF) == MessageType.ERROR) {
                    return replies.reportError(reply);
                }
            } while ((reply[0] & 0xFF) != MessageType.PONG);
            roundTrips[i] = System.nanoTime() - sent;
            if (reply.length != 9 || ByteBuffer.wrap(reply, 1, 8).getLong() != i) {
                System.err.println("iocp4j: PONG " + i + " did not carry the PING's body");
                return 1;
            }
        }
        java.util.Arrays.sort(roundTrips);
        System.out.printf("%d pings: min %d us, median %d us, p99 %d us%n", pings, micros(roundTrips[0]),
                micros(roundTrips[pings / 2]), micros(roundTrips[Math.min(pings - 1, (int) (pings * 0.99))]));
        return 0;
    }

    private static long micros(long nanos) {
        return nanos / 1000;
    }
}
