/* Small helpers shared by the C benchmark programs: a monotonic clock, resident memory,
 * a list of (instance, backup) targets, and the command-line options they all take. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stddef.h>

/* Demo ids (the emulator's --demo seed); nginx accepts any. */
#define BENCH_AK "DEMOACCESSKEY0000001"
#define BENCH_SK "demo-secret-key-0123456789abcdefghijklmnop"
#define BENCH_PROJECT "0123456789abcdef0123456789abcdef"
#define BENCH_INSTANCE "6b7a1f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
#define BENCH_BACKUP "9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19"

double bench_now(void);            /* seconds, CLOCK_MONOTONIC */
double bench_cpu(void);            /* seconds of CPU used by the whole process (all threads) */
long bench_rss_kib(void);          /* this process's resident set, KiB */
long bench_context_switches(void); /* voluntary + involuntary, all threads so far */

/* One restore target. */
typedef struct {
    char instance[72];
    char backup[72];
} bench_target;

typedef struct {
    const char *url;       /* -u: base URL */
    long calls;            /* -n: measured calls per repetition */
    long warmup;           /* -w: calls before measuring */
    int reps;              /* -R: repetitions */
    int inflight;          /* -t: concurrent calls (threads) */
    long rss_every;        /* -m: sample RSS every this many calls (0 = never) */
    const char *ca_file;   /* -c: PEM CA bundle for HTTPS */
    const char *headers;   /* -H FILE: header lines to send (curl_floor, curl_multi_floor) */
    bench_target *targets; /* -i FILE: "instance backup" per line; else the demo pair */
    size_t target_count;
} bench_options;

/* Parses argv; exits with a usage line on error. */
void bench_parse(int argc, char **argv, bench_options *out);

/* The header list to send: the lines of -H FILE, or else "Content-Type: application/json"
 * alone (the minimal POST). */
struct curl_slist;
struct curl_slist *bench_headers(const bench_options *o);

/* The i-th target, round robin. */
const bench_target *bench_target_at(const bench_options *o, long i);

#endif
