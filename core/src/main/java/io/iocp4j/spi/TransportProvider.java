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

    /**
     * Whether a listening socket can set SO_REUSEPORT, so that servers in several processes (or several listeners
     * in one) share an address and the kernel spreads new connections over them.
     */
    default boolean supportsReusePort() {
        return listensOnEveryPort();
    }

    /**
     * Whether a socket handed to another port costs nothing afterwards. When false (NIO.2, whose channels stay
     * in the group that opened them), a moved socket's completions still arrive on its first port's thread and
     * hop to the new one: handling moves, the kernel-side wait does not. Balancing then moves sockets only to
     * correct a real imbalance, not to follow a round-robin.
     */
    default boolean socketsMoveFreely() {
        return true;
    }

    /** Opens one completion port with its own I/O thread. */
    CompletionPort openPort(PortConfig config) throws IOException;
}
