package io.iocp4j.cli;

import io.iocp4j.job.Ordering;

/** {@code --ordering}: {@code per-connection}, {@code ordered-replies} or {@code unordered}. */
final class OrderingOption extends KebabEnumOption<Ordering> {
    OrderingOption() {
        super(Ordering.class, "an ordering");
    }
}
