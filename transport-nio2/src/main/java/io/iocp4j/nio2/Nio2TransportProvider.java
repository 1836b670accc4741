package io.iocp4j.nio2;

import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.PortConfig;
import io.iocp4j.spi.TransportProvider;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.util.Optional;

/** The NIO.2 transport: available wherever the JDK is. */
public final class Nio2TransportProvider implements TransportProvider {
    private static final boolean REUSE_PORT = probeReusePort();

    @Override
    public String name() {
        return "nio2";
    }

    @Override
    public int preference() {
        return 10;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /**
     * An accepted NIO.2 channel stays in the group of its listener, so spreading connections over ports needs a
     * listener on each, sharing the address through SO_REUSEPORT where the platform has it.
     */
    @Override
    public boolean listensOnEveryPort() {
        return REUSE_PORT;
    }

    /** A channel cannot leave the group that opened it: a moved socket's completions hop to its new port. */
    @Override
    public boolean socketsMoveFreely() {
        return false;
    }

    @Override
    public CompletionPort openPort(PortConfig config) throws IOException {
        return new Nio2Port(config);
    }

    private static boolean probeReusePort() {
        try (AsynchronousServerSocketChannel probe = AsynchronousServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }
}
