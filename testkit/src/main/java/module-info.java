/** Contract suites that every iocp4j transport passes, and helpers for tests. */
module io.iocp4j.testkit {
    requires transitive io.iocp4j;
    requires org.junit.jupiter.api;
    requires org.junit.jupiter.params;

    exports io.iocp4j.testkit;
}
