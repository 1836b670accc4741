package io.iocp4j.uring;

import io.iocp4j.Transport;
import io.iocp4j.testkit.PartialUploadContract;

class UringPartialUploadTest extends PartialUploadContract {
    @Override
    protected Transport transport() {
        return Transport.URING;
    }
}
