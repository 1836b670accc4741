package io.iocp4j;

import io.iocp4j.frame.Framing;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Core's own tests run with no transport on the class path, as a project that forgot to add one. */
class NoTransportTest {
    @Test
    void startingAServerWithoutATransportNamesTheArtifactsToAdd() {
        assertEquals(0, Transports.installed().size(), "core's test class path is expected to hold no transport");
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> Server.builder()
                .bind("127.0.0.1", 0)
                .framing(Framing.lengthPrefixed(4, 1024))
                .handler((connection, packet) -> { })
                .start());
        assertTrue(missing.getMessage().contains("iocp4j-transport-uring"), missing::getMessage);
        assertTrue(missing.getMessage().contains("iocp4j-transport-nio2"), missing::getMessage);
    }

    @Test
    void askingForOneTransportByNameAlsoNamesTheArtifacts() {
        for (Transport transport : Transport.values()) {
            IllegalStateException missing = assertThrows(IllegalStateException.class,
                    () -> Transports.select(transport));
            assertTrue(missing.getMessage().contains("iocp4j-transport-uring"), missing::getMessage);
            assertTrue(missing.getMessage().contains("iocp4j-transport-nio2"), missing::getMessage);
        }
    }
}
