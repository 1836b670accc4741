/*
 * The load generator in C: one thread, one epoll set, plain non-blocking sockets, so that on a 2-CPU machine the
 * generator costs less per message than the servers it drives and the ratios measure the servers. It takes the same
 * options and prints the same lines as the Java generator (io.iocp4j.bench.load.LoadGenerator):
 *
 *   ping-pong, pipeline: a closed loop of DEPTH messages of SIZE bytes in flight on each of CONNECTIONS
 *       connections; after the warm-up it counts for the measuring time, then prints one line
 *       "RESULT mode=... messages=N msgsPerSec=... p50us=... ... generatorCpu=... serverCpu=..."
 *   idle: opens the connections, echoes one byte on each, prints "OPEN N", holds them until a line (or the end)
 *       on its standard input or the hold time, then prints "RESULT mode=IDLE connections=N openSeconds=...".
 *   percentiles: no network; records the nanosecond values on its standard input in the histograms (the corrected
 *       one with --expected-interval-ns) and prints their percentiles, so that a test can hold the histogram to
 *       exact figures.
 *
 * Every connection sends one byte stream whose byte at offset o is o % 251, and every byte that comes back is
 * compared with it, so an echo that loses, duplicates, reorders or alters bytes stops the run with an error (exit 1)
 * instead of being counted.
 *
 * Latency is the round trip from queuing a message to reading the last byte of its echo, in a log-linear histogram
 * (128 steps per power of two: a percentile is within 0.4 % of the exact value). A second histogram is corrected for
 * coordinated omission like HdrHistogram's recordValueWithExpectedInterval: a closed loop sends the next message
 * only when one came back, so a stall hides the messages that would have been sent meanwhile; each round trip of
 * k expected intervals also records the k-1 shorter ones it held back. The expected interval is the warm-up's
 * median round trip divided by the messages in flight on a connection.
 *
 * Built by the benchmark runner: gcc -O2 -o c-load c-load.c
 * Usage: c-load --port P [--mode ping-pong|pipeline|idle] [--connections C] [--size S] [--depth K]
 *               [--warmup-ms MS] [--measure-ms MS] [--hold-ms MS] [--server-pid PID]
 *        c-load --mode percentiles [--expected-interval-ns N] < VALUES
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PATTERN 251
#define SCRATCH (256 * 1024)
#define CONNECT_BATCH 500
#define EVENTS 1024
#define DRAIN_SECONDS 10
/* Round trips above a minute are recorded as a minute, as the Java generator does. */
#define HIGHEST_NANOS 60000000000ULL

enum mode { PING_PONG, PIPELINE, IDLE, PERCENTILES };

/* As the RESULT line names them, and as --mode takes them. */
static const char *mode_names[] = {"PING_PONG", "PIPELINE", "IDLE", "PERCENTILES"};
static const char *mode_options[] = {"ping-pong", "pipeline", "idle", "percentiles"};

struct settings {
    int port;
    enum mode mode;
    long connections, size, depth, warmup_ms, measure_ms, hold_ms, server_pid, expected_interval_ns;
};

