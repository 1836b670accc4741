package io.iocp4j.cli;

class DemoServerOnNio2Test extends DemoServerEndToEnd {
    @Override
    protected String transport() {
        return "nio2";
    }
}
