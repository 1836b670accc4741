package io.iocp4j.cli;

import io.iocp4j.proxy.ProxyProtocol;
import io.iocp4j.proxy.TrustedProxies;
import io.iocp4j.stage.StageFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo server behind a load balancer: the PROXY protocol (versions 1 and 2) on the packet and chat ports, from
 * the balancers named by {@code --trusted-proxy} alone.
 */
final class ProxyOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--proxy-protocol",
            description = "Read a PROXY protocol header (v1 or v2) from the trusted balancers before anything else on"
                    + " the packet and chat ports: clients are then seen, limited and banned by their own address.")
    boolean enabled;

    @Option(names = "--trusted-proxy", paramLabel = "ADDR[/BITS]",
            description = "A load balancer allowed to send PROXY headers (repeatable); a header from anyone else, or"
                    + " a trusted balancer's connection without one, is refused.")
    List<String> trusted = new ArrayList<>();

    @Option(names = "--proxy-timeout", defaultValue = "5", paramLabel = "SECONDS",
            description = "How long a balancer's header may take (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    private TrustedProxies parsed = TrustedProxies.none();

    void validate() {
        if (!enabled) {
            if (!trusted.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--trusted-proxy needs --proxy-protocol");
            }
            return;
        }
        if (trusted.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--proxy-protocol needs at least one --trusted-proxy: "
                    + "the balancers allowed to name clients");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new ParameterException(spec.commandLine(), "--proxy-timeout must be between 1 and 3600, not "
                    + timeoutSeconds);
        }
        try {
            parsed = TrustedProxies.parse(trusted);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--trusted-proxy: " + e.getMessage());
        }
    }

    /** The stages the PROXY protocol puts first on a port: none when it is off. */
    List<StageFactory> stages() {
        return enabled ? List.of(ProxyProtocol.stage(parsed, Duration.ofSeconds(timeoutSeconds))) : List.of();
    }
}