static void fail(const char *format, ...) {
    va_list args;
    va_start(args, format);
    fputs("c-load: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    exit(1);
}

static uint64_t now_nanos(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000ULL + (uint64_t) t.tv_nsec;
}

/* ---- the log-linear histogram ----
 * Values below 256 have a bucket each. Above, a value whose highest set bit is b falls in one of 128 buckets of
 * width 2^(b-7): the bucket is its top 8 bits, so every bucket is at most 1/128 of its lowest value wide. */

#define SUB_BITS 7
#define SUB_COUNT (1 << SUB_BITS)
#define BUCKETS ((64 - SUB_BITS + 1) * SUB_COUNT)

struct histogram {
    uint64_t counts[BUCKETS];
    uint64_t total;
    uint64_t max;
};

static int bucket_of(uint64_t value) {
    if (value < 2 * SUB_COUNT) {
        return (int) value;
    }
    int top_bit = 63 - __builtin_clzll(value);
    int shift = top_bit - SUB_BITS;
    return (shift + 1) * SUB_COUNT + (int) (value >> shift) - SUB_COUNT;
}

/* The middle of a bucket's range: the value a percentile falling in it reports. */
static double bucket_middle(int bucket) {
    if (bucket < 2 * SUB_COUNT) {
        return bucket;
    }
    int shift = bucket / SUB_COUNT - 1;
    uint64_t lowest = (uint64_t) (bucket % SUB_COUNT + SUB_COUNT) << shift;
    return (double) lowest + ((double) (1ULL << shift) - 1) / 2;
}

static void histogram_record(struct histogram *h, uint64_t value) {
    h->counts[bucket_of(value)]++;
    h->total++;
    if (value > h->max) {
        h->max = value;
    }
}

/* Also records the round trips a stall of {@code value} held back, one expected interval apart. */
static void histogram_record_corrected(struct histogram *h, uint64_t value, uint64_t expected_interval) {
    histogram_record(h, value);
    if (expected_interval == 0) {
        return;
    }
    for (uint64_t missing = value > expected_interval ? value - expected_interval : 0;
         missing >= expected_interval; missing -= expected_interval) {
        histogram_record(h, missing);
    }
}

/* The value at a percentile (0..100): the bucket holding the ceil(p% of total)-th smallest value; the maximum at 100. */
static double histogram_percentile(const struct histogram *h, double percentile) {
    if (h->total == 0) {
        return 0;
    }
    if (percentile >= 100) {
        return (double) h->max;
    }
    uint64_t rank = (uint64_t) (percentile / 100 * (double) h->total + 0.999999);
    if (rank < 1) {
        rank = 1;
    }
    uint64_t seen = 0;
    for (int bucket = 0; bucket < BUCKETS; bucket++) {
        seen += h->counts[bucket];
        if (seen >= rank) {
            double middle = bucket_middle(bucket);
            return middle > (double) h->max ? (double) h->max : middle;
        }
    }
    return (double) h->max;
}

static void histogram_reset(struct histogram *h) {
    memset(h, 0, sizeof *h);
}

/* ---- CPU use: this process (getrusage), the server (/proc/PID/stat) and the whole machine (/proc/stat) ---- */

/* Clock ticks per second of /proc (USER_HZ). */
#define TICKS 100.0

struct cpu_sample {
    uint64_t nanos;
    uint64_t generator_nanos;
    long long server_ticks, machine_busy_ticks, softirq_ticks;
};

static long long process_ticks(long pid) {
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        return 0;
    }
    size_t length = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    text[length] = '\0';
    /* The command name may hold spaces: fields are counted from its closing parenthesis. */
    char *field = strrchr(text, ')');
    if (field == NULL) {
        return 0;
    }
    long long utime = 0, stime = 0;
    if (sscanf(field + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld", &utime, &stime) != 2) {
        return 0;
    }
    return utime + stime;
}

static void machine_ticks(long long *busy, long long *softirq) {
    long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, soft = 0;
    *busy = 0;
    *softirq = 0;
    FILE *file = fopen("/proc/stat", "r");
    if (file == NULL) {
        return;
    }
    if (fscanf(file, "cpu %lld %lld %lld %lld %lld %lld %lld", &user, &nice, &system, &idle, &iowait, &irq,
               &soft) == 7) {
        *busy = user + nice + system;
        *softirq = soft;
    }
    fclose(file);
}

static struct cpu_sample cpu_sample(long server_pid) {
    struct cpu_sample sample;
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    sample.generator_nanos = ((uint64_t) usage.ru_utime.tv_sec + (uint64_t) usage.ru_stime.tv_sec) * 1000000000ULL
                             + ((uint64_t) usage.ru_utime.tv_usec + (uint64_t) usage.ru_stime.tv_usec) * 1000ULL;
    sample.server_ticks = server_pid > 0 ? process_ticks(server_pid) : 0;
    machine_ticks(&sample.machine_busy_ticks, &sample.softirq_ticks);
    sample.nanos = now_nanos();
    return sample;
}

/* ---- connections ---- */

struct flow {
    int fd;
    int writing; /* EPOLLOUT asked for */
    uint64_t sent_bytes, owed_bytes, received_bytes;
    uint64_t messages_queued, messages_received;
    uint64_t *queued_at; /* a ring of DEPTH send times */
};

struct generator {
    struct settings settings;
    int epoll;
    struct flow *flows;
    long flow_count;
    long message_size, depth; /* of the loop: 1 and 1 while opening idle connections */
    char *pattern;
    size_t pattern_length;
    char *scratch;
    struct histogram measured, corrected;
    uint64_t expected_interval;
    int sending, measuring;
    uint64_t completed, echoed_bytes;
};

static uint64_t in_flight(const struct flow *flow) {
    return flow->messages_queued - flow->messages_received;
}

static void want_writes(struct generator *g, struct flow *flow, int writing) {
    if (flow->writing == writing) {
        return;
    }
    struct epoll_event event = {.events = EPOLLIN | (writing ? EPOLLOUT : 0), .data.ptr = flow};
    if (epoll_ctl(g->epoll, EPOLL_CTL_MOD, flow->fd, &event) < 0) {
        fail("epoll_ctl: %s", strerror(errno));
    }
    flow->writing = writing;
}

/* Writes owed bytes until done or the socket is full; asks for EPOLLOUT in the latter case. */
static void flow_write(struct generator *g, struct flow *flow) {
    while (flow->owed_bytes > 0) {
        size_t start = flow->sent_bytes % PATTERN;
        size_t length = flow->owed_bytes < g->pattern_length - PATTERN ? flow->owed_bytes
                                                                        : g->pattern_length - PATTERN;
        ssize_t written = write(flow->fd, g->pattern + start, length);
        if (written < 0) {
            if (errno == EAGAIN) {
                want_writes(g, flow, 1);
                return;
            }
            fail("write to the server: %s", strerror(errno));
        }
        flow->sent_bytes += (uint64_t) written;
        flow->owed_bytes -= (uint64_t) written;
    }
    want_writes(g, flow, 0);
}

/* Queues one more message, stamped now, and writes what the socket takes. */
static void flow_queue(struct generator *g, struct flow *flow, uint64_t now) {
    flow->queued_at[flow->messages_queued % (uint64_t) g->depth] = now;
    flow->messages_queued++;
    flow->owed_bytes += (uint64_t) g->message_size;
    flow_write(g, flow);
}

/* Records a message that came back and, while sending, queues the next one; the caller writes them. */
static void completed(struct generator *g, struct flow *flow, uint64_t nanos, uint64_t now) {
    uint64_t value = nanos < 1 ? 1 : nanos > HIGHEST_NANOS ? HIGHEST_NANOS : nanos;
    histogram_record(&g->measured, value);
    histogram_record_corrected(&g->corrected, value, g->expected_interval);
    if (g->measuring) {
        g->completed++;
    }
    if (g->sending) {
        flow->queued_at[flow->messages_queued % (uint64_t) g->depth] = now;
        flow->messages_queued++;
        flow->owed_bytes += (uint64_t) g->message_size;
    }
}

/* Reads what is there, checks every byte against the pattern, and completes each message that came back whole. */
static void flow_read(struct generator *g, struct flow *flow) {
    ssize_t count = read(flow->fd, g->scratch, SCRATCH);
    if (count == 0) {
        fail("the server closed a connection");
    }
    if (count < 0) {
        if (errno == EAGAIN) {
            return;
        }
        fail("read from the server: %s", strerror(errno));
    }
    if (flow->received_bytes + (uint64_t) count > flow->sent_bytes) {
        fail("the server sent %" PRIu64 " bytes, more than the %" PRIu64 " sent to it",
             flow->received_bytes + (uint64_t) count, flow->sent_bytes);
    }
    const char *expected = g->pattern + flow->received_bytes % PATTERN;
    if (memcmp(g->scratch, expected, (size_t) count) != 0) {
        ssize_t at = 0;
        while (g->scratch[at] == expected[at]) {
            at++;
        }
        fail("echo differs at byte %" PRIu64 ": %d instead of %d", flow->received_bytes + (uint64_t) at,
             (signed char) g->scratch[at], (signed char) expected[at]);
    }
    flow->received_bytes += (uint64_t) count;
    if (g->measuring) {
        g->echoed_bytes += (uint64_t) count;
    }
    uint64_t now = now_nanos();
    while (flow->received_bytes >= (flow->messages_received + 1) * (uint64_t) g->message_size) {
        uint64_t queued = flow->queued_at[flow->messages_received % (uint64_t) g->depth];
        flow->messages_received++;
        completed(g, flow, now - queued, now);
    }
    /* One write for every message this read completed: a read of a pipeline often completes several. */
    if (flow->owed_bytes > 0 && !flow->writing) {
        flow_write(g, flow);
    }
}

/* Waits up to {@code timeout_ms} for events and handles them. */
static void turn(struct generator *g, int timeout_ms) {
    struct epoll_event events[EVENTS];
    int ready = epoll_wait(g->epoll, events, EVENTS, timeout_ms);
    if (ready < 0) {
        if (errno == EINTR) {
            return;
        }
        fail("epoll_wait: %s", strerror(errno));
    }
    for (int i = 0; i < ready; i++) {
        struct flow *flow = events[i].data.ptr;
        if (events[i].events & (EPOLLERR | EPOLLHUP)) {
            int error = 0;
            socklen_t length = sizeof error;
            getsockopt(flow->fd, SOL_SOCKET, SO_ERROR, &error, &length);
            if (error != 0) {
                fail("connection failed: %s", strerror(error));
            }
        }
        if (events[i].events & EPOLLOUT) {
            flow_write(g, flow);
        }
        if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
            flow_read(g, flow);
        }
    }
}

