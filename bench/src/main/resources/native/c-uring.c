/*
 * The native limit on io_uring for the echo benchmarks: a minimal single-threaded io_uring echo server in C, through
 * the raw system calls and <linux/io_uring.h> only (no liburing), so it builds wherever the kernel headers are.
 *
 * One multishot accept on the listener; on each connection one multishot receive drawing on a ring of provided
 * buffers; every buffer received is sent back on its connection, one send in flight per connection so the echo
 * keeps its order, and goes back to the buffer ring once sent whole. A receive the kernel ends for want of buffers
 * (ENOBUFS) is armed again once buffers come back. Driven like the other peers: prints "READY port pid", answers the
 * line "memory" on its standard input with "MEMORY heap=0 rss=BYTES", and exits at the end of its input.
 *
 * Built by the benchmark runner, beside echo-commands.h: gcc -O2 -o c-uring c-uring.c
 * Usage: c-uring PORT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "echo-commands.h"

#define SQ_ENTRIES 4096
#define CQ_ENTRIES (4 * SQ_ENTRIES)
/* Provided buffers: a power of two of them, each the most one receive completion carries. */
#define BUFFERS 512
#define BUFFER_SIZE 16384
#define BUFFER_GROUP 0

/* What a completion is for: the operation in the high half of user_data, the descriptor in the low half. */
enum operation { ACCEPT = 1, RECEIVE, SEND, INPUT };

struct ring {
    int fd;
    unsigned *sq_head, *sq_tail, sq_mask, *sq_array;
    struct io_uring_sqe *sqes;
    unsigned sq_pending; /* SQEs written since the last io_uring_enter */
    unsigned *cq_head, *cq_tail, cq_mask;
    struct io_uring_cqe *cqes;
};

/* A connection, indexed by its descriptor: it is closed only when nothing is in flight on it, so a descriptor the
 * kernel hands out again never meets a completion meant for the connection it had before. */
struct connection {
    int open, receiving, sending, closing;
    int first, last;   /* the queue of received buffers not yet sent back, by buffer id; -1 when empty */
    unsigned sent;     /* bytes of the first buffer already sent */
};

static struct ring ring;
static struct connection *connections;
static long connection_limit;
static struct io_uring_buf_ring *buffer_ring;
static unsigned buffer_ring_tail;
static char *buffers;
static int next_buffer[BUFFERS];
static unsigned buffer_length[BUFFERS];
/* Connections whose receive ended for want of buffers, to arm again when some come back. */
static int *starved;
static long starved_count;
static int listener;
static struct commands commands;

static void fail(const char *what, int error) {
    fprintf(stderr, "c-uring: %s: %s\n", what, strerror(error));
    exit(1);
}

static int enter(unsigned to_submit, unsigned min_complete, unsigned flags) {
    return (int) syscall(__NR_io_uring_enter, ring.fd, to_submit, min_complete, flags, NULL, 0);
}

static void submit(unsigned min_complete) {
    for (;;) {
        int result = enter(ring.sq_pending, min_complete, min_complete > 0 ? IORING_ENTER_GETEVENTS : 0);
        if (result >= 0) {
            ring.sq_pending -= (unsigned) result < ring.sq_pending ? (unsigned) result : ring.sq_pending;
            return;
        }
        if (errno != EINTR && errno != EAGAIN && errno != EBUSY) {
            fail("io_uring_enter", errno);
        }
        if (errno != EINTR) {
            /* The completion queue is full: take completions before submitting more. */
            enter(0, 0, IORING_ENTER_GETEVENTS);
            return;
        }
    }
}

/* The next free SQE, zeroed (stale union fields of an earlier operation must not leak into this one). */
static struct io_uring_sqe *next_sqe(void) {
    unsigned tail = *ring.sq_tail;
    while (tail - __atomic_load_n(ring.sq_head, __ATOMIC_ACQUIRE) >= SQ_ENTRIES) {
        submit(0);
    }
    unsigned index = tail & ring.sq_mask;
    struct io_uring_sqe *sqe = &ring.sqes[index];
    memset(sqe, 0, sizeof *sqe);
    ring.sq_array[index] = index;
    return sqe;
}

