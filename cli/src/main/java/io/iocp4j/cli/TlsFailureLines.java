package io.iocp4j.cli;

import io.iocp4j.Connection;
import io.iocp4j.ForwardingHandler;
import io.iocp4j.Handler;
import io.iocp4j.file.FileHandler;

import javax.net.ssl.SSLException;

/**
 * A TLS port's failed handshakes, each said in one line on standard error rather than logged as a handler failure
 * with a stack trace: a peer that speaks plaintext, distrusts the certificate or goes silent is an expected
 * outcome, and the server serves on.
 */
final class TlsFailureLines {
    private TlsFailureLines() {
    }

    /** {@code handler}, its connections' TLS failures said in one line; a file handler stays one. */
    static Handler around(Handler handler) {
        return handler instanceof FileHandler ? new OnFiles(handler) : new OnPackets(handler);
    }

    /** True when {@code error} was a TLS failure, now said. */
    private static boolean said(Connection connection, Throwable error) {
        if (!(error instanceof SSLException)) {
            return false;
        }
        System.err.println(("iocp4j: TLS with " + Addresses.format(connection.remoteAddress()) + " failed: "
                + Failures.describe(error)).replaceAll("\\s*\\R\\s*", " "));
        return true;
    }

    private static final class OnPackets extends ForwardingHandler {
        OnPackets(Handler inner) {
            super(inner);
        }

        @Override
        public void onError(Connection connection, Throwable error) {
            if (!said(connection, error)) {
                super.onError(connection, error);
            }
        }
    }

    private static final class OnFiles extends HandlerDecorator {
        OnFiles(Handler inner) {
            super(inner);
        }

        @Override
        public void onError(Connection connection, Throwable error) {
            if (!said(connection, error)) {
                super.onError(connection, error);
            }
        }
    }
}
