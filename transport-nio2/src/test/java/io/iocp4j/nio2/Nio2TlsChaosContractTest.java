package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.TlsChaosContract;

class Nio2TlsChaosContractTest extends TlsChaosContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
