package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.JobContract;

class Nio2JobContractTest extends JobContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
