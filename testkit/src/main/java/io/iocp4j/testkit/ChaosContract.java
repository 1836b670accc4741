package io.iocp4j.testkit;

import io.iocp4j.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hundred thousand connection lifetimes on one server, each ended one of {@link LifetimeEndings}' ways at a
 * random moment; then the invariants: as many onDisconnect as onConnect, each exactly once per connection (checked
 * after every test), no exception escaped to any thread, every lease back, every slot free. The count can be
 * changed with {@code -Diocp4j.chaos.lifetimes=N}.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
public abstract class ChaosContract extends ContractSupport {
    private static final int LIFETIMES = Integer.getInteger("iocp4j.chaos.lifetimes", 100_000);

    @Test
    void aHundredThousandLifetimesEndedEveryWayLeaveNothingBehind() throws Exception {
        ConcurrentLinkedQueue<Throwable> escaped = new ConcurrentLinkedQueue<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> escaped.add(error));
        try (LifetimeEndings endings = new LifetimeEndings()) {
            Server server = startServer(endings.serverHandler(serverLedger));
            PeerRounds.run(16, LIFETIMES, Duration.ofSeconds(480),
                    (n, random) -> endings.oneLifetime(server.localAddress(), random));
            assertTrue(serverLedger.awaitAllDisconnected(30, TimeUnit.SECONDS), "every connection ended");
            assertEquals(LIFETIMES, serverLedger.connectCount());
            assertEquals(LIFETIMES, serverLedger.disconnectCount());
            assertEquals(List.of(), serverLedger.errors(), "handler errors");
            assertEquals(0, server.handlerErrors());
            assertEquals(0, endings.sendsAcceptedAfterClose(), "a closed connection took a send");
            awaitPoolEmpty(server);
            assertEquals(0, server.connectionCount(), "slots in use");
            System.out.println(getClass().getSimpleName() + ": " + LIFETIMES + " lifetimes, "
                    + server.staleCompletions() + " stale completions counted and ignored");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertEquals(List.of(), List.copyOf(escaped), "exceptions that escaped to a thread");
    }
}
