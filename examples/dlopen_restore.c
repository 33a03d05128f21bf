/*
 * dlopen_restore.c - load libdcs.so.1 at run time, as a plug-in host does, check its
 * version, then start a restore.
 *
 * Only the header's types are used at compile time; the program does not link libdcs.
 *
 *     dlopen_restore [LIBRARY] INSTANCE_ID BACKUP_ID      (LIBRARY defaults to libdcs.so.1)
 */
#include <dcs/dcs.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

typedef int (*version_number_fn)(void);
typedef dcs_status (*options_new_fn)(dcs_client_options **, dcs_error **);
typedef dcs_status (*options_load_env_fn)(dcs_client_options *, dcs_error **);
typedef void (*options_free_fn)(dcs_client_options *);
typedef dcs_status (*client_new_fn)(const dcs_client_options *, dcs_client **, dcs_error **);
typedef void (*client_free_fn)(dcs_client *);
typedef dcs_status (*restore_fn)(dcs_client *, const char *, const char *, const char *,
                                 const dcs_call_options *, char **, dcs_error **);
typedef const char *(*error_message_fn)(const dcs_error *);
typedef void (*error_free_fn)(dcs_error *);
typedef void (*string_free_fn)(char *);

/* dlsym returns an object pointer; POSIX guarantees it converts to a function pointer. */
static void *symbol(void *lib, const char *name) {
    void *p = dlsym(lib, name);
    if (p == NULL) {
        fprintf(stderr, "libdcs lacks %s: %s\n", name, dlerror());
    }
    return p;
}

int main(int argc, char **argv) {
    const char *path = argc > 3 ? argv[1] : "libdcs.so.1";
    const char *instance_id = argv[argc > 3 ? 2 : 1];
    const char *backup_id = argv[argc > 3 ? 3 : 2];
    version_number_fn version_number = NULL;
    options_new_fn options_new = NULL;
    options_load_env_fn options_load_env = NULL;
    options_free_fn options_free = NULL;
    client_new_fn client_new = NULL;
    client_free_fn client_free = NULL;
    restore_fn restore = NULL;
    error_message_fn error_message = NULL;
    error_free_fn error_free = NULL;
    string_free_fn string_free = NULL;
    dcs_client_options *opts = NULL;
    dcs_client *client = NULL;
    dcs_error *err = NULL;
    char *restore_id = NULL;
    int rc = 1;
    void *lib;

    if (argc < 3) {
        fprintf(stderr, "usage: %s [LIBRARY] INSTANCE_ID BACKUP_ID\n", argv[0]);
        return 2;
    }
    lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "cannot load %s: %s\n", path, dlerror());
        return 1;
    }
    *(void **)&version_number = symbol(lib, "dcs_version_number");
    if (version_number == NULL) {
        goto done;
    }
    /* The ABI promise: same major version, and at least the minor this host was built for. */
    if (version_number() / 10000 != DCS_VERSION_MAJOR || version_number() < DCS_VERSION_NUMBER) {
        fprintf(stderr, "%s is version %d; this host needs %d.x >= %d\n", path, version_number(),
                DCS_VERSION_MAJOR, DCS_VERSION_NUMBER);
        goto done;
    }
    *(void **)&options_new = symbol(lib, "dcs_client_options_new");
    *(void **)&options_load_env = symbol(lib, "dcs_client_options_load_env");
    *(void **)&options_free = symbol(lib, "dcs_client_options_free");
    *(void **)&client_new = symbol(lib, "dcs_client_new");
    *(void **)&client_free = symbol(lib, "dcs_client_free");
    *(void **)&restore = symbol(lib, "dcs_restore_instance");
    *(void **)&error_message = symbol(lib, "dcs_error_message");
    *(void **)&error_free = symbol(lib, "dcs_error_free");
    *(void **)&string_free = symbol(lib, "dcs_string_free");
    if (!options_new || !options_load_env || !options_free || !client_new || !client_free ||
        !restore || !error_message || !error_free || !string_free) {
        goto done;
    }
    printf("loaded %s, version %d\n", path, version_number());
    if (options_new(&opts, &err) != DCS_OK || options_load_env(opts, &err) != DCS_OK ||
        client_new(opts, &client, &err) != DCS_OK ||
        restore(client, instance_id, backup_id, NULL, NULL, &restore_id, &err) != DCS_OK) {
        fprintf(stderr, "restore failed: %s\n", error_message(err));
        error_free(err);
        goto done;
    }
    printf("restore %s started\n", restore_id);
    string_free(restore_id);
    rc = 0;

done:
    if (client != NULL) {
        client_free(client);
    }
    if (opts != NULL) {
        options_free(opts);
    }
    dlclose(lib);
    return rc;
}
