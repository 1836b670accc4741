package io.iocp4j.cli;

import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns an exception into the one line a user reads. */
final class Failures {
    private Failures() {
    }

    static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException || retold(cause))
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause.getClass().getSimpleName();
        }
        if (message.length() > 1 && Character.isUpperCase(message.charAt(1))) {
            // An acronym ("PKIX path building failed") keeps its capitals.
            return message;
        }
        return message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
    }

    /**
     * The library retells a listen or connect failure with its address as the same kind of exception around the
     * original; the program names the address in its own words, so it reads the original.
     */
    private static boolean retold(Throwable error) {
        return error.getCause() != null && error.getCause().getClass() == error.getClass();
    }
}
