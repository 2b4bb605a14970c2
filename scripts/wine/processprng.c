// A stand-in for Windows' bcryptprimitives.dll!ProcessPrng, which Go >= 1.22
// programs need at start and Wine 8 (Debian 12) lacks: fills the buffer from
// RtlGenRandom (advapi32!SystemFunction036). Used only to run Windows test
// binaries under Wine (scripts/e2e-windows-hooks.sh); never shipped.
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID, ULONG);
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, n)) return FALSE;
        data += n; len -= n;
    }
    return TRUE;
}
