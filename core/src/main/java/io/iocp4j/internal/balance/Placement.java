package io.iocp4j.internal.balance;

import io.iocp4j.PortStats;
import io.iocp4j.internal.connection.RealConnection;
import io.iocp4j.spi.CompletionPort;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Which port a connection lives on, and when it moves: each port's load as any thread may read it, the meters that
 * measure it on the port threads, the rebalancer that moves running connections, and the choice of a port for a new
 * one. The engine tells it of every connection that joins a port, leaves it or is released.
 */
public final class Placement {
    private final CompletionPort[] ports;
    /** A transport that pays for every move of a socket keeps an accepted one where it is unless clearly worse. */
    private final boolean socketsMoveFreely;
    private final BooleanSupplier stopped;
    private final PortLoad portLoad;
    /** One per port: its connections and their load. */
    private final LoadMeter[] meters;
    private final LongAdder migrations = new LongAdder();
    /** Set before the first listener opens or connect starts. */
    private volatile BalanceSettings balance = BalanceSettings.DEFAULTS;

    /** {@code stopped}: true once the engine shuts down, when sampling and moving end. */
    public Placement(CompletionPort[] ports, boolean socketsMoveFreely, BooleanSupplier stopped) {
        this.ports = ports;
        this.socketsMoveFreely = socketsMoveFreely;
        this.stopped = stopped;
        this.portLoad = new PortLoad(ports.length);
        this.meters = new LoadMeter[ports.length];
    }

    /** Once the port {@code index} is open: its meter is made. */
    public void portOpened(int index) {
        meters[index] = new LoadMeter(stopped, index, ports[index], portLoad);
    }

    /**
     * Chooses how new connections are placed and whether running ones are moved. Called once, before the first
     * listener opens or connect starts; meters sample each port from then on, and the rebalancer (when it runs)
     * moves connections on the first port's timer.
     */
    public void apply(BalanceSettings settings) {
        this.balance = settings;
        boolean rebalancing = settings.rebalances() && ports.length > 1;
        for (LoadMeter meter : meters) {
            meter.start(rebalancing);
        }
        if (rebalancing) {
            new Rebalancer(stopped, ports, meters, settings.rebalanceInterval().toNanos(), settings.factor()).start();
        }
    }

    /** The port for a connection about to be made. */
    public int choose() {
        return portLoad.choose(balance.mode());
    }

    /**
     * The port a socket accepted on {@code accepting} should live on. A transport that pays for every move of a
     * socket keeps it where it was accepted unless the chosen port is clearly better.
     */
    public int placeAccepted(int accepting) {
        if (ports.length == 1) {
            return accepting;
        }
        BalanceSettings settings = balance;
        int chosen = portLoad.choose(settings.mode());
        if (chosen != accepting && !socketsMoveFreely
                && !portLoad.clearlyBetter(settings.mode(), chosen, accepting, settings.factor())) {
            return accepting;
        }
        return chosen;
    }

    /** The port thread of {@code port}: a new connection is counted and measured there. */
    public void added(RealConnection connection, int port) {
        portLoad.added(port);
        meters[port].add(connection);
    }

    /** The port thread of {@code from}, as a connection leaves it for {@code to}. */
    public void left(RealConnection connection, int from, int to, boolean started) {
        meters[from].remove(connection);
        portLoad.moved(from, to, connection.load());
        if (started) {
            migrations.increment();
        }
    }

    /** The port thread of {@code port}, as a connection arrives there. */
    public void arrived(RealConnection connection, int port) {
        meters[port].add(connection);
    }

    /** The port thread of {@code port}: the connection was released there. */
    public void removed(RealConnection connection, int port) {
        portLoad.removed(port);
        meters[port].remove(connection);
    }

    /**
     * Any thread: asks {@code connection} (null when it is gone) to move to port {@code target}. The move is carried
     * out by its current port, after the operations in flight there; the future tells whether it began (false when
     * the connection is gone, closing, in a file transfer, moving already, or on that port).
     */
    public CompletableFuture<Boolean> move(RealConnection connection, int target) {
        if (target < 0 || target >= ports.length) {
            throw new IllegalArgumentException("port=" + target + " (this engine has ports 0 to "
                    + (ports.length - 1) + ")");
        }
        CompletableFuture<Boolean> begun = new CompletableFuture<>();
        if (connection == null) {
            begun.complete(false);
            return begun;
        }
        connection.runOnPort(() -> begun.complete(connection.moveTo(target)));
        return begun;
    }

    /** Each port's connections and measured load now. */
    public List<PortStats> portStats() {
        List<PortStats> stats = new ArrayList<>(ports.length);
        for (int i = 0; i < ports.length; i++) {
            stats.add(new PortStats(i, portLoad.connections(i), portLoad.load(i)));
        }
        return stats;
    }

    /** Open connections moved from one port to another since the start. */
    public long migrations() {
        return migrations.sum();
    }
}