static void spin(struct generator *g, uint64_t deadline) {
    while ((int64_t) (now_nanos() - deadline) < 0) {
        turn(g, 100);
    }
}

static uint64_t total_in_flight(const struct generator *g) {
    uint64_t total = 0;
    for (long i = 0; i < g->flow_count; i++) {
        total += in_flight(&g->flows[i]);
    }
    return total;
}

/* Stops sending and waits (at most 10 s) for every message in flight to come back. */
static void drain(struct generator *g) {
    int was_sending = g->sending;
    g->sending = 0;
    uint64_t deadline = now_nanos() + DRAIN_SECONDS * 1000000000ULL;
    uint64_t left;
    while ((left = total_in_flight(g)) > 0) {
        if ((int64_t) (now_nanos() - deadline) >= 0) {
            fail("%" PRIu64 " messages still in flight %d s after sending stopped", left, DRAIN_SECONDS);
        }
        turn(g, 100);
    }
    g->sending = was_sending && g->settings.mode != IDLE;
}

static void open_flow(struct generator *g, struct flow *flow, const struct sockaddr_in *server) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        fail("socket (connection %ld): %s", g->flow_count + 1, strerror(errno));
    }
    if (connect(fd, (const struct sockaddr *) server, sizeof *server) < 0) {
        fail("connect to 127.0.0.1:%d (connection %ld): %s", g->settings.port, g->flow_count + 1, strerror(errno));
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
        fail("fcntl: %s", strerror(errno));
    }
    memset(flow, 0, sizeof *flow);
    flow->fd = fd;
    flow->queued_at = calloc((size_t) g->depth, sizeof *flow->queued_at);
    if (flow->queued_at == NULL) {
        fail("out of memory");
    }
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = flow};
    if (epoll_ctl(g->epoll, EPOLL_CTL_ADD, fd, &event) < 0) {
        fail("epoll_ctl: %s", strerror(errno));
    }
}

