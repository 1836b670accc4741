package io.iocp4j.cli;

import io.iocp4j.Balancing;

/** {@code --balancing}: {@code round-robin}, {@code least-connections} or {@code least-load}. */
final class BalancingOption extends KebabEnumOption<Balancing> {
    BalancingOption() {
        super(Balancing.class, "a balancing mode");
    }
}
