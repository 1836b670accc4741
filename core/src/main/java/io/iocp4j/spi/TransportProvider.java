package io.iocp4j.spi;

import java.io.IOException;
import java.util.Optional;

/**
 * A transport: a way of opening completion ports on this machine. Found with {@link java.util.ServiceLoader}.
 */
public interface TransportProvider {
    /** The name users select it by: {@code nio2}, {@code uring}. */
    String name();

    /** Among available transports, automatic selection takes the highest preference. */
    int preference();

    /** Empty when this transport works here; otherwise why it does not (old kernel, disabled by sysctl, ...). */
    Optional<String> unavailableReason();

    /** What this transport uses on this machine, for the line that says which transport was chosen. */
    default String details() {
        return "";
    }

    /**
     * Whether several ports may each listen on the same address (the kernel spreading new connections over
     * them). When false, a server listens on its first port only.
     */
    boolean listensOnEveryPort();

    /** Opens one completion port with its own I/O thread. */
    CompletionPort openPort(PortConfig config) throws IOException;
}
