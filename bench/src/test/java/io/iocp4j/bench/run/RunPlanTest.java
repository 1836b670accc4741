package io.iocp4j.bench.run;

import io.iocp4j.bench.Arguments;
import io.iocp4j.bench.load.LoadGenerator.Mode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which servers run which workloads: plain with plain, TLS with TLS, and a server or workload alone is refused. */
class RunPlanTest {
    @Test
    void theCatalogueHasTheThreeTlsWorkloads() {
        Workload pingPong = Workload.catalogue(false).get("tls-ping-pong-100");
        Workload pipeline = Workload.catalogue(false).get("tls-pipeline");
        Workload handshakes = Workload.catalogue(false).get("tls-handshakes");

        assertEquals(new Workload("tls-ping-pong-100", Mode.PING_PONG, 100, 64, 1, pingPong.title(), true), pingPong);
        assertEquals(new Workload("tls-pipeline", Mode.PIPELINE, 10, 4096, 16, pipeline.title(), true), pipeline);
        assertEquals(Mode.HANDSHAKES, handshakes.mode());
        assertTrue(handshakes.tls());
        assertEquals(List.of("tls-ping-pong-100", "tls-pipeline", "tls-handshakes"),
                Workload.ofKind(true, false).stream().map(Workload::name).toList());
        assertTrue(Workload.ofKind(false, false).stream().noneMatch(Workload::tls));
    }

    @Test
    void handshakesAreOnlyEverTls() {
        assertThrows(IllegalArgumentException.class,
                () -> new Workload("handshakes", Mode.HANDSHAKES, 10, 64, 1, "plain handshakes?"));
    }

    @Test
    void eachWorkloadRunsOnTheServersOfItsKindInTheOrderNamed() {
        RunPlan plan = plan("--servers", "iocp4j-uring,netty-io_uring-tls,iocp4j-uring-tls,netty-io_uring",
                "--workloads", "ping-pong-100,tls-handshakes");

        assertEquals(List.of("iocp4j-uring", "netty-io_uring"), plan.serversFor(plan.workloads().get(0)));
        assertEquals(List.of("netty-io_uring-tls", "iocp4j-uring-tls"), plan.serversFor(plan.workloads().get(1)));
        assertTrue(plan.hasTls());
    }

    @Test
    void tlsServersAloneGetTheTlsWorkloads() {
        RunPlan plan = plan("--servers", "iocp4j-uring-tls,netty-io_uring-tls");

        assertEquals(List.of("tls-ping-pong-100", "tls-pipeline", "tls-handshakes"),
                plan.workloads().stream().map(Workload::name).toList());
    }

    @Test
    void tlsWorkloadsAloneGetTheTlsServersWithIocp4jFirst() {
        RunPlan plan = plan("--workloads", "tls-ping-pong-100,tls-pipeline");

        assertEquals("iocp4j-uring-tls", plan.servers().getFirst());
        assertTrue(plan.servers().containsAll(List.of("netty-io_uring-tls", "iocp4j-nio2-tls")), plan.toString());
        assertTrue(plan.servers().stream().allMatch(server -> server.contains("-tls")), plan.toString());
    }

    @Test
    void plainServersAloneKeepThePlainWorkloads() {
        RunPlan plan = plan("--servers", "iocp4j-uring,netty-io_uring");

        assertFalse(plan.hasTls());
        assertEquals(List.of("ping-pong-1", "ping-pong-100", "ping-pong-1000", "pipeline", "idle"),
                plan.workloads().stream().map(Workload::name).toList());
    }

    @Test
    void refusesATlsWorkloadWithoutATlsServer() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> plan("--servers", "netty-epoll", "--workloads", "tls-pipeline"));

        assertTrue(refused.getMessage().startsWith("tls-pipeline is a TLS workload and runs against TLS servers"
                + " alone"), refused.getMessage());
        assertTrue(refused.getMessage().contains("iocp4j-uring-tls"), refused.getMessage());
    }

    @Test
    void refusesAPlainWorkloadWithoutAPlainServer() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> plan("--servers", "iocp4j-uring-tls", "--workloads", "tls-pipeline,ping-pong-100"));

        assertTrue(refused.getMessage().startsWith("ping-pong-100 is a plain TCP workload"), refused.getMessage());
    }

    @Test
    void refusesAServerWithNoWorkloadOfItsKind() {
        IllegalArgumentException plainServer = assertThrows(IllegalArgumentException.class,
                () -> plan("--servers", "iocp4j-uring,iocp4j-uring-tls", "--workloads", "tls-handshakes"));
        IllegalArgumentException tlsServer = assertThrows(IllegalArgumentException.class,
                () -> plan("--servers", "iocp4j-uring,netty-io_uring-tls", "--workloads", "pipeline"));

        assertEquals("iocp4j-uring is a plain TCP server and runs the plain workloads alone (ping-pong-1,"
                + " ping-pong-100, ping-pong-1000, pipeline, idle); none is in --workloads", plainServer.getMessage());
        assertEquals("netty-io_uring-tls is a TLS server and runs the TLS workloads alone (tls-ping-pong-100,"
                + " tls-pipeline, tls-handshakes); none is in --workloads", tlsServer.getMessage());
    }

    @Test
    void refusesAnUnknownServer() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> plan("--servers", "iocp4j-tls"));

        assertTrue(refused.getMessage().contains("no server named iocp4j-tls"), refused.getMessage());
    }

    private static RunPlan plan(String... options) {
        List<String> arguments = new java.util.ArrayList<>(Arrays.asList(options));
        // The Java generator: the default would build the C one with gcc first.
        arguments.addAll(List.of("--generator", "java"));
        return RunPlan.from(new Arguments(arguments));
    }
}
