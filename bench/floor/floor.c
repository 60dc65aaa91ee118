/*
 * floor: the lab's C floor. A minimal epoll server that does only what a benchmark scenario needs,
 * so that its cost is close to the kernel's own: what any server on this machine must pay.
 *
 *   floor http PORT [ROOT]   HTTP/1.1 and 1.0: GET /plaintext answers "Hello, World!" (text/plain);
 *                            GET /static/NAME sends ROOT/static/NAME with sendfile; anything else 404.
 *                            Keep-alive unless HTTP/1.0 without "keep-alive" or "Connection: close";
 *                            pipelined requests answered in order. No request bodies.
 *   floor echo PORT          TCP echo: what one read returns is sent back; what the socket does not take
 *                            waits for EPOLLOUT, and the connection is not read meanwhile.
 *
 * PORT 0 picks a free port; either mode prints "floor: listening on 127.0.0.1:PORT (MODE)" once bound.
 *
 * One thread, level-triggered epoll, non-blocking sockets, one fixed buffer per connection. Not a
 * general server: a request longer than its buffer is answered 431 and closed, nothing is parsed
 * beyond the method, the target and the connection option. Stops on SIGTERM or SIGINT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define IN_CAP 8192
#define OUT_CAP 16384
#define MAX_EVENTS 256

struct conn {
    int fd;
    int in_len;
    int out_off, out_len;      /* pending bytes in out */
    int file_fd;               /* pending file body, -1 if none */
    off_t file_off, file_end;
    int close_after;           /* close once everything pending is written */
    int want_out;              /* EPOLLOUT armed */
    char in[IN_CAP];
    char out[OUT_CAP];
};

static volatile sig_atomic_t stopping;
static int echo_mode;
static int root_fd = -1;
static int ep;
static char date_line[64];
static time_t date_at;

static void on_signal(int sig) { (void) sig; stopping = 1; }

static void die(const char *call) {
    fprintf(stderr, "floor: %s: %s\n", call, strerror(errno));
    exit(1);
}

static void refresh_date(void) {
    time_t now = time(NULL);
    if (now == date_at) return;
    date_at = now;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date_line, sizeof date_line, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
}

static void arm(struct conn *c, int out) {
    if (c->want_out == out) return;
    struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) < 0) die("epoll_ctl(MOD)");
    c->want_out = out;
}

static void drop(struct conn *c) {
    if (c->file_fd >= 0) close(c->file_fd);
    close(c->fd); /* also removes it from the epoll set */
    free(c);
}

/* Writes what is pending. Returns -1 when the connection is gone. */
static int flush_out(struct conn *c) {
    while (c->out_off < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN) { arm(c, 1); return 0; }
            if (errno == EINTR) continue;
            return -1;
        }
        c->out_off += n;
    }
    c->out_off = c->out_len = 0;
    while (c->file_fd >= 0 && c->file_off < c->file_end) {
        ssize_t n = sendfile(c->fd, c->file_fd, &c->file_off, c->file_end - c->file_off);
        if (n < 0) {
            if (errno == EAGAIN) { arm(c, 1); return 0; }
            if (errno == EINTR) continue;
            return -1;
        }
        if (n == 0) return -1; /* the file shrank */
    }
    if (c->file_fd >= 0) { close(c->file_fd); c->file_fd = -1; }
    arm(c, 0);
    if (c->close_after) return -1;
    return 0;
}

static void append(struct conn *c, const char *s, int n) {
    memcpy(c->out + c->out_len, s, n);
    c->out_len += n;
}

/* Answers one request of LEN bytes at c->in (headers included). Returns 0 when it had room. */
static int answer(struct conn *c, const char *req, int len) {
    static const char hello[] = "Hello, World!";
    int http10 = 0, close_it = 0, keep = 0;
    const char *sp1 = memchr(req, ' ', len);
    const char *eol = memchr(req, '\n', len);
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', eol - sp1 - 1) : NULL;
    if (!sp1 || !sp2 || !eol) { close_it = 1; }
    if (sp2 && eol - sp2 >= 9 && memcmp(sp2 + 1, "HTTP/1.0", 8) == 0) http10 = 1;
    for (const char *p = eol ? eol + 1 : req + len; p < req + len;) {
        const char *e = memchr(p, '\n', req + len - p);
        if (!e) break;
        if (e - p > 11 && strncasecmp(p, "connection:", 11) == 0) {
            if (memmem(p, e - p, "close", 5)) close_it = 1;
            if (memmem(p, e - p, "keep-alive", 10) || memmem(p, e - p, "Keep-Alive", 10)) keep = 1;
        }
        p = e + 1;
    }
    if (http10 && !keep) close_it = 1;
    if (c->out_len + 512 > OUT_CAP) return -1; /* no room: wait for the socket to take some */
    refresh_date();
    const char *conn_hdr = close_it ? "Connection: close\r\n" : (http10 ? "Connection: keep-alive\r\n" : "");
    char head[512];
    int n;
    size_t tlen = sp1 && sp2 ? (size_t) (sp2 - sp1 - 1) : 0;
    if (sp1 && sp2 && memcmp(req, "GET ", 4) == 0 && tlen == 10 && memcmp(sp1 + 1, "/plaintext", 10) == 0) {
        n = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nServer: floor\r\n%sContent-Type: text/plain\r\n"
                     "Content-Length: %d\r\n%s\r\n%s", date_line, (int) sizeof hello - 1, conn_hdr, hello);
        append(c, head, n);
    } else if (sp1 && sp2 && memcmp(req, "GET ", 4) == 0 && root_fd >= 0 && tlen > 8 && tlen < 200 &&
               memcmp(sp1 + 1, "/static/", 8) == 0 && !memmem(sp1 + 1, tlen, "..", 2)) {
        char path[256];
        snprintf(path, sizeof path, "%.*s", (int) tlen - 1, sp1 + 2); /* "static/NAME" */
        int fd = openat(root_fd, path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
            if (fd >= 0) close(fd);
            goto not_found;
        }
        n = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nServer: floor\r\n%sContent-Type: application/octet-stream\r\n"
                     "Content-Length: %lld\r\n%s\r\n", date_line, (long long) st.st_size, conn_hdr);
        append(c, head, n);
        c->file_fd = fd;
        c->file_off = 0;
        c->file_end = st.st_size;
    } else {
    not_found:
        n = snprintf(head, sizeof head, "HTTP/1.1 404 Not Found\r\nServer: floor\r\n%sContent-Length: 0\r\n%s\r\n",
                     date_line, conn_hdr);
        append(c, head, n);
    }
    c->close_after = close_it;
    return 0;
}

