package io.iocp4j.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An enum option spelled as the command line spells it: {@code ordered-replies} for ORDERED_REPLIES, in any case. */
abstract class KebabEnumOption<E extends Enum<E>> implements ITypeConverter<E> {
    private final Class<E> type;
    /** What a value is, for the error: "an ordering". */
    private final String what;

    KebabEnumOption(Class<E> type, String what) {
        this.type = type;
        this.what = what;
    }

    @Override
    public E convert(String value) {
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(spell(constant));
        }
        throw new TypeConversionException("'" + value + "' is not " + what + ": " + String.join(", ", names));
    }

    static String spell(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
