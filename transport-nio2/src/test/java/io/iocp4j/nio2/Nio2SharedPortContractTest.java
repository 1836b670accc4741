package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.SharedPortContract;

class Nio2SharedPortContractTest extends SharedPortContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
