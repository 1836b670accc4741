package io.iocp4j.uring;

import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.PortConfig;
import io.iocp4j.spi.TransportProvider;

import java.io.IOException;
import java.util.Optional;

/** The io_uring transport: preferred wherever the kernel probe passes. */
public final class UringTransportProvider implements TransportProvider {
    @Override
    public String name() {
        return "uring";
    }

    @Override
    public int preference() {
        return 20;
    }

    @Override
    public Optional<String> unavailableReason() {
        return UringProbe.unavailableReason();
    }

    @Override
    public String details() {
        return UringProbe.kernelDescription();
    }

    /** Linux lets listening sockets share an address with SO_REUSEPORT, spreading connections over the ports. */
    @Override
    public boolean listensOnEveryPort() {
        return true;
    }

    @Override
    public CompletionPort openPort(PortConfig config) throws IOException {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) {
            throw new IOException("io_uring is not available: " + reason.get());
        }
        return new UringPort(config, UringSettings.fromSystemProperties());
    }
}
