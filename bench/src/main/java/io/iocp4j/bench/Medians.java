package io.iocp4j.bench;

import java.util.Arrays;

final class Medians {
    private Medians() {
    }

    /** The median of the values; the mean of the middle two when their count is even. */
    static double of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
