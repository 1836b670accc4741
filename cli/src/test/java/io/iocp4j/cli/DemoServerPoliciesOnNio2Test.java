package io.iocp4j.cli;

class DemoServerPoliciesOnNio2Test extends DemoServerPoliciesEndToEnd {
    @Override
    protected String transport() {
        return "nio2";
    }
}
