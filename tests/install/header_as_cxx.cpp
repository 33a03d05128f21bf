// The public header compiles as C++ (this target builds it as C++11 with every warning on),
// and its declarations have C linkage.
#include <dcs/dcs.h>

#include <type_traits>

static_assert(std::is_same<decltype(&dcs_restore_instance),
                           dcs_status (*)(dcs_client *, const char *, const char *, const char *,
                                          const dcs_call_options *, char **, dcs_error **)>::value,
              "dcs_restore_instance has the documented signature");
static_assert(DCS_VERSION_NUMBER ==
                  DCS_VERSION_MAJOR * 10000 + DCS_VERSION_MINOR * 100 + DCS_VERSION_PATCH,
              "the version macros agree");

extern "C" int dcs_header_as_cxx_uses_status(void) { return DCS_E_RESTORE_FAILED; }
