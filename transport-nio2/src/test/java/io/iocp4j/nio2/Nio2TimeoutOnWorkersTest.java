package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.job.Ordering;
import io.iocp4j.testkit.TimeoutContract;

/** The same policies with handlers on workers, replies released in order: the hooks still run on the I/O thread. */
class Nio2TimeoutOnWorkersTest extends TimeoutContract {
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
