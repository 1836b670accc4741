package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.TimeoutContract;

class Nio2TimeoutContractTest extends TimeoutContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
