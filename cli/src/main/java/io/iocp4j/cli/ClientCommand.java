package io.iocp4j.cli;

import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.frame.Framing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** {@code iocp4j client}: sends typed lines as TEXT and prints the echoes, or times PING round trips. */
@Command(name = "client", mixinStandardHelpOptions = true, versionProvider = ProgramVersion.class,
        description = "Send each line of standard input as TEXT and print its echo, or time PINGs with --ping.")
final class ClientCommand implements Callable<Integer> {
    /** The protocol's default frame limit, which the demo server keeps unless told otherwise. */
    static final int MAX_FRAME = 1 << 20;
    private static final long CONNECT_WAIT_SECONDS = 10;

    @Spec
    CommandSpec spec;

    @Mixin
    ServerAddress server;

    @Mixin
    TlsClientOptions tls;

    @Option(names = "--ping", paramLabel = "N",
            description = "Send N PINGs one at a time and print the round trips' min, median and p99.")
    Integer pings;

    @Option(names = "--reconnect",
            description = "With --ping: when the connection cannot be made or is lost, connect again after a "
                    + "delay growing from 100 ms to 30 s with random jitter, and go on where it stopped.")
    boolean reconnect;

    @Override
    public Integer call() throws InterruptedException {
        server.validate();
        tls.validate();
        if (pings != null && pings < 1) {
            throw new ParameterException(spec.commandLine(), "--ping must be at least 1, not " + pings);
        }
        if (reconnect && pings == null) {
            // Lines typed while the connection is down could be neither sent nor kept in order.
            throw new ParameterException(spec.commandLine(), "--reconnect works with --ping");
        }
        ClientEvents events = new ClientEvents();
        Client client;
        try {
            client = tls.apply(Client.builder().transport(server.transport), Framing.lengthPrefixed(4, MAX_FRAME),
                    events, server.host).build();
        } catch (IllegalStateException e) {
            // The transport cannot run here; the library's message says why.
            System.err.println("iocp4j: " + e.getMessage());
            return Main.FAILED;
        } catch (IOException e) {
            System.err.println("iocp4j: cannot start the client: " + Failures.describe(e));
            return Main.FAILED;
        }
        try (client) {
            Reconnector reconnector = reconnect
                    ? new Reconnector(client, tls, server.host, server.port, System.err) : null;
            Connection connection = reconnector != null ? reconnector.connect() : connect(client);
            if (connection == null) {
                return Main.FAILED;
            }
            try {
                return pings != null
                        ? new PingSession(connection, events, System.out, pings, reconnector).run()
                        : new TextSession(connection, events, System.in, System.out, MAX_FRAME).run();
            } finally {
                connection.close();
            }
        }
    }

    /** The connection, or null after saying why there is none. */
    private Connection connect(Client client) throws InterruptedException {
        String target = "iocp4j: cannot connect to " + server.host + ":" + server.port + ": ";
        try {
            return tls.connect(client, server.host, server.port, CONNECT_WAIT_SECONDS);
        } catch (ExecutionException e) {
            System.err.println(target + Failures.describe(e));
        } catch (TimeoutException e) {
            System.err.println(target + "no answer within " + CONNECT_WAIT_SECONDS + " s");
        }
        return null;
    }
}
