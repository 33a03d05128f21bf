#define _POSIX_C_SOURCE 200809L
#include "bench_util.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double bench_cpu(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

long bench_context_switches(void) {
    /* RUSAGE_SELF sums every thread of the process. */
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_nvcsw + u.ru_nivcsw;
}

long bench_rss_kib(void) {
    /* statm's second field is resident pages. */
    long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void load_targets(const char *path, bench_options *o) {
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    size_t cap = 64;
    o->targets = malloc(cap * sizeof *o->targets);
    bench_target t;
    while (fscanf(f, "%71s %71s", t.instance, t.backup) == 2) {
        if (o->target_count == cap) {
            cap *= 2;
            o->targets = realloc(o->targets, cap * sizeof *o->targets);
        }
        o->targets[o->target_count++] = t;
    }
    fclose(f);
    if (o->target_count == 0) {
        fprintf(stderr, "%s: no targets\n", path);
        exit(2);
    }
}

void bench_parse(int argc, char **argv, bench_options *o) {
    memset(o, 0, sizeof *o);
    o->calls = 1000;
    o->reps = 1;
    o->inflight = 1;
    int c;
    while ((c = getopt(argc, argv, "u:n:w:R:t:m:c:i:H:")) != -1) {
        switch (c) {
            case 'u':
                o->url = optarg;
                break;
            case 'n':
                o->calls = atol(optarg);
                break;
            case 'w':
                o->warmup = atol(optarg);
                break;
            case 'R':
                o->reps = atoi(optarg);
                break;
            case 't':
                o->inflight = atoi(optarg);
                break;
            case 'm':
                o->rss_every = atol(optarg);
                break;
            case 'c':
                o->ca_file = optarg;
                break;
            case 'i':
                load_targets(optarg, o);
                break;
            case 'H':
                o->headers = optarg;
                break;
            default:
                goto usage;
        }
    }
    if (!o->url || o->calls <= 0 || o->reps <= 0 || o->inflight <= 0) goto usage;
    if (o->target_count == 0) {
        o->targets = malloc(sizeof *o->targets);
        strcpy(o->targets[0].instance, BENCH_INSTANCE);
        strcpy(o->targets[0].backup, BENCH_BACKUP);
        o->target_count = 1;
    }
    return;
usage:
    fprintf(stderr,
            "usage: %s -u URL [-n calls] [-w warmup] [-R reps] [-t inflight] [-m rss_every]"
            " [-c ca_file] [-i targets_file] [-H headers_file]\n",
            argv[0]);
    exit(2);
}

const bench_target *bench_target_at(const bench_options *o, long i) {
    return &o->targets[(size_t)i % o->target_count];
}

struct curl_slist *bench_headers(const bench_options *o) {
    if (!o->headers) return curl_slist_append(NULL, "Content-Type: application/json");
    FILE *f = fopen(o->headers, "r");
    if (!f) {
        perror(o->headers);
        exit(2);
    }
    struct curl_slist *list = NULL;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0]) list = curl_slist_append(list, line);
    }
    fclose(f);
    if (!list) {
        fprintf(stderr, "%s: no headers\n", o->headers);
        exit(2);
    }
    return list;
}
