/*
 * A C consumer of the installed libdcs, built with nothing but `pkg-config --cflags --libs`
 * as strict C99. With no argument it makes a signed restore of the instance and backup named
 * by DCS_TEST_INSTANCE / DCS_TEST_BACKUP (configured from the SDK environment variables);
 * with "--version" it only checks that the header and the library agree.
 */
#include <dcs/dcs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_version(void) {
    if (dcs_version_number() != DCS_VERSION_NUMBER ||
        strcmp(dcs_version_string(), DCS_VERSION_STRING) != 0) {
        fprintf(stderr, "header %s but library %s\n", DCS_VERSION_STRING, dcs_version_string());
        return 1;
    }
    printf("libdcs %s\n", dcs_version_string());
    return 0;
}

static int fail(const char *what, dcs_error *err) {
    fprintf(stderr, "%s: %s (%s)\n", what, dcs_error_message(err),
            dcs_status_str(dcs_error_status(err)));
    dcs_error_free(err);
    return 1;
}

int main(int argc, char **argv) {
    const char *instance = getenv("DCS_TEST_INSTANCE");
    const char *backup = getenv("DCS_TEST_BACKUP");
    dcs_client_options *opts = NULL;
    dcs_client *client = NULL;
    dcs_error *err = NULL;
    char *restore_id = NULL;
    int rc = 1;

    if (check_version() != 0) {
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        return 0;
    }
    if (instance == NULL || backup == NULL) {
        fprintf(stderr, "set DCS_TEST_INSTANCE and DCS_TEST_BACKUP\n");
        return 2;
    }
    if (dcs_client_options_new(&opts, &err) != DCS_OK ||
        dcs_client_options_load_env(opts, &err) != DCS_OK) {
        rc = fail("options", err);
        goto done;
    }
    if (dcs_client_new(opts, &client, &err) != DCS_OK) {
        rc = fail("client", err);
        goto done;
    }
    if (dcs_restore_instance(client, instance, backup, "install test", NULL, &restore_id, &err) !=
        DCS_OK) {
        rc = fail("restore", err);
        goto done;
    }
    printf("restore %s started\n", restore_id);
    rc = 0;

done:
    dcs_string_free(restore_id);
    dcs_client_free(client);
    dcs_client_options_free(opts);
    return rc;
}
