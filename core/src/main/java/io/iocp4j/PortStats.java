package io.iocp4j;

/**
 * One port (one I/O thread) of a server or client at one moment.
 *
 * @param port        the port's index, from 0
 * @param connections connections on it
 * @param load        its measured load: bytes in and out per second, each packet counted as 1 KiB more (the work
 *                    of a completion and a handler call), as a decaying average over the last few tenths of a
 *                    second
 */
public record PortStats(int port, int connections, long load) {
}
