package io.iocp4j.bench.hostile;

/**
 * An attack made of many attacker connections: it counts how many were asked for and opened, lets them all go when
 * it leaves, and adds the failures met while opening them to its findings.
 */
abstract class ConnectionsAttack implements Attack {
    final int connections;
    /** Null until the attack opened its connections. */
    AttackerConnections opened;

    ConnectionsAttack(int connections) {
        this.connections = connections;
    }

    @Override
    public void leave() throws InterruptedException {
        if (opened != null) {
            opened.closeAll();
        }
    }

    @Override
    public int connected() {
        return opened == null ? 0 : opened.connected();
    }

    @Override
    public int asked() {
        return connections;
    }

    /** The failures met while opening, as "; ..." to end a findings line, or nothing. */
    String failuresSuffix() {
        String failures = opened == null ? "" : opened.failures();
        return failures.isEmpty() ? "" : "; " + failures;
    }
}
