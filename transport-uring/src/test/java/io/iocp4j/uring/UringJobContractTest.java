package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.JobContract;

class UringJobContractTest extends JobContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
