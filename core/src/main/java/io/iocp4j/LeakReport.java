package io.iocp4j;

import java.util.List;

/**
 * What a server or client holds now: buffer leases not back in the pool and connections not yet released, each
 * with the place it was taken when leak tracking is on ({@code trackLeaks(true)} on the builder, or the system
 * property {@code iocp4j.trackLeaks=true}). While traffic flows, both are normal; after a shutdown, both must be
 * empty.
 *
 * @param leasesOutstanding leases not back in the pool
 * @param leaseSites        where each of them was leased; empty when tracking is off
 * @param connectionsHeld   connections whose slot is still taken
 * @param connectionSites   where each of them was opened (the connect call, or the accept); empty when tracking is
 *                          off
 */
public record LeakReport(long leasesOutstanding, List<Throwable> leaseSites, int connectionsHeld,
                         List<Throwable> connectionSites) {
    private static final int FRAMES_SHOWN = 8;

    public LeakReport {
        leaseSites = List.copyOf(leaseSites);
        connectionSites = List.copyOf(connectionSites);
    }

    public boolean isEmpty() {
        return leasesOutstanding == 0 && connectionsHeld == 0;
    }

    /** One paragraph per site: what it is, then the first frames of where it was taken. */
    public String describe() {
        StringBuilder text = new StringBuilder()
                .append(leasesOutstanding).append(" buffer leases outstanding, ")
                .append(connectionsHeld).append(" connections held");
        if (!isEmpty() && leaseSites.isEmpty() && connectionSites.isEmpty()) {
            text.append(" (leak tracking is off: no sites recorded)");
        }
        for (Throwable site : leaseSites) {
            append(text, site);
        }
        for (Throwable site : connectionSites) {
            append(text, site);
        }
        return text.toString();
    }

    private static void append(StringBuilder text, Throwable site) {
        text.append(System.lineSeparator()).append("  ").append(site.getMessage());
        StackTraceElement[] frames = site.getStackTrace();
        for (int i = 0; i < Math.min(FRAMES_SHOWN, frames.length); i++) {
            text.append(System.lineSeparator()).append("      at ").append(frames[i]);
        }
    }
}
