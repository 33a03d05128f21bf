/* libdcs through its C ABI: sequential restores through one client, so one kept-alive
 * connection. Each call signs, sends, and decodes the restore id, as an application does.
 * With -m it also samples the resident set every that many calls, to show it stays flat. */
#include <dcs/dcs.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"

static dcs_client *new_client(const bench_options *o) {
    dcs_client_options *opts = NULL;
    dcs_client *client = NULL;
    dcs_error *err = NULL;
    if (dcs_client_options_new(&opts, &err) != DCS_OK ||
        dcs_client_options_set_endpoint(opts, o->url, &err) != DCS_OK ||
        dcs_client_options_set_credentials(opts, BENCH_AK, BENCH_SK, &err) != DCS_OK ||
        dcs_client_options_set_project_id(opts, BENCH_PROJECT, &err) != DCS_OK ||
        (o->ca_file && dcs_client_options_set_ca_file(opts, o->ca_file, &err) != DCS_OK) ||
        dcs_client_new(opts, &client, &err) != DCS_OK) {
        fprintf(stderr, "client: %s\n", err ? dcs_error_message(err) : "?");
        exit(1);
    }
    dcs_client_options_free(opts);
    return client;
}

static void restore(dcs_client *client, const bench_options *o, long i) {
    const bench_target *t = bench_target_at(o, i);
    char *restore_id = NULL;
    dcs_error *err = NULL;
    if (dcs_restore_instance(client, t->instance, t->backup, NULL, NULL, &restore_id, &err) !=
        DCS_OK) {
        fprintf(stderr, "call %ld failed: %s (%s)\n", i, dcs_error_message(err),
                dcs_error_service_code(err));
        exit(1);
    }
    dcs_string_free(restore_id);
}

int main(int argc, char **argv) {
    bench_options o;
    bench_parse(argc, argv, &o);
    dcs_client *client = new_client(&o);
    for (long i = 0; i < o.warmup; i++) restore(client, &o, i);
    for (int rep = 0; rep < o.reps; rep++) {
        double start = bench_now(), cpu = bench_cpu();
        for (long i = 0; i < o.calls; i++) {
            restore(client, &o, o.warmup + i);
            if (o.rss_every > 0 && (i + 1) % o.rss_every == 0)
                printf("{\"rss_after\": %ld, \"rss_kib\": %ld}\n", i + 1, bench_rss_kib());
        }
        printf("{\"rep\": %d, \"calls\": %ld, \"seconds\": %.6f, \"cpu_seconds\": %.6f}\n", rep,
               o.calls, bench_now() - start, bench_cpu() - cpu);
        fflush(stdout);
    }
    dcs_client_free(client);
    return 0;
}
