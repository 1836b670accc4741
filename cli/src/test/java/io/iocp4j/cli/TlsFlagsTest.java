package io.iocp4j.cli;

import io.iocp4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TLS flags refused before anything starts, run in this JVM: each refusal is one line naming the flag or the
 * file, then the usual hint, and exit code 2.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsFlagsTest {
    @TempDir
    static Path directory;
    private static TestCertificates.Issued localhost;

    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private PrintStream realErr;

    @BeforeAll
    static void issueCertificate() throws Exception {
        localhost = TestCertificates.localhost(directory, "localhost");
    }

    @BeforeEach
    void captureErrors() {
        realErr = System.err;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreErrors() {
        System.setErr(realErr);
    }

    @Test
    void theServerTakesBothTlsFlagsOrNeither() {
        assertRefused("iocp4j: --tls-cert needs --tls-key, the private key of the certificate",
                "server", "--tls-cert", certificate());
        assertRefused("iocp4j: --tls-key needs --tls-cert, the certificate that goes with the key",
                "server", "--tls-key", key());
    }

    @Test
    void aTlsFileThatCannotBeUsedIsNamed() {
        Path missing = directory.resolve("missing.pem");
        assertRefused("iocp4j: --tls-cert " + missing + ": no such file",
                "server", "--tls-cert", missing.toString(), "--tls-key", key());
        assertRefused("iocp4j: --tls-key " + directory + ": not a readable file",
                "server", "--tls-cert", certificate(), "--tls-key", directory.toString());
        assertRefused("iocp4j: cannot use --tls-cert " + key() + " with --tls-key " + key() + ": " + key()
                + " holds no PEM CERTIFICATE block", "server", "--tls-cert", key(), "--tls-key", key());
        assertRefused("iocp4j: cannot use --tls-cert " + certificate() + " with --tls-key " + certificate() + ": "
                        + certificate() + " must hold exactly one PEM PRIVATE KEY block",
                "server", "--tls-cert", certificate(), "--tls-key", certificate());
    }

    @Test
    void theServerDoesNotServeFilesOverTls() {
        assertRefused("iocp4j: --dir cannot be used with --tls-cert: a file goes from disk to socket as it is, so it "
                + "cannot be sent over TLS", "server", "--tls-cert", certificate(), "--tls-key", key(),
                "--dir", directory.toString());
    }

    @Test
    void theClientsTlsFlagsNeedTlsAndOneTrust() {
        assertRefused("iocp4j: --ca needs --tls", "client", "--ca", certificate());
        assertRefused("iocp4j: --insecure needs --tls", "client", "--insecure");
        assertRefused("iocp4j: --server-name needs --tls", "client", "--server-name", "localhost");
        assertRefused("iocp4j: --ca and --insecure exclude each other: --ca trusts one authority, --insecure "
                + "trusts anything", "client", "--tls", "--ca", certificate(), "--insecure");
        Path missing = directory.resolve("missing-ca.pem");
        assertRefused("iocp4j: --ca " + missing + ": no such file", "client", "--tls", "--ca", missing.toString());
        assertRefused("iocp4j: cannot use --ca " + key() + ": " + key() + " holds no PEM CERTIFICATE block",
                "client", "--tls", "--ca", key());
    }

    @Test
    void sendAndGetRefuseTlsAndSayWhy() {
        String why = "iocp4j: files are not transferred over TLS: a file goes from disk to socket as it is, past "
                + "the TLS stage, so nothing could encrypt it; leave out --tls";
        assertRefused(why, "send", certificate(), "--tls", "--ca", certificate());
        assertRefused(why, "get", "some-file", "--tls", "--insecure", "--out", directory.toString());
        assertRefused("iocp4j: --ca needs --tls", "send", certificate(), "--ca", certificate());
    }

    private void assertRefused(String line, String... args) {
        errors.reset();
        assertEquals(Main.BAD_USAGE, Main.run(args), String.join(" ", args));
        List<String> said = errors.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, said.size(), "one line and the hint: " + said);
        assertEquals(line, said.get(0));
        assertTrue(said.get(1).startsWith("Try 'iocp4j " + args[0] + " --help'"), said.get(1));
    }

    private static String certificate() {
        return localhost.certificatePem().toString();
    }

    private static String key() {
        return localhost.keyPem().toString();
    }
}
