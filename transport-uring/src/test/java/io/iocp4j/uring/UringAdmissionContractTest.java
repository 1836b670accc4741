package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.AdmissionContract;

class UringAdmissionContractTest extends AdmissionContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
