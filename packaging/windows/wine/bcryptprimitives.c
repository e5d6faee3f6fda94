/* A stand-in for Windows' bcryptprimitives.dll, for running the Windows
 * build under wine 8.0 in tests only (real Windows 10 and 11 have the DLL).
 * Rust's standard library asks it for random bytes at start (ProcessPrng);
 * this one answers from RtlGenRandom (advapi32's SystemFunction036), which
 * wine has. Never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
