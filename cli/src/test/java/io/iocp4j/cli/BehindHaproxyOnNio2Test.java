package io.iocp4j.cli;

class BehindHaproxyOnNio2Test extends BehindHaproxyEndToEnd {
    @Override
    protected String transport() {
        return "nio2";
    }
}
