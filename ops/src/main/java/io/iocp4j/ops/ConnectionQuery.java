package io.iocp4j.ops;

import io.iocp4j.Connection;
import io.iocp4j.ConnectionInfo;
import io.iocp4j.Server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One page of the connection table, sorted and filtered on the server: a browser watching 10,000 connections gets
 * the counts and one page of rows a second, never the whole table.
 *
 * @param sort   the column to sort by: {@code id}, {@code peer}, {@code age}, {@code bytesIn}, {@code bytesOut},
 *               {@code queued}, {@code ioThread} or {@code load}
 * @param desc   descending order
 * @param filter rows whose peer or id contains this text, case-insensitive; empty for all
 * @param page   the page, from 0
 * @param size   rows per page, 1 to {@link #MAX_PAGE_SIZE}
 */
record ConnectionQuery(String sort, boolean desc, String filter, int page, int size) {
    static final int MAX_PAGE_SIZE = 100;
    static final int MAX_FILTER_LENGTH = 100;
    private static final Map<String, Comparator<ConnectionInfo>> ORDERS = Map.of(
            "id", Comparator.comparingLong(ConnectionInfo::id),
            "peer", Comparator.comparing(ConnectionQuery::peer),
            "age", Comparator.comparing(ConnectionInfo::age),
            "bytesIn", Comparator.comparingLong(ConnectionInfo::bytesIn),
            "bytesOut", Comparator.comparingLong(ConnectionInfo::bytesOut),
            "queued", Comparator.comparingLong(ConnectionInfo::queuedBytes),
            "ioThread", Comparator.comparingInt(ConnectionInfo::ioThread),
            "load", Comparator.comparingLong(ConnectionInfo::load));

    /** The query of a request's parameters; a bad or missing one takes its default rather than failing. */
    static ConnectionQuery of(Map<String, String> parameters) {
        String sort = parameters.getOrDefault("sort", "id");
        String filter = parameters.getOrDefault("filter", "").strip();
        return new ConnectionQuery(ORDERS.containsKey(sort) ? sort : "id",
                "desc".equals(parameters.get("dir")),
                filter.length() > MAX_FILTER_LENGTH ? filter.substring(0, MAX_FILTER_LENGTH) : filter,
                clamp(parameters.get("page"), 0, Integer.MAX_VALUE, 0),
                clamp(parameters.get("size"), 1, MAX_PAGE_SIZE, 20));
    }

    /** Writes {@code total}, {@code matched}, {@code page}, {@code size} and the page's {@code rows}. */
    JsonWriter write(JsonWriter json, Server server) {
        List<ConnectionInfo> all = server.connections();
        List<ConnectionInfo> matched = filter.isEmpty() ? new ArrayList<>(all) : filtered(all);
        Comparator<ConnectionInfo> order = ORDERS.get(sort).thenComparingLong(ConnectionInfo::id);
        matched.sort(desc ? order.reversed() : order);
        int pages = Math.max(1, (matched.size() + size - 1) / size);
        int shown = Math.min(page, pages - 1);
        json.beginObject()
                .member("total", all.size())
                .member("matched", matched.size())
                .member("page", shown)
                .member("pages", pages)
                .member("size", size)
                .member("sort", sort)
                .member("dir", desc ? "desc" : "asc");
        json.name("rows").beginArray();
        int from = shown * size;
        for (ConnectionInfo info : matched.subList(from, Math.min(matched.size(), from + size))) {
            json.beginObject()
                    .member("id", info.id())
                    .member("peer", peer(info))
                    .member("ageMillis", info.age().toMillis())
                    .member("bytesIn", info.bytesIn())
                    .member("bytesOut", info.bytesOut())
                    .member("packetsIn", info.packetsIn())
                    .member("packetsOut", info.packetsOut())
                    .member("queued", info.queuedBytes())
                    .member("ioThread", info.ioThread())
                    .member("load", info.load())
                    .member("state", state(server.connection(info.id())))
                    .endObject();
        }
        return json.endArray().endObject();
    }

    private List<ConnectionInfo> filtered(List<ConnectionInfo> all) {
        String needle = filter.toLowerCase(Locale.ROOT);
        List<ConnectionInfo> matched = new ArrayList<>();
        for (ConnectionInfo info : all) {
            if (peer(info).toLowerCase(Locale.ROOT).contains(needle) || Long.toString(info.id()).contains(needle)) {
                matched.add(info);
            }
        }
        return matched;
    }

    /** The peer as people write it: {@code 127.0.0.1:51234}, {@code [::1]:51234}. */
    static String peer(ConnectionInfo info) {
        if (info.remoteAddress() == null) {
            return "";
        }
        String host = info.remoteAddress().getAddress() != null
                ? info.remoteAddress().getAddress().getHostAddress() : info.remoteAddress().getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + info.remoteAddress().getPort();
    }

    private static String state(Optional<Connection> connection) {
        if (connection.isEmpty()) {
            return "closed";
        }
        Connection c = connection.get();
        if (!c.isOpen()) {
            return "closing";
        }
        return c.isWritable() ? "open" : "not writable";
    }

    private static int clamp(String value, int min, int max, int otherwise) {
        if (value == null) {
            return otherwise;
        }
        try {
            return Math.clamp(Long.parseLong(value), min, max);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
