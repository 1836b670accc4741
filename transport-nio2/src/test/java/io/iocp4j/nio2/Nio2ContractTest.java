package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.TransportContract;

class Nio2ContractTest extends TransportContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
