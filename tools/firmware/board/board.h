// The board layer of bmssim's firmware image for QEMU's mps2-an386: what the Embedded Swift
// application (tools/firmware/FirmwareMain.swift) calls, and nothing it does not.
#ifndef BMSSIM_BOARD_H
#define BMSSIM_BOARD_H

#include <stdint.h>
#include <stddef.h>

// Semihosting (the debugger's, here QEMU's, host services): files and exit.
int32_t board_file_open(const char *path, int32_t mode);   // mode: 1 read "rb", 5 write "wb"; -1 on failure
int32_t board_file_read(int32_t handle, void *buffer, int32_t count);   // bytes read, 0 at the end
int32_t board_file_write(int32_t handle, const void *buffer, int32_t count);   // 0 when all written
int32_t board_file_close(int32_t handle);
int32_t board_file_length(int32_t handle);
void board_print(const char *text);
_Noreturn void board_exit(int32_t status);

// The CMSDK UART0 of the board (a serial port to QEMU's -serial).
void board_uart_init(uint32_t baud);
void board_uart_put(uint8_t byte);
int32_t board_uart_get(void);   // a byte, or -1 when none is waiting

// SysTick as a free-running 24-bit down counter at the core clock.
void board_systick_start(void);
uint32_t board_systick_now(void);   // the counter's value (counts down)
uint32_t board_core_clock_hz(void);
uint32_t board_clock_us(void);   // microseconds, wrapping (call at least every 0.6 s)

// The stack: how many bytes of it were ever used (the reset handler paints it).
uint32_t board_stack_used(void);
uint32_t board_stack_size(void);
void board_stack_repaint(void);
void board_instruction_loop(uint32_t n);   // 2 n instructions and a return: calibrates counting   // paints the unused stack again (for one phase's high-water mark)

#endif
