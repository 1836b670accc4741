package io.iocp4j.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/** Socket addresses as the program prints them, and which of several could not be listened on. */
final class Addresses {
    private Addresses() {
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    static String format(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * The address, of those a server was asked to listen on, that cannot be bound now. A bind failure does not
     * say which address it was about, so each one with a fixed port is tried again on its own, in order. When all
     * of them bind now (the other holder has just let go), the first is named.
     */
    static InetSocketAddress unbindable(List<InetSocketAddress> asked) {
        for (InetSocketAddress address : asked) {
            if (address.getPort() != 0 && !canBind(address)) {
                return address;
            }
        }
        return asked.getFirst();
    }

    private static boolean canBind(InetSocketAddress address) {
        try (ServerSocket probe = new ServerSocket()) {
            // As the server's own listeners do, so a connection lingering in TIME_WAIT does not count as in use.
            probe.setReuseAddress(true);
            probe.bind(address, 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
