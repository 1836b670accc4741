package io.iocp4j.cli;

import io.iocp4j.Handler;
import io.iocp4j.frame.Framing;
import io.iocp4j.stage.Pipeline;
import io.iocp4j.stage.StageFactory;
import io.iocp4j.tls.Tls;
import io.iocp4j.tls.TlsKeys;
import io.iocp4j.tls.TlsSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --tls-cert} and {@code --tls-key}: TLS on the server's packet and chat ports, the keys read again when
 * their files change. The raw echo port stays plain: it is there for any byte-level tool.
 */
final class TlsServerOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "TLS on the packet and chat ports with this certificate chain (PEM, the server's own "
                    + "certificate first); needs --tls-key. Read again when it changes.")
    Path certificate;

    @Option(names = "--tls-key", paramLabel = "PEM",
            description = "The private key of --tls-cert (PEM, unencrypted PKCS#8). Read again when it changes.")
    Path key;

    /** The server's TLS, made by {@link #validate} from the files; null without {@code --tls-cert}. */
    private StageFactory stage;

    boolean enabled() {
        return certificate != null;
    }

    /**
     * Both flags or neither, and files that hold a certificate and its key: a file that cannot be used is a usage
     * error naming it. TLS and {@code --dir} do not go together, as files are sent from disk as they are.
     */
    void validate(boolean servesFiles) {
        if ((certificate == null) != (key == null)) {
            throw new ParameterException(spec.commandLine(), certificate == null
                    ? "--tls-key needs --tls-cert, the certificate that goes with the key"
                    : "--tls-cert needs --tls-key, the private key of the certificate");
        }
        if (!enabled()) {
            return;
        }
        if (servesFiles) {
            throw new ParameterException(spec.commandLine(), "--dir cannot be used with --tls-cert: a file goes "
                    + "from disk to socket as it is, so it cannot be sent over TLS");
        }
        requireReadable("--tls-cert", certificate);
        requireReadable("--tls-key", key);
        try {
            TlsKeys keys = TlsKeys.pem(certificate, key).onReloadFailure(e -> {
                System.err.println(oneLine("iocp4j: TLS keys not reloaded from " + certificate + " and " + key
                        + ", the previous ones stay in use: " + Failures.describe(e)));
                System.err.flush();
            });
            stage = Tls.server(TlsSettings.server(keys).build());
        } catch (IOException | GeneralSecurityException e) {
            throw new ParameterException(spec.commandLine(), oneLine("cannot use --tls-cert " + certificate
                    + " with --tls-key " + key + ": " + Failures.describe(e)));
        }
    }

    /**
     * {@code framing} behind TLS (with {@code --tls-cert}), behind the stages that come before TLS on the wire
     * ({@code first}: a balancer's PROXY header).
     */
    Pipeline pipeline(Framing framing, List<StageFactory> first) {
        List<StageFactory> stages = new ArrayList<>(first);
        if (stage != null) {
            stages.add(stage);
        }
        return new Pipeline(framing, stages);
    }

    /** {@code handler} for a TLS port: each failed handshake said in one line. */
    Handler handler(Handler handler) {
        return stage == null ? handler : TlsFailureLines.around(handler);
    }

    private void requireReadable(String flag, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ParameterException(spec.commandLine(), flag + " " + file + ": "
                    + (Files.exists(file) ? "not a readable file" : "no such file"));
        }
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ");
    }
}
