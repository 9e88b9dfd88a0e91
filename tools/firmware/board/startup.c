// Reset and vector table of bmssim's firmware image (QEMU mps2-an386, Cortex-M4F): copies the
// initialised data, zeroes the rest, paints the stack (for its high-water mark), enables the
// FPU, and runs the application; the application's status ends the run through semihosting.
#include "board.h"

extern uint32_t __data_load, __data_start, __data_end, __bss_start, __bss_end, __stack_bottom, __stack_top;
extern int32_t bmssim_firmware_main(void);

#define STACK_PAINT 0xC0DEFEEDu

void Reset_Handler(void);
static void Fault_Handler(void) {
    board_print("firmware: fault (hard fault, memory, bus or usage)\n");
    board_exit(3);
}
static void Idle_Handler(void) {}

// Initial stack pointer, then the core's exceptions; no interrupt is used.
__attribute__((section(".vectors"), used)) const void *const vectors[16] = {
    &__stack_top, (void *)Reset_Handler, (void *)Fault_Handler, (void *)Fault_Handler, (void *)Fault_Handler,
    (void *)Fault_Handler, (void *)Fault_Handler, 0, 0, 0, 0, (void *)Idle_Handler, (void *)Idle_Handler, 0,
    (void *)Idle_Handler, (void *)Idle_Handler,
};

__attribute__((naked, noreturn)) void Reset_Handler(void) {
    // Paint the stack below the present frame's own words before anything uses it.
    __asm volatile(
        "ldr r0, =__stack_bottom\n"
        "ldr r1, =__stack_top\n"
        "sub r1, r1, #64\n"
        "ldr r2, =0xC0DEFEED\n"
        "1: cmp r0, r1\n"
        "bhs 2f\n"
        "str r2, [r0], #4\n"
        "b 1b\n"
        "2: b board_start\n");
}

_Noreturn void board_start(void) {
    for (uint32_t *s = &__data_load, *d = &__data_start; d < &__data_end;) *d++ = *s++;
    for (uint32_t *d = &__bss_start; d < &__bss_end;) *d++ = 0;
    // Full access to CP10 and CP11 (the FPU), then let the change take effect.
    volatile uint32_t *cpacr = (volatile uint32_t *)0xE000ED88u;
    *cpacr |= 0xFu << 20;
    __asm volatile("dsb\n isb" ::: "memory");
    board_exit(bmssim_firmware_main());
}

uint32_t board_stack_used(void) {
    const uint32_t *p = &__stack_bottom;
    while (p < &__stack_top && *p == STACK_PAINT) p++;
    return (uint32_t)((const uint8_t *)&__stack_top - (const uint8_t *)p);
}

void board_stack_repaint(void) {
    uint32_t *p = &__stack_bottom;
    uint32_t *sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    while (p < sp - 16) *p++ = STACK_PAINT;
}

// Exactly 2 x n + 3 instructions (the loop: subs, bne), for calibrating the instruction count.
__attribute__((naked, noinline)) void board_instruction_loop(uint32_t n) {
    __asm volatile(
        "1: subs r0, r0, #1\n"
        "bne 1b\n"
        "bx lr\n");
}

uint32_t board_stack_size(void) { return (uint32_t)((const uint8_t *)&__stack_top - (const uint8_t *)&__stack_bottom); }
