/*
 * waiter.c - one restore, followed to its end, for bench/waiter/run.py.
 *
 *     waiter MODE INSTANCE_ID BACKUP_ID
 *
 * Starts a restore through the C ABI and waits for it in one of two ways:
 *   libdcs   dcs_wait_for_restore with the library's default wait options;
 *   fixed10  the official Terraform provider's way: every 10 s, starting 10 s after the
 *            restore call, list the instance's restore records (dcs_list_restores, every
 *            page, no filter) and look for the id.
 * The client comes from the environment (dcs_client_options_load_env: HUAWEICLOUD_SDK_AK,
 * HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_PROJECT_ID, DCS_ENDPOINT). Prints one JSON line:
 * {"restore_id", "status", "updated_at_ms", "returned_at_ms", "polls"}, where returned_at_ms
 * is our wall clock when the wait returned and polls counts this program's own polls (the
 * runner counts requests from the emulator's log instead).
 */
#define _POSIX_C_SOURCE 200809L
#include <dcs/dcs.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define FIXED_INTERVAL_S 10

static int64_t wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int fail(const char *what, dcs_error *err) {
    fprintf(stderr, "waiter: %s failed: %s [%s]\n", what, dcs_error_message(err),
            dcs_status_str(dcs_error_status(err)));
    dcs_error_free(err);
    return 1;
}

static void print_result(const char *restore_id, const dcs_restore_record *record,
                         int64_t returned_at, int polls) {
    printf(
        "{\"restore_id\": \"%s\", \"status\": \"%s\", \"updated_at_ms\": %lld, "
        "\"returned_at_ms\": %lld, \"polls\": %d}\n",
        restore_id, dcs_restore_record_status(record),
        (long long)dcs_restore_record_updated_at_ms(record), (long long)returned_at, polls);
}

static int poll_count;

static void count_poll(void *user_data, const dcs_restore_record *record) {
    (void)user_data;
    (void)record;
    ++poll_count;
}

static int wait_libdcs(dcs_client *client, const char *instance, const char *restore_id) {
    dcs_wait_options *wait = NULL;
    dcs_restore_record *record = NULL;
    dcs_error *err = NULL;
    if (dcs_wait_options_new(&wait, &err) != DCS_OK ||
        dcs_wait_options_set_progress_callback(wait, count_poll, NULL, &err) != DCS_OK) {
        dcs_wait_options_free(wait);
        return fail("configuring the wait", err);
    }
    dcs_status status =
        dcs_wait_for_restore(client, instance, restore_id, wait, NULL, &record, &err);
    int64_t returned_at = wall_ms();
    dcs_wait_options_free(wait);
    if (status != DCS_OK) {
        return fail("waiting", err);
    }
    print_result(restore_id, record, returned_at, poll_count);
    dcs_restore_record_free(record);
    return 0;
}

static int wait_fixed(dcs_client *client, const char *instance, const char *restore_id) {
    for (int polls = 1;; ++polls) {
        struct timespec interval = {FIXED_INTERVAL_S, 0};
        nanosleep(&interval, NULL);
        dcs_restore_list *list = NULL;
        dcs_error *err = NULL;
        if (dcs_list_restores(client, instance, NULL, NULL, &list, &err) != DCS_OK) {
            return fail("listing", err);
        }
        int64_t returned_at = wall_ms();
        for (size_t i = 0; i < dcs_restore_list_count(list); ++i) {
            const dcs_restore_record *record = dcs_restore_list_at(list, i);
            const char *status = dcs_restore_record_status(record);
            if (strcmp(dcs_restore_record_restore_id(record), restore_id) == 0 &&
                (strcmp(status, "succeed") == 0 || strcmp(status, "failed") == 0)) {
                print_result(restore_id, record, returned_at, polls);
                dcs_restore_list_free(list);
                return 0;
            }
        }
        dcs_restore_list_free(list);
    }
}

int main(int argc, char **argv) {
    if (argc != 4 || (strcmp(argv[1], "libdcs") != 0 && strcmp(argv[1], "fixed10") != 0)) {
        fprintf(stderr, "usage: %s libdcs|fixed10 INSTANCE_ID BACKUP_ID\n", argv[0]);
        return 2;
    }
    dcs_client_options *opts = NULL;
    dcs_client *client = NULL;
    dcs_error *err = NULL;
    char *restore_id = NULL;
    int rc = 1;
    if (dcs_client_options_new(&opts, &err) != DCS_OK ||
        dcs_client_options_load_env(opts, &err) != DCS_OK ||
        dcs_client_new(opts, &client, &err) != DCS_OK) {
        rc = fail("configuring the client", err);
        goto done;
    }
    if (dcs_restore_instance(client, argv[2], argv[3], NULL, NULL, &restore_id, &err) != DCS_OK) {
        rc = fail("restoring", err);
        goto done;
    }
    rc = strcmp(argv[1], "libdcs") == 0 ? wait_libdcs(client, argv[2], restore_id)
                                        : wait_fixed(client, argv[2], restore_id);
done:
    dcs_string_free(restore_id);
    dcs_client_free(client);
    dcs_client_options_free(opts);
    return rc;
}
