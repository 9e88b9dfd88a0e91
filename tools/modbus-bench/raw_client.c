/*
 * The practical limit: a plain libmodbus client doing exactly the requests of one bmssim
 * controller cycle against the field-device map (hil/field-device-map.md), with no estimator,
 * no decoding and no checks beyond the return codes.
 *
 * Per cycle: read input registers 0+18 (header), 100+modules (temperatures), 1000+cells in
 * chunks of 125; write heater duties (100+modules), balancing words (200+ceil(cells/16)), and
 * the command block 0+6 whose last word advances a lockstep device by one step.
 *
 * Usage: raw_client HOST PORT CELLS MODULES CYCLES      prints "raw cycles/s N"
 */
#include <errno.h>
#include <modbus/modbus.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s HOST PORT CELLS MODULES CYCLES\n", argv[0]);
        return 2;
    }
    int cells = atoi(argv[3]), modules = atoi(argv[4]), cycles = atoi(argv[5]);
    modbus_t *ctx = modbus_new_tcp(argv[1], atoi(argv[2]));
    if (ctx == NULL || modbus_connect(ctx) != 0) {
        fprintf(stderr, "connect: %s\n", modbus_strerror(errno));
        return 1;
    }
    uint16_t input[2048], heaters[128], balancing[128], block[6];
    memset(heaters, 0, sizeof heaters);
    memset(balancing, 0, sizeof balancing);
    memset(block, 0, sizeof block);
    block[5] = 1;
    int words = (cells + 15) / 16;
    double start = now_s();
    for (int k = 0; k < cycles; k++) {
        int ok = modbus_read_input_registers(ctx, 0, 18, input) == 18;
        ok = ok && modbus_read_input_registers(ctx, 100, modules, input + 100) == modules;
        for (int done = 0; ok && done < cells; done += 125) {
            int n = cells - done < 125 ? cells - done : 125;
            ok = modbus_read_input_registers(ctx, 1000 + done, n, input + 1000 + done) == n;
        }
        ok = ok && modbus_write_registers(ctx, 100, modules, heaters) == modules;
        ok = ok && modbus_write_registers(ctx, 200, words, balancing) == words;
        ok = ok && modbus_write_registers(ctx, 0, 6, block) == 6;
        if (!ok) {
            fprintf(stderr, "cycle %d: %s\n", k, modbus_strerror(errno));
            return 1;
        }
    }
    double elapsed = now_s() - start;
    printf("raw cycles/s %.0f\n", cycles / elapsed);
    modbus_close(ctx);
    modbus_free(ctx);
    return 0;
}
