package io.iocp4j.cli;

import io.iocp4j.Server;
import io.iocp4j.stage.StageFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.net.InetSocketAddress;
import java.util.List;

/** The demo server's chat port: off unless a port is given, and the longest line it takes. */
final class ChatOptions {
    /** Far beyond any chat line, and still a bounded buffer per connection. */
    static final int MAX_LINE_LIMIT = 1 << 20;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--chat-port", defaultValue = "0", paramLabel = "P",
            description = "Line-based chat port: each line a client sends goes to every other chat client, "
                    + "prefixed by its name (/nick NAME); 0 turns it off (default: ${DEFAULT-VALUE}, off).")
    int chatPort;

    @Option(names = "--max-line", defaultValue = "8192", paramLabel = "BYTES",
            description = "Longest chat line, without its end (\\n or \\r\\n); a longer one closes its sender "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxLine;

    boolean enabled() {
        return chatPort != 0;
    }

    void validate(int... otherPorts) {
        if (chatPort < 0 || chatPort > 65535) {
            throw new ParameterException(spec.commandLine(), "--chat-port must be between 0 and 65535, not "
                    + chatPort);
        }
        if (maxLine < 1 || maxLine > MAX_LINE_LIMIT) {
            throw new ParameterException(spec.commandLine(), "--max-line must be between 1 and " + MAX_LINE_LIMIT
                    + ", not " + maxLine);
        }
        for (int other : otherPorts) {
            if (chatPort != 0 && chatPort == other) {
                throw new ParameterException(spec.commandLine(), "--chat-port " + chatPort
                        + " is taken by another of the server's ports; give it one of its own");
            }
        }
    }

    /**
     * Binds the chat port on {@code host}, when it is on: the stages {@code first} (the PROXY header), then the
     * server's TLS, below its lines. The address, or none.
     */
    List<InetSocketAddress> bind(Server.Builder builder, String host, List<StageFactory> first, TlsServerOptions tls) {
        if (!enabled()) {
            return List.of();
        }
        InetSocketAddress address = new InetSocketAddress(host, chatPort);
        builder.bind(address, tls.pipeline(new ChatFraming(maxLine), first), tls.handler(new ChatRoom(maxLine)));
        return List.of(address);
    }

    /** The ready line's part naming the chat port, bound at {@code address}; nothing when it is off. */
    String readyPart(InetSocketAddress address) {
        return enabled() ? ", chat on " + Addresses.format(address) : "";
    }
}
