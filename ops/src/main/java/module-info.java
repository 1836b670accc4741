/**
 * Operations for an iocp4j server: a live dashboard, Prometheus metrics, a health check for load balancers and
 * token-protected actions, served by the JDK's own HTTP server.
 */
module io.iocp4j.ops {
    requires transitive io.iocp4j;
    requires jdk.httpserver;

    exports io.iocp4j.ops;
}
