package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.job.Ordering;
import io.iocp4j.testkit.BalancingContract;

/**
 * Moves with handlers on workers, replies released in order: jobs still pending or running while a connection moves
 * release their replies to it on its new port, in order.
 */
class Nio2BalancingOnWorkersTest extends BalancingContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }

    @Override
    protected int workers() {
        return 3;
    }

    @Override
    protected Ordering ordering() {
        return Ordering.ORDERED_REPLIES;
    }
}
