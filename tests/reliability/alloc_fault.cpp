// Replaces the global operator new and delete so that a test can make one allocation fail:
// one of exactly N bytes throws std::bad_alloc (libdcs answers DCS_E_NOMEM) or
// std::runtime_error (DCS_E_INTERNAL, what any bug that throws becomes at the C ABI). The C
// ABI copies a string argument into a std::string of its length + 1, and in the programs
// that use this file only libdcs's C++ code allocates through operator new (a C++ test
// driver aside, which never makes a string that long), so an argument hundreds of
// kilobytes long aims the fault at one call of the library and nothing else.
//
// Linked into reliability_secrets, which arms it with dcs_alloc_fault_arm(), and built as
// libdcs_alloc_fault.so, which the Python and Go secrets tests LD_PRELOAD into their child
// processes with DCS_ALLOC_FAULT="nomem=BYTES,internal=BYTES" in the environment (read at
// the first allocation).
#include "alloc_fault.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

#define DCS_ALLOC_FAULT_API __attribute__((visibility("default")))

namespace {

std::atomic<std::size_t> g_nomem_bytes{0};
std::atomic<std::size_t> g_internal_bytes{0};
std::atomic<bool> g_configured{false};
std::atomic<long> g_fired{0};

// The number after `key` in `spec` ("nomem=123,internal=456"), 0 when absent.
std::size_t setting(const char* spec, const char* key) {
    const char* at = std::strstr(spec, key);
    return at == nullptr ? 0 : std::strtoull(at + std::strlen(key), nullptr, 10);
}

void configure_from_environment() {
    if (g_configured.load(std::memory_order_acquire)) {
        return;
    }
    // getenv() does not allocate, so it is safe inside operator new.
    if (const char* spec = std::getenv("DCS_ALLOC_FAULT")) {
        g_nomem_bytes.store(setting(spec, "nomem="));
        g_internal_bytes.store(setting(spec, "internal="));
    }
    g_configured.store(true, std::memory_order_release);
}

void* allocate(std::size_t bytes) {
    configure_from_environment();
    if (bytes != 0 && bytes == g_nomem_bytes.load(std::memory_order_relaxed)) {
        g_fired.fetch_add(1);
        throw std::bad_alloc();
    }
    if (bytes != 0 && bytes == g_internal_bytes.load(std::memory_order_relaxed)) {
        g_fired.fetch_add(1);
        throw std::runtime_error("injected allocation fault (tests/reliability/alloc_fault.cpp)");
    }
    if (void* p = std::malloc(bytes == 0 ? 1 : bytes)) {
        return p;
    }
    throw std::bad_alloc();
}

void* allocate_nothrow(std::size_t bytes) noexcept {
    try {
        return allocate(bytes);
    } catch (...) {
        return nullptr;
    }
}

}  // namespace

extern "C" {

DCS_ALLOC_FAULT_API void dcs_alloc_fault_arm(std::size_t nomem_bytes, std::size_t internal_bytes) {
    g_nomem_bytes.store(nomem_bytes);
    g_internal_bytes.store(internal_bytes);
    g_configured.store(true, std::memory_order_release);
}

DCS_ALLOC_FAULT_API long dcs_alloc_fault_fired(void) { return g_fired.load(); }
}

// Every replaceable form that allocates or frees ordinary (not over-aligned) memory, so that
// no pointer from malloc() reaches a delete of another allocator (ASan would report it).
DCS_ALLOC_FAULT_API void* operator new(std::size_t bytes) { return allocate(bytes); }
DCS_ALLOC_FAULT_API void* operator new[](std::size_t bytes) { return allocate(bytes); }
DCS_ALLOC_FAULT_API void* operator new(std::size_t bytes, const std::nothrow_t& /*tag*/) noexcept {
    return allocate_nothrow(bytes);
}
DCS_ALLOC_FAULT_API void* operator new[](std::size_t bytes,
                                         const std::nothrow_t& /*tag*/) noexcept {
    return allocate_nothrow(bytes);
}
DCS_ALLOC_FAULT_API void operator delete(void* p) noexcept { std::free(p); }
DCS_ALLOC_FAULT_API void operator delete[](void* p) noexcept { std::free(p); }
DCS_ALLOC_FAULT_API void operator delete(void* p, std::size_t /*bytes*/) noexcept { std::free(p); }
DCS_ALLOC_FAULT_API void operator delete[](void* p, std::size_t /*bytes*/) noexcept {
    std::free(p);
}
DCS_ALLOC_FAULT_API void operator delete(void* p, const std::nothrow_t& /*tag*/) noexcept {
    std::free(p);
}
DCS_ALLOC_FAULT_API void operator delete[](void* p, const std::nothrow_t& /*tag*/) noexcept {
    std::free(p);
}
