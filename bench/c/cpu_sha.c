/* Prints whether the CPU reports the SHA extensions (CPUID leaf 7, EBX bit 29), which
 * OpenSSL uses for SHA-256. Run natively and under valgrind, it shows whether callgrind's
 * instruction counts of the signature come from the same SHA-256 code path. */
#include <stdio.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
int main(void) {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) b = 0;
    printf("%u\n", (b >> 29) & 1u);
    return 0;
}
#else
int main(void) {
    printf("-1\n"); /* not x86: unknown */
    return 0;
}
#endif
