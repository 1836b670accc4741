package io.iocp4j.cli;

import io.iocp4j.job.Ordering;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** {@code --ordering}: the mode's name as the command line spells it, {@code ordered-replies}, in any case. */
final class OrderingOption implements ITypeConverter<Ordering> {
    @Override
    public Ordering convert(String value) {
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Ordering ordering : Ordering.values()) {
            if (ordering.name().equals(name)) {
                return ordering;
            }
        }
        throw new TypeConversionException("'" + value + "' is not an ordering: per-connection, ordered-replies or "
                + "unordered");
    }

    static String spell(Ordering ordering) {
        return ordering.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
