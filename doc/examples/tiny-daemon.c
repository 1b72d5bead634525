/*
 * tiny-daemon.c - sandbox a tiny daemon with sysgate (the libseccomp API).
 *
 * The daemon splits itself in two, the way privilege-separated servers do: the parent keeps
 * its privileges, and a worker that handles the untrusted requests locks itself down with a
 * seccomp allow-list before it reads the first one. The worker may read its socket, write to
 * its socket, stdout and stderr, manage memory and exit; every other system call fails with
 * EPERM. Request "open PATH" shows that: the worker tries open() and reports the errno.
 *
 * Build and run:
 *   cc -o tiny-daemon tiny-daemon.c $(pkg-config --cflags --libs libseccomp)
 *   ./tiny-daemon
 *
 * Exit status: 0 when the sandbox behaved as described, 1 when it did not, 77 when the
 * kernel has no seccomp filtering (the test suite counts that as a skip).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_NO_SECCOMP 77

/* the allow-list: everything else fails with EPERM */
static int sandbox(int conn)
{
	/* what the worker and the C library under it need; names a CPU lacks are skipped */
	static const int allowed[] = {
	    SCMP_SYS(read),   SCMP_SYS(close), SCMP_SYS(brk),        SCMP_SYS(mmap),
	    SCMP_SYS(munmap), SCMP_SYS(exit),  SCMP_SYS(exit_group), SCMP_SYS(rt_sigreturn),
	};
	/* write() only to the connection, stdout and stderr: a rule with an argument test */
	const int out_fds[] = {conn, STDOUT_FILENO, STDERR_FILENO};
	scmp_filter_ctx ctx;
	int rc = 0;

	ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (ctx == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]) && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	for (size_t i = 0; i < sizeof(out_fds) / sizeof(out_fds[0]) && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1,
		                      SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)out_fds[i]));
#ifdef __SANITIZE_ADDRESS__
	/* an AddressSanitizer build: its runtime calls sigaltstack() before every call that does
	 * not return (_exit too) and aborts if that fails */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sigaltstack), 0);
#endif
	if (rc == 0)
		rc = seccomp_load(ctx); /* sets no_new_privs first: no root needed */
	seccomp_release(ctx);
	return rc;
}

static void reply(int conn, const char *text)
{
	size_t len = strlen(text);
	if (write(conn, text, len) != (ssize_t)len)
		_exit(1);
}

/* the worker: one request per read(), one reply each; "quit" ends it */
static void worker(int conn)
{
	char req[256], out[300];
	ssize_t n;

	while ((n = read(conn, req, sizeof(req) - 1)) > 0) {
		req[n] = '\0';
		req[strcspn(req, "\n")] = '\0';
		if (strcmp(req, "quit") == 0)
			break;
		if (strncmp(req, "open ", 5) == 0) {
			/* not on the allow-list: the kernel answers EPERM without running it */
			int fd = open(req + 5, O_RDONLY);
			if (fd >= 0)
				snprintf(out, sizeof(out), "open %s: succeeded?!\n", req + 5);
			else
				snprintf(out, sizeof(out), "open %s: %s\n", req + 5,
				         errno == EPERM ? "EPERM" : "unexpected errno");
		} else {
			/* the daemon's real work: shout the request back */
			size_t i;
			for (i = 0; req[i] != '\0' && i < sizeof(out) - 2; i++)
				out[i] = (char)toupper((unsigned char)req[i]);
			out[i++] = '\n';
			out[i] = '\0';
		}
		reply(conn, out);
	}
	_exit(0);
}

/* the parent: send requests, print the replies, check the forbidden call failed */
static int converse(int conn)
{
	static const char *const requests[] = {"hello, sandbox", "open /etc/passwd"};
	char buf[300];
	int ok = 1;

	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		ssize_t n;
		/* MSG_NOSIGNAL: a worker that died must not kill us with SIGPIPE */
		if (send(conn, requests[i], strlen(requests[i]), MSG_NOSIGNAL) < 0)
			return 0;
		n = read(conn, buf, sizeof(buf) - 1);
		if (n <= 0)
			return 0;
		buf[n] = '\0';
		printf("request %-20s -> %s", requests[i], buf);
		if (i == 1)
			ok = strstr(buf, ": EPERM") != NULL;
	}
	if (send(conn, "quit", 4, MSG_NOSIGNAL) < 0)
		return 0;
	return ok;
}

int main(void)
{
	int sv[2], status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0) {
		perror("socketpair");
		return 1;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		int rc;
		close(sv[0]);
		rc = sandbox(sv[1]);
		if (rc < 0) {
			fprintf(stderr, "worker: cannot load the filter: %s\n", strerror(-rc));
			_exit(EXIT_NO_SECCOMP);
		}
		worker(sv[1]);
	}
	close(sv[1]);
	int ok = converse(sv[0]);
	close(sv[0]);
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_NO_SECCOMP) {
		printf("SKIP: this kernel does not filter system calls with seccomp\n");
		return EXIT_NO_SECCOMP;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("worker ended abnormally (status 0x%x)\n", (unsigned int)status);
		return 1;
	}
	printf(ok ? "the worker was sandboxed as intended\n" : "the sandbox did not hold!\n");
	return ok ? 0 : 1;
}
