/*
 * restore.c - restore a DCS instance from one of its backups and wait until it is done.
 *
 * Uses only <dcs/dcs.h>. Configuration comes from the official SDK environment variables
 * (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_PROJECT_ID) and DCS_ENDPOINT or
 * DCS_REGION; the instance and backup ids from the command line:
 *
 *     restore INSTANCE_ID BACKUP_ID [REMARK]
 */
#include <dcs/dcs.h>
#include <stdio.h>

static void on_progress(void *user_data, const dcs_restore_record *record) {
    (void)user_data;
    printf("  %s %s%%\n", dcs_restore_record_status(record), dcs_restore_record_progress(record));
    fflush(stdout);
}

static int report(const char *what, dcs_error *err) {
    fprintf(stderr, "%s failed: %s [%s, HTTP %d, code \"%s\", request id \"%s\"]\n", what,
            dcs_error_message(err), dcs_status_str(dcs_error_status(err)),
            dcs_error_http_status(err), dcs_error_service_code(err), dcs_error_request_id(err));
    dcs_error_free(err);
    return 1;
}

int main(int argc, char **argv) {
    dcs_client_options *opts = NULL;
    dcs_client *client = NULL;
    dcs_wait_options *wait = NULL;
    dcs_restore_record *final_record = NULL;
    dcs_error *err = NULL;
    char *restore_id = NULL;
    int rc = 1;

    if (argc < 3) {
        fprintf(stderr, "usage: %s INSTANCE_ID BACKUP_ID [REMARK]\n", argv[0]);
        return 2;
    }
    if (dcs_client_options_new(&opts, &err) != DCS_OK ||
        dcs_client_options_load_env(opts, &err) != DCS_OK) {
        rc = report("configuring", err);
        goto done;
    }
    if (dcs_client_new(opts, &client, &err) != DCS_OK) {
        rc = report("creating the client", err);
        goto done;
    }
    if (dcs_restore_instance(client, argv[1], argv[2], argc > 3 ? argv[3] : NULL, NULL, &restore_id,
                             &err) != DCS_OK) {
        rc = report("restore", err);
        goto done;
    }
    printf("restore %s started\n", restore_id);

    if (dcs_wait_options_new(&wait, &err) != DCS_OK ||
        dcs_wait_options_set_poll_interval_ms(wait, 200, &err) != DCS_OK ||
        dcs_wait_options_set_progress_callback(wait, on_progress, NULL, &err) != DCS_OK) {
        rc = report("configuring the wait", err);
        goto done;
    }
    if (dcs_wait_for_restore(client, argv[1], restore_id, wait, NULL, &final_record, &err) !=
        DCS_OK) {
        rc = report("waiting for the restore", err);
        goto done;
    }
    printf("restore %s %s\n", restore_id, dcs_restore_record_status(final_record));
    rc = 0;

done:
    dcs_restore_record_free(final_record);
    dcs_string_free(restore_id);
    dcs_wait_options_free(wait);
    dcs_client_free(client);
    dcs_client_options_free(opts);
    return rc;
}
