// Semihosting: the host services a debugger (here QEMU, -semihosting) gives a target through
// `bkpt 0xAB` with an operation in r0 and a parameter block in r1.
#include "board.h"
#include <string.h>

enum { SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05, SYS_READ = 0x06, SYS_FLEN = 0x0C, SYS_EXIT_EXTENDED = 0x20 };

static int32_t semihost(int32_t op, const void *block) {
    register int32_t r0 __asm("r0") = op;
    register const void *r1 __asm("r1") = block;
    __asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

int32_t board_file_open(const char *path, int32_t mode) {
    const uint32_t block[3] = {(uint32_t)path, (uint32_t)mode, (uint32_t)strlen(path)};
    return semihost(SYS_OPEN, block);
}

int32_t board_file_read(int32_t handle, void *buffer, int32_t count) {
    const uint32_t block[3] = {(uint32_t)handle, (uint32_t)buffer, (uint32_t)count};
    int32_t left = semihost(SYS_READ, block);   // bytes NOT read
    return left < 0 ? -1 : count - left;
}

int32_t board_file_write(int32_t handle, const void *buffer, int32_t count) {
    const uint32_t block[3] = {(uint32_t)handle, (uint32_t)buffer, (uint32_t)count};
    return semihost(SYS_WRITE, block);
}

int32_t board_file_close(int32_t handle) {
    const uint32_t block[1] = {(uint32_t)handle};
    return semihost(SYS_CLOSE, block);
}

int32_t board_file_length(int32_t handle) {
    const uint32_t block[1] = {(uint32_t)handle};
    return semihost(SYS_FLEN, block);
}

void board_print(const char *text) { semihost(SYS_WRITE0, text); }

_Noreturn void board_exit(int32_t status) {
    const uint32_t block[2] = {0x20026u /* ADP_Stopped_ApplicationExit */, (uint32_t)status};
    semihost(SYS_EXIT_EXTENDED, block);
    for (;;) {}
}
