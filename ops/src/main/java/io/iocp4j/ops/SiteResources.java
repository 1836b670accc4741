package io.iocp4j.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's files, read from this module's resources once, at start: the only files served. A request names
 * one of these paths exactly or gets 404, so no path can reach anything else.
 */
final class SiteResources {
    record Resource(byte[] bytes, String contentType) {
    }

    private static final Map<String, String[]> SITE = Map.of(
            "/", new String[] {"site/index.html", "text/html; charset=utf-8"},
            "/app.js", new String[] {"site/app.js", "text/javascript; charset=utf-8"},
            "/app.css", new String[] {"site/app.css", "text/css; charset=utf-8"},
            "/uplot/uPlot.iife.min.js", new String[] {"site/uplot/uPlot.iife.min.js", "text/javascript; charset=utf-8"},
            "/uplot/uPlot.min.css", new String[] {"site/uplot/uPlot.min.css", "text/css; charset=utf-8"});

    private final Map<String, Resource> resources;

    SiteResources() {
        Map<String, Resource> loaded = new java.util.HashMap<>();
        SITE.forEach((path, where) -> loaded.put(path, new Resource(read(where[0]), where[1])));
        this.resources = Map.copyOf(loaded);
    }

    /** The resource served at exactly {@code path}, or null. */
    Resource get(String path) {
        return resources.get(path);
    }

    boolean serves(String path) {
        return resources.containsKey(path);
    }

    private static byte[] read(String name) {
        try (InputStream in = SiteResources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the iocp4j-ops jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
