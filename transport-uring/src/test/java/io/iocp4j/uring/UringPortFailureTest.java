package io.iocp4j.uring;

import io.iocp4j.Server;
import io.iocp4j.ShutdownReport;
import io.iocp4j.Transport;
import io.iocp4j.testkit.FrameSocket;
import io.iocp4j.testkit.LedgerHandler;
import io.iocp4j.testkit.LifetimeLedger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UringPortFailureTest {
    @Test
    void anErrorThatEndsTheOnlyIoThreadShutsTheServerDownInsteadOfLeavingItAcceptingForNothing() throws Exception {
        Assumptions.assumeTrue(Transport.URING.unavailableReason().isEmpty());
        LifetimeLedger ledger = new LifetimeLedger();
        Server server = Server.builder()
                .bind("127.0.0.1", 0)
                .transport(Transport.URING)
                .handler(new LedgerHandler(ledger, (connection, packet) -> {
                    // An Error is not the handler's to survive: the I/O loop rethrows it and its thread ends.
                    throw new InternalError("injected into the I/O thread");
                }))
                .start();
        try (FrameSocket victim = new FrameSocket(server.localAddress())) {
            victim.send(new byte[]{1});
            ShutdownReport report = server.terminated().get(30, TimeUnit.SECONDS);
            assertTrue(server.failure().isPresent(), "the server says why it ended");
            assertInstanceOf(InternalError.class, server.failure().get());
            assertTrue(report.took().toSeconds() < 10, "a failed port is not waited for: " + report.took());
            assertEquals(1, ledger.errors().size(), "the handler heard the error before the thread ended");
        }
    }
}
