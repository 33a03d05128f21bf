/* The floor at k in flight: bare libcurl, one thread, one multi handle driving -t easy
 * handles (so -t kept-alive connections), each re-added as soon as its previous POST is
 * done, until -n restores are done. The same POST as curl_floor.c (no signature, only the
 * status checked): what the cheapest libcurl client reaches with k requests in flight, the
 * ceiling for any client built on libcurl, next to wrk, which needs no HTTP library. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"

typedef struct {
    CURL *easy;
    char url[512];
    char body[256];
} slot;

static size_t discard(char *data, size_t size, size_t n, void *user) {
    (void)data;
    (void)user;
    return size * n;
}

static void start(CURLM *multi, slot *s, const bench_options *o, long i) {
    const bench_target *t = bench_target_at(o, i);
    snprintf(s->url, sizeof s->url, "%s/v2/%s/instances/%s/restores", o->url, BENCH_PROJECT,
             t->instance);
    snprintf(s->body, sizeof s->body, "{\"backup_id\":\"%s\"}", t->backup);
    curl_easy_setopt(s->easy, CURLOPT_URL, s->url);
    curl_easy_setopt(s->easy, CURLOPT_POSTFIELDS, s->body);
    curl_multi_add_handle(multi, s->easy);
}

/* Runs `calls` POSTs with every slot busy while work remains. */
static void run_round(CURLM *multi, slot *slots, int count, const bench_options *o, long calls) {
    long started = 0, done = 0;
    for (int k = 0; k < count && started < calls; k++) start(multi, &slots[k], o, started++);
    while (done < calls) {
        int running = 0, queued = 0;
        curl_multi_perform(multi, &running);
        CURLMsg *msg;
        while ((msg = curl_multi_info_read(multi, &queued)) != NULL) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL *easy = msg->easy_handle;
            CURLcode rc = msg->data.result;
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            if (rc != CURLE_OK || status != 200) {
                fprintf(stderr, "call failed: %s, HTTP %ld\n", curl_easy_strerror(rc), status);
                exit(1);
            }
            curl_multi_remove_handle(multi, easy);
            done++;
            if (started < calls) {
                slot *s = NULL;
                curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&s);
                start(multi, s, o, started++);
            }
        }
        if (done < calls) curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
}

int main(int argc, char **argv) {
    bench_options o;
    bench_parse(argc, argv, &o);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)o.inflight);
    struct curl_slist *headers = bench_headers(&o);
    slot *slots = calloc((size_t)o.inflight, sizeof *slots);
    for (int k = 0; k < o.inflight; k++) {
        CURL *h = curl_easy_init();
        slots[k].easy = h;
        curl_easy_setopt(h, CURLOPT_PRIVATE, &slots[k]);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    }
    /* Warm-up: open the connections once, as libdcs_concurrent does. */
    run_round(multi, slots, o.inflight, &o, o.calls);
    for (int rep = 0; rep < o.reps; rep++) {
        double start_s = bench_now(), cpu = bench_cpu();
        long switches = bench_context_switches();
        run_round(multi, slots, o.inflight, &o, o.calls);
        printf(
            "{\"rep\": %d, \"inflight\": %d, \"calls\": %ld, \"seconds\": %.6f, "
            "\"cpu_seconds\": %.6f, \"context_switches\": %ld}\n",
            rep, o.inflight, o.calls, bench_now() - start_s, bench_cpu() - cpu,
            bench_context_switches() - switches);
        fflush(stdout);
    }
    for (int k = 0; k < o.inflight; k++) curl_easy_cleanup(slots[k].easy);
    free(slots);
    curl_slist_free_all(headers);
    curl_multi_cleanup(multi);
    curl_global_cleanup();
    return 0;
}