/* Makes a written SQE visible to the kernel. */
static void push(void) {
    __atomic_store_n(ring.sq_tail, *ring.sq_tail + 1, __ATOMIC_RELEASE);
    ring.sq_pending++;
}

static uint64_t tag(enum operation operation, int fd) {
    return (uint64_t) operation << 32 | (uint32_t) fd;
}

static void arm_accept(void) {
    struct io_uring_sqe *sqe = next_sqe();
    sqe->opcode = IORING_OP_ACCEPT;
    sqe->fd = listener;
    sqe->ioprio = IORING_ACCEPT_MULTISHOT;
    sqe->user_data = tag(ACCEPT, listener);
    push();
}

static void arm_receive(int fd) {
    struct io_uring_sqe *sqe = next_sqe();
    sqe->opcode = IORING_OP_RECV;
    sqe->fd = fd;
    sqe->ioprio = IORING_RECV_MULTISHOT;
    sqe->flags = IOSQE_BUFFER_SELECT;
    sqe->buf_group = BUFFER_GROUP;
    sqe->user_data = tag(RECEIVE, fd);
    push();
    connections[fd].receiving = 1;
}

static void arm_input(void) {
    struct io_uring_sqe *sqe = next_sqe();
    sqe->opcode = IORING_OP_READ;
    sqe->fd = STDIN_FILENO;
    sqe->addr = (uint64_t) (uintptr_t) commands_space(&commands);
    sqe->len = (unsigned) commands_room(&commands);
    sqe->off = (uint64_t) -1;
    sqe->user_data = tag(INPUT, STDIN_FILENO);
    push();
}

/* Sends (the rest of) the first queued buffer of a connection. */
static void send_first(int fd) {
    struct connection *c = &connections[fd];
    int buffer = c->first;
    struct io_uring_sqe *sqe = next_sqe();
    sqe->opcode = IORING_OP_SEND;
    sqe->fd = fd;
    sqe->addr = (uint64_t) (uintptr_t) (buffers + (size_t) buffer * BUFFER_SIZE + c->sent);
    sqe->len = buffer_length[buffer] - c->sent;
    sqe->msg_flags = MSG_NOSIGNAL;
    sqe->user_data = tag(SEND, fd);
    push();
    c->sending = 1;
}

/* Hands a buffer back to the kernel; published by publish_buffers. */
static void give_back(int buffer) {
    struct io_uring_buf *entry = &buffer_ring->bufs[buffer_ring_tail & (BUFFERS - 1)];
    entry->addr = (uint64_t) (uintptr_t) (buffers + (size_t) buffer * BUFFER_SIZE);
    entry->len = BUFFER_SIZE;
    entry->bid = (uint16_t) buffer;
    buffer_ring_tail++;
}

static void publish_buffers(void) {
    __atomic_store_n(&buffer_ring->tail, (uint16_t) buffer_ring_tail, __ATOMIC_RELEASE);
}

static void close_when_idle(int fd) {
    struct connection *c = &connections[fd];
    if (!c->closing || c->sending || c->receiving) {
        return;
    }
    while (c->first >= 0) {
        give_back(c->first);
        c->first = next_buffer[c->first];
    }
    close(fd);
    memset(c, 0, sizeof *c);
    c->first = c->last = -1;
}

/* Stops a connection: a receive still armed ends when its socket is shut down (with a completion of 0). */
static void stop(int fd) {
    struct connection *c = &connections[fd];
    if (!c->closing) {
        c->closing = 1;
        if (c->receiving) {
            shutdown(fd, SHUT_RDWR);
        }
    }
    close_when_idle(fd);
}

