// CModbus: the one place where bmssim touches libmodbus' C headers.
// Macros that do not import into Swift (MODBUS_ENOBASE arithmetic, EMB* codes) and the small
// socket helpers the Swift wrapper needs are exposed here as static inline functions.
#ifndef BMSSIM_CMODBUS_SHIM_H
#define BMSSIM_CMODBUS_SHIM_H

#include <modbus/modbus.h>
#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

/// The errno that libmodbus uses for a Modbus exception `code` (1 = illegal function, ...).
static inline int cmodbus_exception_errno(int code) { return MODBUS_ENOBASE + code; }

/// The Modbus exception code carried by `errnum`, or 0 when it is not a Modbus exception.
static inline int cmodbus_exception_code(int errnum) {
    int code = errnum - MODBUS_ENOBASE;
    return (code >= 1 && code <= 11) ? code : 0;
}

/// libmodbus' own "invalid data" and "bad CRC" style errors (EMBXILFUN ... EMBMDATA).
static inline int cmodbus_errno_bad_data(void) { return EMBBADDATA; }
static inline int cmodbus_errno_bad_crc(void) { return EMBBADCRC; }
static inline int cmodbus_errno_bad_exception(void) { return EMBBADEXC; }
static inline int cmodbus_errno_too_much_data(void) { return EMBMDATA; }

/// The thread's errno (Swift cannot read the `errno` macro portably).
static inline int cmodbus_errno(void) { return errno; }

/// The local TCP port a socket is bound to, or -1.
static inline int cmodbus_socket_port(int fd) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    if (getsockname(fd, (struct sockaddr *)&addr, &len) != 0) return -1;
    return ntohs(addr.sin_port);
}

/// Waits up to `timeout_ms` for `fd` to become readable: 1 readable, 0 timeout, -1 error.
static inline int cmodbus_wait_readable(int fd, int timeout_ms) {
    struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
    int rc = poll(&p, 1, timeout_ms);
    if (rc > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR))) return 1;
    return rc;
}

/// Makes a listening socket non-blocking: a connection reset between poll and accept must not
/// leave accept() waiting for the next one (the server's other clients would wait with it).
static inline void cmodbus_set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/// Makes an accepted client socket non-blocking (the server never waits on one client) and
/// sends replies at once (no Nagle delay).
static inline void cmodbus_prepare_client(int fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/// The peer's address as "a.b.c.d:port" (or "unknown") into `out`.
static inline void cmodbus_peer_name(int fd, char *out, int size) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    char host[INET_ADDRSTRLEN] = "unknown";
    int port = 0;
    if (getpeername(fd, (struct sockaddr *)&addr, &len) == 0 && addr.sin_family == AF_INET) {
        inet_ntop(AF_INET, &addr.sin_addr, host, sizeof host);
        port = ntohs(addr.sin_port);
    }
    snprintf(out, (size_t)size, "%s:%d", host, port);
}

/// Shuts down and closes a socket (libmodbus' modbus_close does not close a listening socket).
static inline void cmodbus_close_socket(int fd) {
    if (fd >= 0) {
        shutdown(fd, SHUT_RDWR);
        close(fd);
    }
}

#endif
