// The doctest runner of an integration test program. The program's dcs-emulator starts on
// first use (tests/support/emulator_fixture.hpp) and stops when the program exits.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
