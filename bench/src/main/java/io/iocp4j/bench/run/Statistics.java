package io.iocp4j.bench.run;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The median and spread of one figure over the repetitions of one server under one workload. */
public record Statistics(double median, double min, double max, int count) {
    public static Statistics of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Statistics(median, sorted[0], sorted[sorted.length - 1], sorted.length);
    }

    /** The figure {@code key} of {@code server} under {@code workload}, if it was measured. */
    public static Optional<Statistics> of(List<Measurement> measurements, String server, String workload,
                                          String key) {
        double[] values = measurements.stream()
                .filter(m -> m.server().equals(server) && m.workload().equals(workload) && m.has(key))
                .mapToDouble(m -> m.value(key))
                .toArray();
        return values.length == 0 ? Optional.empty() : Optional.of(of(values));
    }

    /** Half the range as a percentage of the median: "± 3%". */
    public double spreadPercent() {
        return median == 0 ? 0 : (max - min) / 2 / Math.abs(median) * 100;
    }

    /** This median over another's: how many times the other this is. */
    public double ratioTo(Statistics base) {
        return base.median == 0 ? Double.NaN : median / base.median;
    }
}
