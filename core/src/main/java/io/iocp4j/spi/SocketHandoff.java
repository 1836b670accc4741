package io.iocp4j.spi;

/**
 * A socket on its way from one completion port to another of the same transport: what
 * {@link TransportSocket#handOff()} leaves and {@link CompletionPort#adopt(SocketHandoff)} takes. It holds the open
 * descriptor and nothing else; whoever has it must adopt it (or close it through {@link #closeUnadopted()}).
 */
public interface SocketHandoff {
    /** Closes the socket without a port, when it can no longer be adopted (its target port is gone). */
    void closeUnadopted();
}
