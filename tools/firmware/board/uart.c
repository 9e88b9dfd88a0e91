// The board's CMSDK APB UART0 (0x40004000) and SysTick; and what the Swift runtime and the C
// library expect from a board (putchar for print, the stack protector, a random seed).
#include "board.h"

#define UART0 ((volatile uint32_t *)0x40004000u)
enum { UART_DATA = 0, UART_STATE = 1, UART_CTRL = 2, UART_BAUDDIV = 4 };
// The AN386's peripheral clock.
#define CORE_CLOCK_HZ 25000000u

uint32_t board_core_clock_hz(void) { return CORE_CLOCK_HZ; }

void board_uart_init(uint32_t baud) {
    UART0[UART_BAUDDIV] = CORE_CLOCK_HZ / (baud ? baud : 115200u);
    UART0[UART_CTRL] = 0x3u;   // transmit and receive enabled, no interrupts
}

void board_uart_put(uint8_t byte) {
    while (UART0[UART_STATE] & 0x1u) {}   // transmit buffer full
    UART0[UART_DATA] = byte;
}

int32_t board_uart_get(void) { return (UART0[UART_STATE] & 0x2u) ? (int32_t)(UART0[UART_DATA] & 0xFFu) : -1; }

#define SYST ((volatile uint32_t *)0xE000E010u)
enum { SYST_CSR = 0, SYST_RVR = 1, SYST_CVR = 2 };

void board_systick_start(void) {
    SYST[SYST_RVR] = 0x00FFFFFFu;
    SYST[SYST_CVR] = 0;
    SYST[SYST_CSR] = 0x5u;   // enabled, core clock, no interrupt
}

uint32_t board_systick_now(void) { return SYST[SYST_CVR] & 0x00FFFFFFu; }

// Microseconds from SysTick, extended past its 24-bit wrap (0.67 s at 25 MHz) by counting what
// elapsed since the last call: call it at least that often (the RTU master's waits do).
uint32_t board_clock_us(void) {
    static uint32_t last;
    static uint64_t ticks;
    uint32_t now = board_systick_now();
    ticks += (last - now) & 0x00FFFFFFu;   // a down counter
    last = now;
    return (uint32_t)(ticks / (CORE_CLOCK_HZ / 1000000u));
}

// Embedded Swift's print writes characters through putchar: to the semihosting console.
int putchar(int c) {
    char text[2] = {(char)c, 0};
    board_print(text);
    return c;
}

// The stack protector's guard and its failure (a smashed stack ends the run).
uintptr_t __stack_chk_guard = 0x595E9FBDu;
_Noreturn void __stack_chk_fail(void) {
    board_print("firmware: stack smashed\n");
    board_exit(4);
}

// The Swift runtime seeds its hashing with this; the firmware hashes nothing it depends on, and a
// fixed seed keeps a replay deterministic.
void arc4random_buf(void *buffer, size_t count) {
    uint8_t *b = buffer;
    for (size_t i = 0; i < count; i++) b[i] = (uint8_t)(0x9Du + 31u * i);
}
