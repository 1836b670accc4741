package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.AdmissionContract;

class Nio2AdmissionContractTest extends AdmissionContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
