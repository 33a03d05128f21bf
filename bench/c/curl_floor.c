/* The floor: bare libcurl, one easy handle reused for every call, so one kept-alive
 * connection, and only the status checked: nothing cheaper can talk HTTP through libcurl.
 * It sends the restore POST with Content-Type alone (the minimal POST), or with -H FILE the
 * very header lines libdcs sends, its signature computed beforehand (the same request
 * bytes: the harness records them from libdcs_seq). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"

static size_t discard(char *data, size_t size, size_t n, void *user) {
    (void)data;
    (void)user;
    return size * n;
}

static void post(CURL *h, const bench_options *o, long i, char *url, size_t url_size, char *body,
                 size_t body_size) {
    const bench_target *t = bench_target_at(o, i);
    snprintf(url, url_size, "%s/v2/%s/instances/%s/restores", o->url, BENCH_PROJECT, t->instance);
    snprintf(body, body_size, "{\"backup_id\":\"%s\"}", t->backup);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK || status != 200) {
        fprintf(stderr, "call %ld failed: %s, HTTP %ld\n", i, curl_easy_strerror(rc), status);
        exit(1);
    }
}

int main(int argc, char **argv) {
    bench_options o;
    bench_parse(argc, argv, &o);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *h = curl_easy_init();
    struct curl_slist *headers = bench_headers(&o);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (o.ca_file) curl_easy_setopt(h, CURLOPT_CAINFO, o.ca_file);
    char url[512], body[256];
    for (long i = 0; i < o.warmup; i++) post(h, &o, i, url, sizeof url, body, sizeof body);
    for (int rep = 0; rep < o.reps; rep++) {
        double start = bench_now(), cpu = bench_cpu();
        for (long i = 0; i < o.calls; i++)
            post(h, &o, o.warmup + i, url, sizeof url, body, sizeof body);
        printf("{\"rep\": %d, \"calls\": %ld, \"seconds\": %.6f, \"cpu_seconds\": %.6f}\n", rep,
               o.calls, bench_now() - start, bench_cpu() - cpu);
        fflush(stdout);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    curl_global_cleanup();
    return 0;
}
