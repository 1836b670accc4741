/*
 * The native limit for the echo benchmarks: a minimal single-threaded epoll echo server in C. Every byte read is
 * written back on the same connection; bytes the socket would not take wait in a per-connection buffer until
 * EPOLLOUT. Driven like the Java peers: prints "READY port pid", answers the line "memory" on its standard input
 * with "MEMORY heap=0 rss=BYTES", and exits at the end of its input.
 *
 * Built by the benchmark runner, beside echo-commands.h: gcc -O2 -o c-epoll c-epoll.c
 * Usage: c-epoll PORT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "echo-commands.h"

#define BUFFER 16384
#define EVENTS 256

struct connection {
    int fd;
    char *pending; /* bytes read but not yet written back, or NULL */
    size_t pending_length;
};

static void drop(int epoll, struct connection *c) {
    epoll_ctl(epoll, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->pending);
    free(c);
}

/* Writes what is pending; returns 0 when all of it went, 1 when the socket is full, -1 on error. */
static int flush_pending(struct connection *c) {
    while (c->pending_length > 0) {
        ssize_t n = write(c->fd, c->pending, c->pending_length);
        if (n < 0) {
            return errno == EAGAIN ? 1 : -1;
        }
        memmove(c->pending, c->pending + n, c->pending_length - (size_t) n);
        c->pending_length -= (size_t) n;
    }
    free(c->pending);
    c->pending = NULL;
    return 0;
}

static int serve(int epoll, struct connection *c, char *buffer) {
    for (;;) {
        ssize_t n = read(c->fd, buffer, BUFFER);
        if (n == 0) {
            return -1;
        }
        if (n < 0) {
            return errno == EAGAIN ? 0 : -1;
        }
        ssize_t written = 0;
        while (written < n) {
            ssize_t w = write(c->fd, buffer + written, (size_t) (n - written));
            if (w < 0) {
                if (errno != EAGAIN) {
                    return -1;
                }
                /* Keep the rest and stop reading until the socket drains: back-pressure on the client. */
                c->pending = malloc((size_t) (n - written));
                if (c->pending == NULL) {
                    return -1;
                }
                memcpy(c->pending, buffer + written, (size_t) (n - written));
                c->pending_length = (size_t) (n - written);
                struct epoll_event event = {.events = EPOLLOUT, .data.ptr = c};
                return epoll_ctl(epoll, EPOLL_CTL_MOD, c->fd, &event);
            }
            written += w;
        }
    }
}

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 0;
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *) &address, sizeof address) < 0 || listen(listener, 4096) < 0) {
        perror("c-epoll: bind or listen");
        return 1;
    }
    socklen_t length = sizeof address;
    getsockname(listener, (struct sockaddr *) &address, &length);
    int epoll = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);
    static int input_marker;
    struct epoll_event input_event = {.events = EPOLLIN, .data.ptr = &input_marker};
    epoll_ctl(epoll, EPOLL_CTL_ADD, STDIN_FILENO, &input_event);
    printf("READY %d %d\n", ntohs(address.sin_port), (int) getpid());
    fflush(stdout);

    static char buffer[BUFFER];
    static struct commands commands;
    struct epoll_event events[EVENTS];
    for (;;) {
        int ready = epoll_wait(epoll, events, EVENTS, -1);
        if (ready < 0 && errno != EINTR) {
            perror("c-epoll: epoll_wait");
            return 1;
        }
        for (int i = 0; i < ready; i++) {
            void *tag = events[i].data.ptr;
            if (tag == NULL) {
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct connection *c = calloc(1, sizeof *c);
                    c->fd = fd;
                    struct epoll_event in = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &in);
                }
            } else if (tag == &input_marker) {
                ssize_t n = read(STDIN_FILENO, commands_space(&commands), commands_room(&commands));
                if (n <= 0) {
                    return 0;
                }
                commands_received(&commands, (size_t) n);
            } else {
                struct connection *c = tag;
                int result;
                if (c->pending != NULL) {
                    result = flush_pending(c);
                    if (result == 0) {
                        struct epoll_event in = {.events = EPOLLIN, .data.ptr = c};
                        result = epoll_ctl(epoll, EPOLL_CTL_MOD, c->fd, &in);
                        if (result == 0) {
                            result = serve(epoll, c, buffer);
                        }
                    } else if (result == 1) {
                        result = 0;
                    }
                } else {
                    result = serve(epoll, c, buffer);
                }
                if (result < 0) {
                    drop(epoll, c);
                }
            }
        }
    }
}
