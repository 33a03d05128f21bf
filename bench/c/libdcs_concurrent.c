/* Concurrency through ONE libdcs client: -t threads take calls from a shared counter
 * until -n restores are done, so -t restores are in flight at any time. The client's
 * handle pool gives each in-flight call its own kept-alive connection. */
#include <dcs/dcs.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"

typedef struct {
    dcs_client *client;
    const bench_options *o;
    atomic_long next;
} shared_work;

static void *worker(void *arg) {
    shared_work *w = arg;
    for (;;) {
        long i = atomic_fetch_add(&w->next, 1);
        if (i >= w->o->calls) return NULL;
        const bench_target *t = bench_target_at(w->o, i);
        char *restore_id = NULL;
        dcs_error *err = NULL;
        if (dcs_restore_instance(w->client, t->instance, t->backup, NULL, NULL, &restore_id,
                                 &err) != DCS_OK) {
            fprintf(stderr, "call %ld failed: %s\n", i, dcs_error_message(err));
            exit(1);
        }
        dcs_string_free(restore_id);
    }
}

static void run_round(shared_work *w, int threads) {
    pthread_t *ids = malloc((size_t)threads * sizeof *ids);
    atomic_store(&w->next, 0);
    for (int k = 0; k < threads; k++) pthread_create(&ids[k], NULL, worker, w);
    for (int k = 0; k < threads; k++) pthread_join(ids[k], NULL);
    free(ids);
}

int main(int argc, char **argv) {
    bench_options o;
    bench_parse(argc, argv, &o);
    dcs_client_options *opts = NULL;
    dcs_error *err = NULL;
    shared_work w = {.o = &o};
    if (dcs_client_options_new(&opts, &err) != DCS_OK ||
        dcs_client_options_set_endpoint(opts, o.url, &err) != DCS_OK ||
        dcs_client_options_set_credentials(opts, BENCH_AK, BENCH_SK, &err) != DCS_OK ||
        dcs_client_options_set_project_id(opts, BENCH_PROJECT, &err) != DCS_OK ||
        dcs_client_new(opts, &w.client, &err) != DCS_OK) {
        fprintf(stderr, "client: %s\n", err ? dcs_error_message(err) : "?");
        return 1;
    }
    dcs_client_options_free(opts);
    /* Warm-up: open the -t connections once, as a long-lived service would have. */
    run_round(&w, o.inflight);
    for (int rep = 0; rep < o.reps; rep++) {
        double start = bench_now(), cpu = bench_cpu();
        long switches = bench_context_switches();
        run_round(&w, o.inflight);
        printf(
            "{\"rep\": %d, \"inflight\": %d, \"calls\": %ld, \"seconds\": %.6f, "
            "\"cpu_seconds\": %.6f, \"context_switches\": %ld}\n",
            rep, o.inflight, o.calls, bench_now() - start, bench_cpu() - cpu,
            bench_context_switches() - switches);
        fflush(stdout);
    }
    dcs_client_free(w.client);
    return 0;
}
