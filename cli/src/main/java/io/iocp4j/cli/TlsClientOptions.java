package io.iocp4j.cli;

import io.iocp4j.Client;
import io.iocp4j.Connection;
import io.iocp4j.Handler;
import io.iocp4j.frame.Framing;
import io.iocp4j.stage.Pipeline;
import io.iocp4j.tls.Tls;
import io.iocp4j.tls.TlsSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code --tls}, {@code --ca}, {@code --insecure} and {@code --server-name}, shared by the commands that talk to a
 * server: TLS to a server started with {@code --tls-cert}, trusting one authority, the JDK's, or (for test
 * certificates) anything.
 */
final class TlsClientOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--tls",
            description = "Speak TLS to the server (one started with --tls-cert), trusting --ca, or the JDK's "
                    + "default certificate authorities without it.")
    boolean enabled;

    @Option(names = "--ca", paramLabel = "PEM",
            description = "With --tls: trust the certificate authorities in this PEM file (a self-signed "
                    + "certificate is its own authority).")
    Path authorities;

    @Option(names = "--insecure",
            description = "With --tls: trust any certificate and check no name. For test certificates only: "
                    + "anyone in the path can read and change the traffic.")
    boolean insecure;

    @Option(names = "--server-name", paramLabel = "NAME",
            description = "With --tls: the name the server's certificate must carry, also sent by SNI "
                    + "(default: --host).")
    String serverName;

    void validate() {
        if (!enabled && (authorities != null || insecure || serverName != null)) {
            String flag = authorities != null ? "--ca" : insecure ? "--insecure" : "--server-name";
            throw new ParameterException(spec.commandLine(), flag + " needs --tls");
        }
        if (authorities != null && insecure) {
            throw new ParameterException(spec.commandLine(), "--ca and --insecure exclude each other: --ca trusts "
                    + "one authority, --insecure trusts anything");
        }
        if (serverName != null && serverName.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--server-name must not be empty");
        }
    }

    /** For {@code send} and {@code get}: a file goes from disk to socket as it is, and TLS would have to change it. */
    void refuseFileTransfers() {
        validate();
        if (enabled) {
            throw new ParameterException(spec.commandLine(), "files are not transferred over TLS: a file goes from "
                    + "disk to socket as it is, past the TLS stage, so nothing could encrypt it; leave out --tls");
        }
    }

    /**
     * The client's codec {@code framing}, behind TLS to {@code host} with {@code --tls}, and its handler. Says loudly
     * that {@code --insecure} is insecure. A {@code --ca} file that cannot be used is a usage error naming it.
     */
    Client.Builder apply(Client.Builder builder, Framing framing, Handler handler, String host) {
        if (!enabled) {
            return builder.framing(framing).handler(handler);
        }
        TlsSettings settings;
        try {
            TlsSettings.Builder tls = TlsSettings.client();
            if (insecure) {
                System.err.println("iocp4j: WARNING: --insecure: the server's certificate is not checked, so anyone "
                        + "between here and the server can read and change this traffic");
                System.err.flush();
                tls.insecureTrustAnyServer();
            } else if (authorities != null) {
                if (!Files.isRegularFile(authorities) || !Files.isReadable(authorities)) {
                    throw new ParameterException(spec.commandLine(), "--ca " + authorities + ": "
                            + (Files.exists(authorities) ? "not a readable file" : "no such file"));
                }
                tls.trust(authorities);
            }
            settings = tls.build();
        } catch (IOException | GeneralSecurityException e) {
            throw new ParameterException(spec.commandLine(), ("cannot use --ca " + authorities + ": "
                    + Failures.describe(e)).replaceAll("\\s*\\R\\s*", " "));
        }
        String name = serverName != null ? serverName : host;
        return builder.pipeline(Pipeline.of(framing, Tls.client(settings, name))).handler(new TlsHandshakes(handler));
    }

    /**
     * Connects, and with {@code --tls} waits for the handshake too, all within {@code waitSeconds}; fails as a
     * connect does, with a failed handshake's error as the cause.
     */
    Connection connect(Client client, String host, int port, long waitSeconds)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        Connection connection = client.connect(host, port).get(waitSeconds, TimeUnit.SECONDS);
        if (enabled) {
            TlsHandshakes.await(connection, deadline);
        }
        return connection;
    }
}