static void accepted(int result, unsigned flags) {
    if (result >= 0) {
        if (result >= connection_limit) {
            close(result);
        } else {
            int one = 1;
            setsockopt(result, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            struct connection *c = &connections[result];
            memset(c, 0, sizeof *c);
            c->open = 1;
            c->first = c->last = -1;
            arm_receive(result);
        }
    } else if (result != -EMFILE && result != -ENFILE && result != -ECONNABORTED && result != -EINTR) {
        fail("accept", -result);
    }
    if (!(flags & IORING_CQE_F_MORE)) {
        arm_accept();
    }
}

static void received(int fd, int result, unsigned flags) {
    struct connection *c = &connections[fd];
    if (result > 0) {
        int buffer = (int) (flags >> IORING_CQE_BUFFER_SHIFT);
        buffer_length[buffer] = (unsigned) result;
        next_buffer[buffer] = -1;
        if (c->first < 0) {
            c->first = buffer;
            c->sent = 0;
        } else {
            next_buffer[c->last] = buffer;
        }
        c->last = buffer;
        if (!c->sending && !c->closing) {
            send_first(fd);
        }
    }
    if (flags & IORING_CQE_F_MORE) {
        return;
    }
    c->receiving = 0;
    if (result == -ENOBUFS) {
        starved[starved_count++] = fd;
    } else if (result > 0 && !c->closing) {
        arm_receive(fd);
    } else {
        stop(fd);
    }
}

static void sent(int fd, int result) {
    struct connection *c = &connections[fd];
    c->sending = 0;
    if (result < 0) {
        stop(fd);
        return;
    }
    c->sent += (unsigned) result;
    if (c->sent == buffer_length[c->first]) {
        int done = c->first;
        c->first = next_buffer[done];
        c->sent = 0;
        give_back(done);
    }
    if (c->first >= 0 && !c->closing) {
        send_first(fd);
    } else {
        close_when_idle(fd);
    }
}

/* Answers the commands read so far; returns 0 at the end of the input. */
static int input(int result) {
    if (result <= 0) {
        return 0;
    }
    commands_received(&commands, (size_t) result);
    arm_input();
    return 1;
}

static void setup_ring(void) {
    struct io_uring_params params;
    memset(&params, 0, sizeof params);
    params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER
                   | IORING_SETUP_DEFER_TASKRUN;
    params.cq_entries = CQ_ENTRIES;
    ring.fd = (int) syscall(__NR_io_uring_setup, SQ_ENTRIES, &params);
    if (ring.fd < 0 && errno == EINVAL) {
        /* A kernel before 6.1: without deferred task running, completions are posted as they happen. */
        memset(&params, 0, sizeof params);
        params.flags = IORING_SETUP_CQSIZE;
        params.cq_entries = CQ_ENTRIES;
        ring.fd = (int) syscall(__NR_io_uring_setup, SQ_ENTRIES, &params);
    }
    if (ring.fd < 0) {
        fail("io_uring_setup", errno);
    }
    if (!(params.features & IORING_FEAT_SINGLE_MMAP)) {
        fprintf(stderr, "c-uring: this kernel's io_uring is too old (no single mmap)\n");
        exit(1);
    }
    size_t sq_size = params.sq_off.array + params.sq_entries * sizeof(unsigned);
    size_t cq_size = params.cq_off.cqes + params.cq_entries * sizeof(struct io_uring_cqe);
    size_t size = sq_size > cq_size ? sq_size : cq_size;
    char *rings = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring.fd, IORING_OFF_SQ_RING);
    ring.sqes = mmap(NULL, params.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_POPULATE, ring.fd, IORING_OFF_SQES);
    if (rings == MAP_FAILED || ring.sqes == MAP_FAILED) {
        fail("mmap of the rings", errno);
    }
    ring.sq_head = (unsigned *) (rings + params.sq_off.head);
    ring.sq_tail = (unsigned *) (rings + params.sq_off.tail);
    ring.sq_mask = *(unsigned *) (rings + params.sq_off.ring_mask);
    ring.sq_array = (unsigned *) (rings + params.sq_off.array);
    ring.cq_head = (unsigned *) (rings + params.cq_off.head);
    ring.cq_tail = (unsigned *) (rings + params.cq_off.tail);
    ring.cq_mask = *(unsigned *) (rings + params.cq_off.ring_mask);
    ring.cqes = (struct io_uring_cqe *) (rings + params.cq_off.cqes);
}

