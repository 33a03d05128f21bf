/* Links against libdcs found by find_package(libdcs), and checks header and library agree. */
#include <dcs/dcs.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    dcs_client_options *opts = NULL;
    if (dcs_version_number() != DCS_VERSION_NUMBER ||
        strcmp(dcs_version_string(), DCS_VERSION_STRING) != 0) {
        fprintf(stderr, "header %s but library %s\n", DCS_VERSION_STRING, dcs_version_string());
        return 1;
    }
    if (dcs_client_options_new(&opts, NULL) != DCS_OK) {
        return 1;
    }
    dcs_client_options_free(opts);
    printf("libdcs %s via find_package\n", dcs_version_string());
    return 0;
}
