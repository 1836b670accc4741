package io.iocp4j.nio2;

import io.iocp4j.Transport;
import io.iocp4j.testkit.PartialUploadContract;

class Nio2PartialUploadTest extends PartialUploadContract {
    @Override
    protected Transport transport() {
        return Transport.NIO2;
    }
}
