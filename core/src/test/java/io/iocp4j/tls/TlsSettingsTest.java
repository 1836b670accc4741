package io.iocp4j.tls;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLEngine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsSettingsTest {
    @Test
    void enginesOfferOnlyTheCipherSuitesGiven() throws Exception {
        TlsSettings settings = TlsSettings.client().protocols("TLSv1.3").cipherSuites("TLS_AES_128_GCM_SHA256")
                .build();

        SSLEngine engine = settings.newEngine("localhost", 443);

        assertArrayEquals(new String[] {"TLS_AES_128_GCM_SHA256"}, engine.getEnabledCipherSuites());
        assertArrayEquals(new String[] {"TLSv1.3"}, engine.getEnabledProtocols());
    }

    @Test
    void withoutCipherSuitesEnginesKeepTheJdksDefaults() throws Exception {
        SSLEngine engine = TlsSettings.client().build().newEngine("localhost", 443);

        assertTrue(engine.getEnabledCipherSuites().length > 1, "the JDK's default suites");
    }

    @Test
    void refusesACipherSuiteTheJdkDoesNotKnowAndAnEmptyList() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> TlsSettings.client().cipherSuites("TLS_NO_SUCH_SUITE").build());
        assertTrue(unknown.getMessage().contains("cipherSuite=TLS_NO_SUCH_SUITE"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsSettings.client().cipherSuites());
    }
}
