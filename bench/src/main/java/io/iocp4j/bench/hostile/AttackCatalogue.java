package io.iocp4j.bench.hostile;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The attacks by name, in the order of issue 17's table, each made fresh for every run. */
final class AttackCatalogue {
    /** Makes one attack from the settings. */
    @FunctionalInterface
    interface Factory {
        Attack create(HostileSettings settings) throws IOException;
    }

    private static final int ONE_MIB = 1 << 20;
    private static final int SIXTEEN_MIB = 16 << 20;

    private static final Map<String, Factory> ATTACKS = new LinkedHashMap<>();

    static {
        ATTACKS.put("slow-header", s -> new SlowHeaderAttack(s.connections(), ONE_MIB, s.slowSeconds(), List.of(),
                List.of()));
        // The frame limit raised, and each header announcing the new limit.
        ATTACKS.put("slow-header-16m", s -> new SlowHeaderAttack(s.connections(), SIXTEEN_MIB, s.slowSeconds(),
                List.of("--max-frame", Integer.toString(SIXTEEN_MIB)), List.of()));
        ATTACKS.put("slow-header-capped", s -> new SlowHeaderAttack(s.connections(), ONE_MIB, s.slowSeconds(),
                List.of(), List.of("-XX:MaxDirectMemorySize=1g")));
        ATTACKS.put("never-read-ping", s -> NeverReadAttack.pings(s.neverReadConnections(), s.pings(),
                s.neverReadSeconds()));
        ATTACKS.put("never-read-text", s -> NeverReadAttack.texts(s.neverReadConnections(), s.neverReadSeconds()));
        ATTACKS.put("partial-uploads", s -> new PartialUploadAttack(s.uploads(), s.uploadBytes()));
        ATTACKS.put("idle-early", s -> new IdleAttack(s.idleConnections(), s.idleTimeoutSeconds()));
        ATTACKS.put("flood-then-term", s -> new FloodThenTermAttack(s.floodConnections(), s.floodSeconds()));
    }

    private AttackCatalogue() {
    }

    static List<String> names() {
        return List.copyOf(ATTACKS.keySet());
    }

    /** The attacks named, checked before anything runs. */
    static List<String> checked(List<String> names) {
        for (String name : names) {
            if (!ATTACKS.containsKey(name)) {
                throw new IllegalArgumentException("no attack named " + name + "; the attacks: "
                        + String.join(",", names()));
            }
        }
        return names;
    }

    static Attack create(String name, HostileSettings settings) throws IOException {
        return ATTACKS.get(name).create(settings);
    }
}
