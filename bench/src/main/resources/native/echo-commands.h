/*
 * What the C echo servers share: the runner's commands on their standard input. A server hands every byte it reads
 * from its standard input to commands_received, which answers each whole line: "memory" with
 * "MEMORY heap=0 rss=BYTES" (a C server has no heap to collect), anything else with "UNKNOWN line".
 * Included by c-epoll.c and c-uring.c; built beside them by the benchmark runner.
 */
#ifndef ECHO_COMMANDS_H
#define ECHO_COMMANDS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct commands {
    char text[256];
    size_t length;
};

/* VmRSS from /proc/self/status, in bytes; -1 where it cannot be read. */
static long resident_bytes(void) {
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    if (status == NULL) {
        return -1;
    }
    while (fgets(line, sizeof line, status) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(status);
    return kib < 0 ? -1 : kib * 1024;
}

/* Where the next bytes of standard input go. */
static char *commands_space(struct commands *commands) {
    return commands->text + commands->length;
}

/* How many bytes fit there. */
static size_t commands_room(const struct commands *commands) {
    return sizeof commands->text - commands->length - 1;
}

/* Takes {@code count} bytes just read into commands_space and answers every whole line among them. */
static void commands_received(struct commands *commands, size_t count) {
    commands->length += count;
    commands->text[commands->length] = '\0';
    char *newline;
    while ((newline = strchr(commands->text, '\n')) != NULL) {
        *newline = '\0';
        if (strcmp(commands->text, "memory") == 0) {
            printf("MEMORY heap=0 rss=%ld\n", resident_bytes());
        } else {
            printf("UNKNOWN %s\n", commands->text);
        }
        fflush(stdout);
        commands->length -= (size_t) (newline + 1 - commands->text);
        memmove(commands->text, newline + 1, commands->length + 1);
    }
    /* A line longer than the buffer is no command: drop it rather than stall. */
    if (commands_room(commands) == 0) {
        commands->length = 0;
    }
}

#endif