/* Answers the complete requests already read, as far as the output has room. */
static void answer_buffered(struct conn *c) {
    int start = 0;
    for (;;) {
        /* One response at a time when a file is pending: its bytes must follow in order. */
        if (c->file_fd >= 0 || c->close_after) break;
        char *end = memmem(c->in + start, c->in_len - start, "\r\n\r\n", 4);
        if (!end) break;
        int len = (int) (end + 4 - (c->in + start));
        if (answer(c, c->in + start, len) < 0) break;
        start += len;
    }
    memmove(c->in, c->in + start, c->in_len - start);
    c->in_len -= start;
}

/* Answers what is buffered, then reads and answers until the socket is drained or the output
 * is full. Returns -1 when the connection is gone. */
static int on_readable(struct conn *c) {
    for (;;) {
        /* A reply that completes at once (a small file) lets the requests behind it go. */
        for (int before = -1; !echo_mode && before != c->in_len;) {
            before = c->in_len;
            answer_buffered(c);
            if (flush_out(c) < 0) return -1;
            if (c->out_len > 0 || c->file_fd >= 0) return 0; /* the rest after EPOLLOUT */
        }
        if (c->in_len == IN_CAP) {
            static const char too_big[] = "HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
            send(c->fd, too_big, sizeof too_big - 1, MSG_NOSIGNAL);
            return -1;
        }
        /* Echo reads straight into the (empty) output buffer, 16 KiB at a time, and sends that back. */
        ssize_t n = echo_mode ? recv(c->fd, c->out, OUT_CAP, 0) : recv(c->fd, c->in + c->in_len, IN_CAP - c->in_len, 0);
        if (n == 0) return -1;
        if (n < 0) {
            if (errno == EAGAIN) return 0;
            if (errno == EINTR) continue;
            return -1;
        }
        if (echo_mode) {
            /* As one send; what the socket does not take waits for EPOLLOUT like any reply. */
            c->out_off = 0;
            c->out_len = (int) n;
            if (flush_out(c) < 0) return -1;
            if (c->out_len > 0) return 0; /* stop reading until the peer takes it */
            continue;
        }
        c->in_len += n;
    }
}

int main(int argc, char **argv) {
    if (argc < 3 || (strcmp(argv[1], "http") != 0 && strcmp(argv[1], "echo") != 0)) {
        fprintf(stderr, "usage: floor http PORT [ROOT] | floor echo PORT\n");
        return 2;
    }
    echo_mode = strcmp(argv[1], "echo") == 0;
    int port = atoi(argv[2]);
    if (!echo_mode && argc > 3) {
        root_fd = open(argv[3], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0) die("open(ROOT)");
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    /* send() says MSG_NOSIGNAL, sendfile() cannot: a peer gone mid-file would otherwise kill the
     * server with SIGPIPE (wrk closing 1,024 connections at the end of a warm-up did). */
    signal(SIGPIPE, SIG_IGN);

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lfd < 0) die("socket");
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(lfd, (struct sockaddr *) &addr, sizeof addr) < 0) die("bind");
    if (listen(lfd, 4096) < 0) die("listen");
    /* The port actually bound (PORT 0 picks one), in the same banner form as netloop's and Netty's. */
    socklen_t alen = sizeof addr;
    if (getsockname(lfd, (struct sockaddr *) &addr, &alen) < 0) die("getsockname");
    printf("floor: listening on 127.0.0.1:%d (%s)\n", ntohs(addr.sin_port), argv[1]);
    fflush(stdout);
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) die("epoll_create1");
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev) < 0) die("epoll_ctl(ADD listener)");

    struct epoll_event evs[MAX_EVENTS];
    while (!stopping) {
        int n = epoll_wait(ep, evs, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c == NULL) {
                for (;;) {
                    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (fd < 0) {
                        if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
                            fprintf(stderr, "floor: accept4: %s\n", strerror(errno));
                        break;
                    }
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct conn *nc = malloc(sizeof *nc);
                    if (!nc) { close(fd); continue; }
                    nc->fd = fd;
                    nc->in_len = nc->out_off = nc->out_len = 0;
                    nc->file_fd = -1;
                    nc->close_after = nc->want_out = 0;
                    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = nc};
                    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl(ADD)");
                }
                continue;
            }
            int gone = 0;
            if (evs[i].events & (EPOLLERR | EPOLLHUP)) gone = 1;
            if (!gone && (evs[i].events & EPOLLOUT)) {
                gone = flush_out(c) < 0;
                /* Requests that waited behind the pending reply. */
                if (!gone && c->out_len == 0 && c->file_fd < 0) gone = on_readable(c) < 0;
            }
            if (!gone && (evs[i].events & EPOLLIN) && !(c->want_out)) gone = on_readable(c) < 0;
            if (gone) drop(c);
        }
    }
    return 0;
}