/*
 * Opens the connections in batches; for idle, each connection echoes one byte before the next batch starts, so that
 * the server has accepted every one and no more than a batch waits in its accept queue.
 */
static void open_all(struct generator *g) {
    struct sockaddr_in server = {.sin_family = AF_INET, .sin_port = htons((uint16_t) g->settings.port)};
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    while (g->flow_count < g->settings.connections) {
        long first = g->flow_count;
        while (g->flow_count < g->settings.connections && g->flow_count - first < CONNECT_BATCH) {
            open_flow(g, &g->flows[g->flow_count], &server);
            g->flow_count++;
        }
        if (g->settings.mode == IDLE) {
            g->sending = 0;
            uint64_t now = now_nanos();
            for (long i = first; i < g->flow_count; i++) {
                flow_queue(g, &g->flows[i], now);
            }
            drain(g);
        }
    }
}

static void loaded(struct generator *g) {
    const struct settings *s = &g->settings;
    open_all(g);
    uint64_t now = now_nanos();
    for (long i = 0; i < g->flow_count; i++) {
        for (long k = 0; k < s->depth; k++) {
            flow_queue(g, &g->flows[i], now);
        }
    }
    spin(g, now + (uint64_t) s->warmup_ms * 1000000ULL);
    /* Sends on a connection are due as often as one round trip allows, shared among its messages in flight. */
    if (g->measured.total > 0) {
        uint64_t interval = (uint64_t) histogram_percentile(&g->measured, 50) / (uint64_t) s->depth;
        g->expected_interval = interval < 1 ? 1 : interval;
    }
    histogram_reset(&g->measured);
    histogram_reset(&g->corrected);
    g->measuring = 1;
    g->completed = 0;
    g->echoed_bytes = 0;
    struct cpu_sample before = cpu_sample(s->server_pid);
    spin(g, before.nanos + (uint64_t) s->measure_ms * 1000000ULL);
    struct cpu_sample after = cpu_sample(s->server_pid);
    g->measuring = 0;
    uint64_t messages = g->completed;
    uint64_t echoed = g->echoed_bytes;
    drain(g);

    double seconds = (double) (after.nanos - before.nanos) / 1e9;
    double generator = (double) (after.generator_nanos - before.generator_nanos) / 1e9 / seconds * 100;
    double server = (double) (after.server_ticks - before.server_ticks) / TICKS / seconds * 100;
    double machine = (double) (after.machine_busy_ticks - before.machine_busy_ticks) / TICKS / seconds * 100;
    double softirq = (double) (after.softirq_ticks - before.softirq_ticks) / TICKS / seconds * 100;
    double foreign = machine - generator - server;
    printf("RESULT mode=%s connections=%ld size=%ld depth=%ld messages=%" PRIu64 " seconds=%.3f msgsPerSec=%.1f"
           " mbPerSec=%.2f p50us=%.1f p99us=%.1f p999us=%.1f measuredP99us=%.1f maxus=%.1f generatorCpu=%.1f"
           " serverCpu=%.1f foreignCpu=%.1f softirqCpu=%.1f echoedBytes=%" PRIu64 " expectedIntervalUs=%.1f\n",
           mode_names[s->mode], g->flow_count, s->size, s->depth, messages, seconds, (double) messages / seconds,
           (double) messages * (double) s->size / seconds / 1e6, histogram_percentile(&g->corrected, 50) / 1e3,
           histogram_percentile(&g->corrected, 99) / 1e3, histogram_percentile(&g->corrected, 99.9) / 1e3,
           histogram_percentile(&g->measured, 99) / 1e3, histogram_percentile(&g->measured, 100) / 1e3, generator,
           server, foreign < 0 ? 0 : foreign, softirq, echoed, (double) g->expected_interval / 1e3);
}

