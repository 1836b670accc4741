package io.iocp4j;

import io.iocp4j.spi.TransportProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds the transport a server or client asked for among the providers on the module or class path. */
final class Transports {
    private static final System.Logger LOG = System.getLogger(Transports.class.getName());
    private static volatile boolean autoChoiceLogged;

    private Transports() {
    }

    static List<TransportProvider> installed() {
        List<TransportProvider> providers = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class, Transports.class.getClassLoader()).forEach(providers::add);
        providers.sort(Comparator.comparingInt(TransportProvider::preference).reversed());
        return providers;
    }

    /**
     * The provider for {@code choice}. AUTO takes the most preferred available one and logs, once, which it took
     * and why each one before it was passed over.
     *
     * @throws IllegalStateException naming the reason when the requested transport cannot run here
     */
    static TransportProvider select(Transport choice) {
        List<TransportProvider> providers = installed();
        if (providers.isEmpty()) {
            throw new IllegalStateException("no iocp4j transport is on the module or class path: add "
                    + "io.iocp4j:iocp4j-transport-uring (Linux) or io.iocp4j:iocp4j-transport-nio2 (everywhere), or "
                    + "both, as runtime dependencies");
        }
        if (choice == Transport.AUTO) {
            StringBuilder passedOver = new StringBuilder();
            for (TransportProvider provider : providers) {
                Optional<String> reason = provider.unavailableReason();
                if (reason.isEmpty()) {
                    if (!autoChoiceLogged) {
                        autoChoiceLogged = true;
                        String details = provider.details();
                        LOG.log(System.Logger.Level.INFO, "transport " + provider.name()
                                + (details.isEmpty() ? "" : " (" + details + ")")
                                + (passedOver.isEmpty() ? "" : passedOver + ")"));
                    }
                    return provider;
                }
                passedOver.append(passedOver.isEmpty() ? " (" : "; ").append(provider.name()).append(": ")
                        .append(reason.get());
            }
            throw new IllegalStateException("no transport can run here" + passedOver
                    + (passedOver.isEmpty() ? "" : ")"));
        }
        for (TransportProvider provider : providers) {
            if (provider.name().equals(choice.id())) {
                Optional<String> reason = provider.unavailableReason();
                if (reason.isPresent()) {
                    throw new IllegalStateException("transport " + choice.id() + " is not available here: "
                            + reason.get());
                }
                return provider;
            }
        }
        throw new IllegalStateException("transport " + choice.id() + " is not installed: its module "
                + "iocp4j-transport-" + choice.id() + " is not on the module or class path");
    }

    /** Why {@code choice} would not be picked by AUTO, or empty when it is available. */
    static Optional<String> unavailableReason(Transport choice) {
        try {
            select(choice);
            return Optional.empty();
        } catch (IllegalStateException e) {
            return Optional.of(e.getMessage());
        }
    }
}
