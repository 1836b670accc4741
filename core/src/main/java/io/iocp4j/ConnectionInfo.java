package io.iocp4j;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One connection as {@link Server#connections()} saw it. The counters are written by the connection's I/O thread
 * and read here without a lock: each is exact as of a moment just before the snapshot.
 *
 * @param id            the connection's id ({@link Server#connection(long)}, {@link Server#disconnect(long)})
 * @param remoteAddress the peer
 * @param age           time since it was accepted
 * @param bytesIn       bytes received
 * @param bytesOut      bytes written
 * @param packetsIn     packets handed to the handler
 * @param packetsOut    packets written out whole
 * @param queuedBytes   bytes queued or being written
 * @param ioThread      the I/O thread (port) it is on, from 0
 * @param load          its measured load: bytes in and out per second, each packet counted as 1 KiB more, as a
 *                      decaying average
 */
public record ConnectionInfo(long id, InetSocketAddress remoteAddress, Duration age, long bytesIn, long bytesOut,
                             long packetsIn, long packetsOut, long queuedBytes, int ioThread, long load) {
}
