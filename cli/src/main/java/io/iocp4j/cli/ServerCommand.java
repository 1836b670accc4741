package io.iocp4j.cli;

import io.iocp4j.Server;
import io.iocp4j.Transport;
import io.iocp4j.frame.Framing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code iocp4j server}: the demo server, packet port and raw echo port. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Serve the iocp4j wire protocol, and raw echo, until interrupted.")
final class ServerCommand implements Callable<Integer> {
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "7000", description = "Packet port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--raw-echo-port", defaultValue = "7001",
            description = "Raw echo port; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int rawEchoPort;

    @Option(names = "--max-frame", defaultValue = "1048576",
            description = "Largest frame length accepted (default: ${DEFAULT-VALUE}).")
    int maxFrame;

    @Option(names = "--transport", defaultValue = "auto", description = "auto, nio2 or uring (default: ${DEFAULT-VALUE}).")
    Transport transport;

    @Option(names = "--io-threads", defaultValue = "1", description = "Completion ports, one I/O thread each (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Override
    public Integer call() throws IOException, InterruptedException {
        validate();
        Server.Builder builder = Server.builder()
                .transport(transport)
                .ioThreads(ioThreads)
                .bind(host, port, Framing.lengthPrefixed(4, maxFrame), new PacketHandler(maxFrame));
        if (rawEchoPort != 0) {
            builder.bind(host, rawEchoPort, Framing.none(), new EchoHandler());
        }
        Server server;
        try {
            server = builder.start();
        } catch (IOException e) {
            System.err.println("iocp4j: cannot listen on " + host + ":" + port
                    + (rawEchoPort != 0 ? " and " + rawEchoPort : "") + ": " + Failures.describe(e));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown(SHUTDOWN_GRACE);
            stopped.countDown();
        }, "iocp4j-signal"));
        System.out.println(readyLine(server));
        System.out.flush();
        stopped.await();
        return 0;
    }

    private String readyLine(Server server) {
        List<InetSocketAddress> addresses = server.localAddresses();
        StringBuilder line = new StringBuilder("iocp4j server ready: packets on ").append(format(addresses.get(0)));
        if (addresses.size() > 1) {
            line.append(", raw echo on ").append(format(addresses.get(1)));
        }
        return line.append(", transport ").append(server.transport())
                .append(", ").append(ioThreads).append(ioThreads == 1 ? " I/O thread" : " I/O threads")
                .toString();
    }

    private static String format(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private void validate() {
        requireRange("--port", port, 0, 65535);
        requireRange("--raw-echo-port", rawEchoPort, 0, 65535);
        requireRange("--max-frame", maxFrame, 1, Integer.MAX_VALUE);
        requireRange("--io-threads", ioThreads, 1, 256);
        if (port != 0 && port == rawEchoPort) {
            throw new ParameterException(spec.commandLine(),
                    "--port and --raw-echo-port are both " + port + "; give them different ports");
        }
    }

    private void requireRange(String flag, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(),
                    flag + " must be between " + min + " and " + max + ", not " + value);
        }
    }
}