/* Waits for a line (or the end) of standard input, at most the given time. */
static void await_line(long millis) {
    uint64_t deadline = now_nanos() + (uint64_t) millis * 1000000ULL;
    char buffer[256];
    for (;;) {
        int64_t left = (int64_t) (deadline - now_nanos()) / 1000000;
        if (left <= 0) {
            return;
        }
        struct pollfd input = {.fd = STDIN_FILENO, .events = POLLIN};
        int ready = poll(&input, 1, left > 1000 ? 1000 : (int) left);
        if (ready > 0) {
            ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
            if (n <= 0 || memchr(buffer, '\n', (size_t) n) != NULL) {
                return;
            }
        } else if (ready < 0 && errno != EINTR) {
            return;
        }
    }
}

static void idle(struct generator *g) {
    uint64_t started = now_nanos();
    open_all(g);
    double open_seconds = (double) (now_nanos() - started) / 1e9;
    printf("OPEN %ld\n", g->flow_count);
    fflush(stdout);
    await_line(g->settings.hold_ms);
    printf("RESULT mode=IDLE connections=%ld openSeconds=%.2f\n", g->flow_count, open_seconds);
}

static void percentiles(struct generator *g) {
    unsigned long long value;
    while (scanf("%llu", &value) == 1) {
        histogram_record(&g->measured, value);
        histogram_record_corrected(&g->corrected, value, (uint64_t) g->settings.expected_interval_ns);
    }
    if (!feof(stdin)) {
        fail("percentiles: expected whole numbers of nanoseconds on the standard input");
    }
    printf("RESULT mode=PERCENTILES count=%" PRIu64 " p50ns=%.1f p99ns=%.1f p999ns=%.1f maxns=%.1f"
           " correctedCount=%" PRIu64 " correctedP50ns=%.1f correctedP99ns=%.1f correctedP999ns=%.1f\n",
           g->measured.total, histogram_percentile(&g->measured, 50), histogram_percentile(&g->measured, 99),
           histogram_percentile(&g->measured, 99.9), histogram_percentile(&g->measured, 100), g->corrected.total,
           histogram_percentile(&g->corrected, 50), histogram_percentile(&g->corrected, 99),
           histogram_percentile(&g->corrected, 99.9));
}

/* ---- options ---- */

static long number(const char *name, const char *text) {
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || *text == '\0' || *end != '\0' || value < 0) {
        fail("--%s must be a whole number, not %s", name, text);
    }
    return value;
}

