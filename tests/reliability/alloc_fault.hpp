// Allocation faults for the secrets tests (alloc_fault.cpp): the global operator new made to
// fail for one allocation size, so that a real call of libdcs ends DCS_E_NOMEM or
// DCS_E_INTERNAL as it would on an exhausted heap or after a bug.
#pragma once

#include <cstddef>

extern "C" {

// From now on an allocation of exactly `nomem_bytes` throws std::bad_alloc and one of exactly
// `internal_bytes` throws std::runtime_error; 0 turns either off. Overrides DCS_ALLOC_FAULT.
void dcs_alloc_fault_arm(std::size_t nomem_bytes, std::size_t internal_bytes);

// How many allocations failed on purpose so far.
long dcs_alloc_fault_fired(void);
}
