package io.iocp4j.internal.engine;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * Listen and connect failures retold with the address they were about, since the kernel's words ("Address already
 * in use", "Connection refused") name none. The retelling is the same kind of exception as the original, which
 * stays attached as its cause, so a caller that tells a refusal from a timeout by type still can.
 */
public final class SocketFailures {
    private SocketFailures() {
    }

    public static IOException listening(InetSocketAddress address, IOException failure) {
        return retold("cannot listen on " + text(address) + ": " + reason(failure), failure);
    }

    public static IOException connecting(InetSocketAddress address, IOException failure) {
        return retold("cannot connect to " + text(address) + ": " + reason(failure), failure);
    }

    /** host:port, with an IPv6 literal in brackets. */
    public static String text(InetSocketAddress address) {
        String host = address.getAddress() instanceof Inet6Address ? "[" + address.getHostString() + "]"
                : address.getHostString();
        return host + ":" + address.getPort();
    }

    private static String reason(IOException failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    private static IOException retold(String message, IOException failure) {
        IOException retold = switch (failure) {
            case BindException ignored -> new BindException(message);
            case ConnectException ignored -> new ConnectException(message);
            case NoRouteToHostException ignored -> new NoRouteToHostException(message);
            case PortUnreachableException ignored -> new PortUnreachableException(message);
            case SocketTimeoutException ignored -> new SocketTimeoutException(message);
            case SocketException ignored -> new SocketException(message);
            default -> new IOException(message);
        };
        retold.initCause(failure);
        return retold;
    }
}
