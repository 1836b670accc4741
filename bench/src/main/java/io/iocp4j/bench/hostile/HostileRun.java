package io.iocp4j.bench.hostile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One attack against one transport: a fresh demo server, a reading before, the witness and the sampler throughout,
 * the attackers leaving, a reading after, the serving check, then SIGTERM. Whatever the server does (runs out of
 * memory, ignores the signal), the run ends with a result and without a server process left behind.
 */
final class HostileRun {
    /** Time for a freshly started server JVM to finish starting up before the "before" reading. */
    private static final long STARTUP_SETTLE_MILLIS = 1000;

    private final Path root;
    private final HostileSettings settings;
    private final List<String> extraJvmOptions;

    HostileRun(Path root, HostileSettings settings, List<String> extraJvmOptions) {
        this.root = root;
        this.settings = settings;
        this.extraJvmOptions = extraJvmOptions;
    }

    HostileResult run(String attackName, String transport) throws InterruptedException {
        Outcome outcome = new Outcome(attackName, transport);
        try (Attack attack = AttackCatalogue.create(attackName, settings)) {
            runAgainstServer(attack, transport, outcome);
        } catch (IOException e) {
            outcome.problem("could not set up: " + e.getMessage());
        }
        return outcome.result();
    }

    private void runAgainstServer(Attack attack, String transport, Outcome outcome) throws InterruptedException {
        List<String> jvmOptions = new ArrayList<>(extraJvmOptions);
        jvmOptions.addAll(attack.jvmOptions());
        DemoServer server;
        try {
            server = DemoServer.start(root, jvmOptions, transport, attack.serverFlags());
        } catch (IOException e) {
            outcome.problem(e.getMessage());
            return;
        }
        try (server; ResourceSampler sampler = new ResourceSampler(server.pid())) {
            Thread.sleep(STARTUP_SETTLE_MILLIS);
            outcome.before = sampler.read();
            Witness witness = startWitness(server.port(), outcome);
            sampler.resetPeaks();
            try {
                attack.attack(server.port());
            } catch (Exception e) {
                outcome.problem("the attack failed: " + e);
            }
            if (attack.terminatesDuringAttack()) {
                outcome.peak = sampler.peaks();
                outcome.witness = witness == null ? null : witness.stop();
                outcome.ending = server.terminate(settings.termBoundSeconds());
                attack.leave();
            } else {
                attack.leave();
                Thread.sleep(TimeUnit.SECONDS.toMillis(settings.settleSeconds()));
                outcome.witness = witness == null ? null : witness.stop();
                outcome.after = sampler.read();
                outcome.peak = sampler.peaks();
                outcome.serving = ServingCheck.check(server.port());
                outcome.ending = server.terminate(settings.termBoundSeconds());
            }
            outcome.connected = attack.connected();
            outcome.asked = attack.asked();
            outcome.findings = attack.findings();
            outcome.shutdownReport = server.shutdownReport();
            if (server.firstError() != null) {
                outcome.problem("the server's first error: " + server.firstError());
            }
            outcome.outOfMemoryLines = server.outOfMemoryLines();
            outcome.stoppedByErrorLines = server.stoppedByErrorLines();
        } finally {
            // Also after an exception in the tool: whatever is still open goes.
            attack.leave();
        }
    }

    private static Witness startWitness(int port, Outcome outcome) {
        try {
            return new Witness(port);
        } catch (IOException e) {
            outcome.problem("the witness could not connect: " + e.getMessage());
            return null;
        }
    }

    /** The result as it is filled in; parts never reached stay empty. */
    private static final class Outcome {
        private final String attack;
        private final String transport;
        private int connected;
        private int asked;
        private ResourceSampler.Reading before;
        private ResourceSampler.Reading peak;
        private ResourceSampler.Reading after;
        private Witness.Result witness;
        private String serving = "-";
        private DemoServer.Ending ending;
        private String shutdownReport;
        private int outOfMemoryLines;
        private int stoppedByErrorLines;
        private String findings = "";
        private String problem;

        Outcome(String attack, String transport) {
            this.attack = attack;
            this.transport = transport;
        }

        void problem(String what) {
            problem = problem == null ? what : problem + "; " + what;
        }

        HostileResult result() {
            return new HostileResult(attack, transport, connected, asked, before, peak, after, witness, serving,
                    ending, shutdownReport, outOfMemoryLines, stoppedByErrorLines, findings, problem);
        }
    }
}