static struct settings parse(int argc, char **argv) {
    struct settings s = {.port = 7001, .mode = PING_PONG, .connections = 100, .size = 64, .depth = 1,
                         .warmup_ms = 2000, .measure_ms = 5000, .hold_ms = 60000, .server_pid = 0};
    long port = s.port;
    const struct {
        const char *name;
        long *value;
    } numbers[] = {{"port", &port}, {"connections", &s.connections}, {"size", &s.size}, {"depth", &s.depth},
                   {"warmup-ms", &s.warmup_ms}, {"measure-ms", &s.measure_ms}, {"hold-ms", &s.hold_ms},
                   {"server-pid", &s.server_pid}, {"expected-interval-ns", &s.expected_interval_ns}};
    for (int i = 1; i < argc; i += 2) {
        const char *option = argv[i];
        if (strncmp(option, "--", 2) != 0 || i + 1 >= argc) {
            fail("expected --name value, found %s", option);
        }
        const char *name = option + 2, *value = argv[i + 1];
        int known = 0;
        for (size_t n = 0; n < sizeof numbers / sizeof numbers[0]; n++) {
            if (strcmp(name, numbers[n].name) == 0) {
                *numbers[n].value = number(name, value);
                known = 1;
            }
        }
        if (strcmp(name, "mode") == 0) {
            known = 1;
            int mode = -1;
            for (int m = PING_PONG; m <= PERCENTILES; m++) {
                if (strcmp(value, mode_options[m]) == 0) {
                    mode = m;
                }
            }
            if (mode < 0) {
                fail("--mode must be ping-pong, pipeline, idle or percentiles, not %s", value);
            }
            s.mode = (enum mode) mode;
        }
        if (!known) {
            fail("unknown option %s", option);
        }
    }
    if (port < 1 || port > 65535) {
        fail("--port must be 1..65535, not %ld", port);
    }
    s.port = (int) port;
    if (s.connections < 1 || s.size < 1 || s.depth < 1) {
        fail("connections, size and depth must be at least 1");
    }
    if (s.size > 64L * 1024 * 1024 || s.depth > 1024 * 1024) {
        fail("--size is at most 64 MiB and --depth at most 1,048,576");
    }
    if (s.mode == PING_PONG && s.depth != 1) {
        fail("ping-pong has one message in flight; use pipeline for more");
    }
    if (s.mode != IDLE && s.measure_ms < 1) {
        fail("--measure-ms must be at least 1");
    }
    return s;
}

/* Every connection is a descriptor: take the hard open-file limit, as the JDK does at start-up. */
static void raise_open_files(long connections) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
        && (rlim_t) connections + 16 > limit.rlim_cur) {
        fail("%ld connections need more descriptors than the open-file limit of %ld", connections,
             (long) limit.rlim_cur);
    }
}

int main(int argc, char **argv) {
    static struct generator g;
    g.settings = parse(argc, argv);
    if (g.settings.mode == PERCENTILES) {
        percentiles(&g);
        return 0;
    }
    raise_open_files(g.settings.connections);
    g.message_size = g.settings.mode == IDLE ? 1 : g.settings.size;
    g.depth = g.settings.mode == IDLE ? 1 : g.settings.depth;
    /* Long enough for any write (all of a connection's messages in flight) and any read, from any offset. */
    size_t longest = (size_t) (g.message_size * g.depth);
    if (longest < SCRATCH) {
        longest = SCRATCH;
    }
    g.pattern_length = (longest / PATTERN + 2) * PATTERN;
    g.pattern = malloc(g.pattern_length);
    g.scratch = malloc(SCRATCH);
    g.flows = calloc((size_t) g.settings.connections, sizeof *g.flows);
    if (g.pattern == NULL || g.scratch == NULL || g.flows == NULL) {
        fail("out of memory");
    }
    for (size_t i = 0; i < g.pattern_length; i++) {
        g.pattern[i] = (char) (i % PATTERN);
    }
    g.epoll = epoll_create1(0);
    if (g.epoll < 0) {
        fail("epoll_create1: %s", strerror(errno));
    }
    g.sending = 1;
    if (g.settings.mode == IDLE) {
        idle(&g);
    } else {
        loaded(&g);
    }
    fflush(stdout);
    for (long i = 0; i < g.flow_count; i++) {
        close(g.flows[i].fd);
    }
    return 0;
}
