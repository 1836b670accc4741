package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.BroadcastContract;

class Nio2BroadcastContractTest extends BroadcastContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
