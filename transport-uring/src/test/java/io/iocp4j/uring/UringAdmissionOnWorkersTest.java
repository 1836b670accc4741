package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.job.Ordering;
import io.iocp4j.testkit.AdmissionContract;

/** The same policies with handlers on workers, replies released in order: the hooks still run on the I/O thread. */
class UringAdmissionOnWorkersTest extends AdmissionContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
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
