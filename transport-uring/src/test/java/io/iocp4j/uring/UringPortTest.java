package io.iocp4j.uring;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.spi.CompletionPort;
import io.iocp4j.spi.PortConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class UringPortTest {
    @Test
    void runsATaskPostedFromAnotherThread() throws Exception {
        CompletionPort port = new UringTransportProvider().openPort(
                new PortConfig("test-port", new BufferPool(), (u, r, f, b) -> { }));
        CountDownLatch ran = new CountDownLatch(1);
        Thread.sleep(200);
        port.execute(ran::countDown);
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        port.shutdown();
        assertTrue(port.awaitTermination(Duration.ofSeconds(5)));
    }
}
