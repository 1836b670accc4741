/** A Micrometer {@code MeterBinder} for an iocp4j server: the series of iocp4j-ops' /metrics in any registry. */
module io.iocp4j.micrometer {
    requires transitive io.iocp4j;
    requires transitive micrometer.core;

    exports io.iocp4j.micrometer;
}
