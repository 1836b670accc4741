package io.iocp4j.internal.balance;

import io.iocp4j.Balancing;

import java.time.Duration;

/**
 * Where new connections go and whether running ones are moved.
 *
 * @param mode              how a new connection's port is chosen
 * @param rebalanceInterval how often the rebalancer compares the ports' loads; zero turns it off
 * @param factor            the busiest port must carry more than this times the least busy one's load before
 *                          anything is moved
 */
public record BalanceSettings(Balancing mode, Duration rebalanceInterval, double factor) {
    /** The rebalancer runs at most this often: it needs a few load samples between two of its rounds. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(2 * LoadMeter.SAMPLE_MILLIS);
    public static final BalanceSettings DEFAULTS = new BalanceSettings(Balancing.LEAST_LOAD, Duration.ofSeconds(1),
            1.5);

    public BalanceSettings {
        if (mode == null) {
            throw new IllegalArgumentException("balancing=null");
        }
        if (rebalanceInterval == null || rebalanceInterval.isNegative()
                || (!rebalanceInterval.isZero() && rebalanceInterval.compareTo(MIN_INTERVAL) < 0)) {
            throw new IllegalArgumentException("rebalanceInterval=" + rebalanceInterval + " (must be 0 to turn it off, "
                    + "or at least " + MIN_INTERVAL.toMillis() + " ms)");
        }
        if (!(factor > 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("rebalanceFactor=" + factor + " (must be a number above 1)");
        }
    }

    public boolean rebalances() {
        return !rebalanceInterval.isZero();
    }

    public BalanceSettings withMode(Balancing mode) {
        return new BalanceSettings(mode, rebalanceInterval, factor);
    }

    public BalanceSettings withInterval(Duration interval) {
        return new BalanceSettings(mode, interval, factor);
    }

    public BalanceSettings withFactor(double factor) {
        return new BalanceSettings(mode, rebalanceInterval, factor);
    }
}