static void setup_buffers(void) {
    buffer_ring = mmap(NULL, BUFFERS * sizeof(struct io_uring_buf), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    /* Touched now, so that the resident size measured before and after idle connections counts connections only:
     * the kernel picks buffers in ring order, and the first bytes of each would otherwise fault in one page at a
     * time as connections come. */
    buffers = mmap(NULL, (size_t) BUFFERS * BUFFER_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (buffer_ring == MAP_FAILED || buffers == MAP_FAILED) {
        fail("mmap of the buffers", errno);
    }
    struct io_uring_buf_reg registration;
    memset(&registration, 0, sizeof registration);
    registration.ring_addr = (uint64_t) (uintptr_t) buffer_ring;
    registration.ring_entries = BUFFERS;
    registration.bgid = BUFFER_GROUP;
    if (syscall(__NR_io_uring_register, ring.fd, IORING_REGISTER_PBUF_RING, &registration, 1) < 0) {
        fail("io_uring_register (provided buffer ring)", errno);
    }
    for (int buffer = 0; buffer < BUFFERS; buffer++) {
        give_back(buffer);
    }
    publish_buffers();
}

/* Every connection is a descriptor: take the hard open-file limit, as the JVM peers do. */
static void setup_connections(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    getrlimit(RLIMIT_NOFILE, &limit);
    connection_limit = limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > 1048576 ? 1048576 : (long) limit.rlim_cur;
    connections = calloc((size_t) connection_limit, sizeof *connections);
    starved = calloc((size_t) connection_limit, sizeof *starved);
    if (connections == NULL || starved == NULL) {
        fprintf(stderr, "c-uring: out of memory\n");
        exit(1);
    }
}

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 0;
    setup_connections();
    listener = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *) &address, sizeof address) < 0 || listen(listener, 4096) < 0) {
        fail("bind or listen", errno);
    }
    socklen_t length = sizeof address;
    getsockname(listener, (struct sockaddr *) &address, &length);
    setup_ring();
    setup_buffers();
    arm_accept();
    arm_input();
    printf("READY %d %d\n", ntohs(address.sin_port), (int) getpid());
    fflush(stdout);

    for (;;) {
        submit(1);
        unsigned head = *ring.cq_head;
        unsigned tail = __atomic_load_n(ring.cq_tail, __ATOMIC_ACQUIRE);
        unsigned returned = buffer_ring_tail;
        for (; head != tail; head++) {
            struct io_uring_cqe *cqe = &ring.cqes[head & ring.cq_mask];
            int fd = (int) (uint32_t) cqe->user_data;
            switch ((enum operation) (cqe->user_data >> 32)) {
                case ACCEPT:
                    accepted(cqe->res, cqe->flags);
                    break;
                case RECEIVE:
                    received(fd, cqe->res, cqe->flags);
                    break;
                case SEND:
                    sent(fd, cqe->res);
                    break;
                case INPUT:
                    if (!input(cqe->res)) {
                        return 0;
                    }
                    break;
            }
        }
        __atomic_store_n(ring.cq_head, head, __ATOMIC_RELEASE);
        if (buffer_ring_tail != returned) {
            publish_buffers();
            while (starved_count > 0) {
                int fd = starved[--starved_count];
                if (connections[fd].closing) {
                    close_when_idle(fd);
                } else {
                    arm_receive(fd);
                }
            }
        }
    }
}
