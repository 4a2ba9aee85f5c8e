/* ulibtest [case...]: the user library's own part of the xv6 API — string
 * and memory helpers, atoi, snprintf, malloc, error names, exec from the
 * file system (good, relative and bad paths), stat, gets, printf's
 * buffering (one write per line or call, across fork, into pipes), isatty,
 * the console mode call, and the file calls with bad fds and paths. Prints
 * "ok NAME" / "FAIL NAME: why" and ends with "N passed, M failed". */
#include "user.h"
#include "stat.h"
#include "fcntl.h"
#include "testcase.h"

#define BAD_PTR ((void *)0xffffffff00000000UL) /* never a user address */

static int passed, failed;

static void t_strings(void)
{
    char a[32];
    EXPECT(strlen("") == 0 && strlen("abc") == 3, "strlen");
    EXPECT(strcpy(a, "hello") == a && strcmp(a, "hello") == 0, "strcpy/strcmp");
    EXPECT(strcmp("a", "b") < 0 && strcmp("b", "a") > 0 && strcmp("ab", "a") > 0, "strcmp order");
    EXPECT(strncmp("abcx", "abcy", 3) == 0 && strncmp("abcx", "abcy", 4) < 0, "strncmp");
    EXPECT(strchr(a, 'l') == a + 2 && strchr(a, 'z') == 0 && strchr(a, 0) == a + 5, "strchr");
    EXPECT(strrchr(a, 'l') == a + 3 && strrchr(a, 'z') == 0, "strrchr");
    EXPECT(memset(a, 'x', 4) == a && a[0] == 'x' && a[3] == 'x' && a[4] == 'o', "memset");
    strcpy(a, "0123456789");
    memmove(a + 2, a, 5); /* overlapping, upwards */
    EXPECT(strcmp(a, "0101234789") == 0, "memmove up: %s", a);
    memmove(a, a + 2, 5); /* overlapping, downwards */
    EXPECT(strcmp(a, "0123434789") == 0, "memmove down: %s", a);
    EXPECT(memcmp("abc", "abd", 2) == 0 && memcmp("abc", "abd", 3) < 0, "memcmp");
    EXPECT(memcpy(a, "xyz", 4) == a && strcmp(a, "xyz") == 0, "memcpy");
}

static void t_atoi(void)
{
    EXPECT(atoi("42") == 42 && atoi("  -17x") == -17 && atoi("+5") == 5, "atoi basics");
    EXPECT(atoi("") == 0 && atoi("x1") == 0, "atoi of no digits");
    EXPECT(atoi("-2147483648") == (-2147483647 - 1), "atoi of INT_MIN");
}

static void t_snprintf(void)
{
    char b[64];
    int n = snprintf(b, sizeof b, "%d|%5s|%-3d|%x|%05d|%c|%%|%lu", -12, "ab", 7, 255, 42, 'z',
                     123456789012UL);
    EXPECT(strcmp(b, "-12|   ab|7  |ff|00042|z|%|123456789012") == 0, "got '%s'", b);
    EXPECT(n == (int)strlen(b), "returned %d for %d characters", n, (int)strlen(b));
    n = snprintf(b, 5, "%s", "truncated");
    EXPECT(n == 9 && strcmp(b, "trun") == 0, "truncation: %d '%s'", n, b);
    snprintf(b, sizeof b, "%p", (void *)0x1234);
    EXPECT(strcmp(b, "0x0000000000001234") == 0, "%%p: %s", b);
}

static void t_malloc(void)
{
    char *p[40];
    for (int i = 0; i < 40; i++) {
        uint size = (uint)(i * 997 % 5000 + 1);
        p[i] = malloc(size);
        EXPECT(p[i] != 0, "malloc(%u) failed", size);
        memset(p[i], i, size);
    }
    for (int i = 0; i < 40; i += 2) free(p[i]);
    for (int i = 1; i < 40; i += 2) {
        uint size = (uint)(i * 997 % 5000 + 1);
        for (uint j = 0; j < size; j++) EXPECT(p[i][j] == (char)i, "block %d overwritten", i);
        free(p[i]);
    }
    char *big = malloc(1 << 20);
    EXPECT(big != 0, "malloc of 1 MiB failed");
    big[(1 << 20) - 1] = 1;
    free(big);
}

static void t_errname(void)
{
    EXPECT(strcmp(errname(ENOENT), "ENOENT") == 0, "errname(ENOENT) = %s", errname(ENOENT));
    EXPECT(strcmp(errname(ENOTEMPTY), "ENOTEMPTY") == 0, "errname(ENOTEMPTY)");
    EXPECT(strcmp(strerror(EPIPE), "broken pipe") == 0, "strerror(EPIPE)");
    EXPECT(strcmp(errname(12345), "E?") == 0 && strcmp(strerror(-1), "unknown error") == 0,
           "unknown codes");
}

/* Run argv[0] in a child (path given separately); its exit status or -1. */
static int run(const char *path, char **argv)
{
    int pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        exec(path, argv);
        exit(100 + errno);
    }
    int st;
    if (wait(&st) != pid) return -1;
    return st;
}

static void t_exec_fs(void)
{
    char *argv[] = {"ulibtest", "--exit", "5", 0};
    int st = run("/bin/ulibtest", argv);
    EXPECT(st == 5, "exec /bin/ulibtest: status %d", st);
    struct stat s;
    EXPECT(stat("/bin/ulibtest", &s) == 0 && s.type == T_FILE && s.size > 0,
           "stat /bin/ulibtest: errno %d", errno);
}

static void t_exec_relative(void)
{
    char cwd[64];
    EXPECT(chdir("/bin") == 0, "chdir /bin: errno %d", errno);
    char *argv[] = {"ulibtest", "--exit", "6", 0};
    int st = run("ulibtest", argv);
    int st2 = run("./ulibtest", argv);
    EXPECT(getcwd(cwd, sizeof cwd) != 0 && strcmp(cwd, "/bin") == 0, "getcwd");
    EXPECT(chdir("/") == 0, "chdir /: errno %d", errno);
    EXPECT(st == 6 && st2 == 6, "relative exec: status %d and %d", st, st2);
}

static void t_exec_errors(void)
{
    char *argv[] = {"x", 0};
    EXPECT(exec(BAD_PTR, argv) == -1 && errno == EFAULT, "bad path: errno %d", errno);
    EXPECT(exec((char *)1, argv) == -1 && errno == EFAULT, "path 1: errno %d", errno);
    EXPECT(exec(0, argv) == -1 && errno == EFAULT, "null path: errno %d", errno);
    EXPECT(exec("/nosuch", argv) == -1 && errno == ENOENT, "missing: errno %d", errno);
    EXPECT(exec("/bin", argv) == -1 && errno == ENOEXEC, "directory: errno %d", errno);
    int fd = open("notelf", O_CREATE | O_WRONLY | O_TRUNC);
    EXPECT(fd >= 0 && write(fd, "#!not an ELF\n", 13) == 13, "make notelf: errno %d", errno);
    close(fd);
    char *brk = sbrk(0);
    EXPECT(exec("notelf", argv) == -1 && errno == ENOEXEC, "not an ELF: errno %d", errno);
    EXPECT(sbrk(0) == brk, "a failed exec kept %ld bytes of heap", (long)(sbrk(0) - brk));
    unlink("notelf");
    int st = run("/bin/ulibtest", BAD_PTR);
    EXPECT(st == 100 + EFAULT, "bad argv: child status %d", st);
}

static void t_stat(void)
{
    struct stat s;
    EXPECT(stat("/", &s) == 0 && s.type == T_DIR, "stat /: errno %d", errno);
    EXPECT(stat("/nosuch", &s) == -1 && errno == ENOENT, "stat /nosuch: errno %d", errno);
    EXPECT(stat("/console", &s) == 0 && s.type == T_DEVICE, "stat /console: errno %d", errno);
}

/* Make a child with stdout (fd 1) on a pipe run fn; return what it wrote. */
static int capture(void (*fn)(void), char *out, int max)
{
    int p[2];
    if (pipe(p) < 0) return -1;
    int pid = fork();
    if (pid == 0) {
        close(p[0]);
        close(1);
        dup(p[1]);
        close(p[1]);
        fn();
        exit(0);
    }
    close(p[1]);
    int n = 0, r;
    while (n < max - 1 && (r = read(p[0], out + n, max - 1 - n)) > 0) n += r;
    out[n] = 0;
    close(p[0]);
    wait(0);
    return n;
}

static void print_around_fork(void)
{
    printf("a"); /* buffered: fork must flush it, or both processes print it */
    if (fork() == 0) {
        printf("b\n");
        exit(0);
    }
    wait(0);
    printf("c\n");
}

static void print_isatty(void)
{
    printf("%d%d\n", isatty(1), isatty(0));
}

static void print_in_two_calls(void)
{
    printf("abc"); /* no newline: stays in the buffer */
    int t0 = uptime();
    while (uptime() < t0 + 3) { /* a reader would see "abc" now if it had been written */
    }
    printf("def\nghi\n"); /* ends a line: the buffer goes out in one write */
}

/* printf writes once per line or call: the reader's first read returns the
 * whole buffer of the second call, "abc" included. */
static void t_printf_lines(void)
{
    int p[2];
    EXPECT(pipe(p) == 0, "pipe: errno %d", errno);
    int pid = fork();
    if (pid == 0) {
        close(p[0]);
        close(1);
        dup(p[1]);
        close(p[1]);
        print_in_two_calls();
        exit(0);
    }
    close(p[1]);
    char b[32];
    int n = read(p[0], b, sizeof b - 1);
    b[n > 0 ? n : 0] = 0;
    int rest = read(p[0], b + (n > 0 ? n : 0), 1);
    close(p[0]);
    wait(0);
    EXPECT(n == 11 && strcmp(b, "abcdef\nghi\n") == 0 && rest == 0,
           "first read %d bytes '%s', then %d", n, b, rest);
}

static void t_printf_fork(void)
{
    char out[64];
    EXPECT(capture(print_around_fork, out, sizeof out) >= 0, "pipe: errno %d", errno);
    EXPECT(strcmp(out, "ab\nc\n") == 0, "got '%s'", out);
}

static void t_isatty(void)
{
    char out[64];
    EXPECT(isatty(0) == 1, "the console (fd 0) is not a tty");
    EXPECT(capture(print_isatty, out, sizeof out) >= 0, "pipe: errno %d", errno);
    EXPECT(strcmp(out, "01\n") == 0, "isatty on a pipe / console: '%s'", out);
    int fd = open("/bin/ulibtest", O_RDONLY);
    EXPECT(fd >= 0 && isatty(fd) == 0, "a file is a tty");
    close(fd);
}

static void t_gets(void)
{
    int p[2];
    EXPECT(pipe(p) == 0, "pipe: errno %d", errno);
    EXPECT(write(p[1], "first\nsecond", 12) == 12, "write");
    close(p[1]);
    int saved = dup(0);
    close(0);
    dup(p[0]);
    close(p[0]);
    char b1[16], b2[16], b3[4];
    gets(b1, sizeof b1);
    gets(b2, sizeof b2);
    gets(b3, sizeof b3);
    close(0);
    dup(saved);
    close(saved);
    EXPECT(strcmp(b1, "first\n") == 0 && strcmp(b2, "second") == 0 && b3[0] == 0,
           "got '%s' '%s' '%s'", b1, b2, b3);
}

static void t_cons_mode(void)
{
    EXPECT(cons_mode(7) == -1 && errno == EINVAL, "mode 7: errno %d", errno);
    EXPECT(cons_mode(CONS_COOKED) == CONS_COOKED, "the console was not cooked");
}

/* Bad fds and paths. (Bad pointers to the file calls are the fs suite's.) */
static void t_bad_args(void)
{
    struct stat s;
    EXPECT(read(-1, &s, 1) == -1 && errno == EBADF, "read(-1): errno %d", errno);
    EXPECT(write(99, "x", 1) == -1 && errno == EBADF, "write(99): errno %d", errno);
    EXPECT(close(77) == -1 && errno == EBADF, "close(77): errno %d", errno);
    EXPECT(chdir("/nosuch") == -1 && errno == ENOENT, "chdir: errno %d", errno);
    EXPECT(unlink("/nosuch") == -1 && errno == ENOENT, "unlink: errno %d", errno);
    EXPECT(mkdir("/bin") == -1 && errno == EEXIST, "mkdir /bin: errno %d", errno);
}

static const struct {
    const char *name;
    void (*fn)(void);
} cases[] = {
    {"strings", t_strings},
    {"atoi", t_atoi},
    {"snprintf", t_snprintf},
    {"malloc", t_malloc},
    {"errname", t_errname},
    {"exec_fs", t_exec_fs},
    {"exec_relative", t_exec_relative},
    {"exec_errors", t_exec_errors},
    {"stat", t_stat},
    {"printf_lines", t_printf_lines},
    {"printf_fork", t_printf_fork},
    {"isatty", t_isatty},
    {"gets", t_gets},
    {"cons_mode", t_cons_mode},
    {"bad_args", t_bad_args},
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

/* The cases, in a child so that what malloc keeps is freed at its exit;
 * exit status = passed * 1000 + failed. */
static int run_cases(int argc, char **argv)
{
    for (int i = 0; i < NCASES; i++) {
        if (!test_selected(argc, argv, cases[i].name)) continue;
        test_case = cases[i].name;
        test_case_failed = 0;
        cases[i].fn();
        if (test_case_failed) {
            failed++;
        } else {
            printf("ok %s\n", test_case);
            passed++;
        }
    }
    return passed * 1000 + failed;
}

/* No free-page check at the end (unlike pgtbltest): every process that uses
 * a file maps a fresh region into the fs server, whose page tables may grow
 * by a page that stays, so the count is not the library's to answer for;
 * what the cases allocate lives in the runner child and goes with it. */
int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--exit") == 0) exit(atoi(argv[2])); /* for exec cases */
    int pid = fork();
    if (pid == 0) exit(run_cases(argc, argv));
    int st = -1;
    test_case = "runner";
    if (pid < 0 || wait(&st) != pid || st < 0) {
        test_fail("the runner died (status %d)", st);
        failed++;
    } else {
        passed += st / 1000;
        failed += st % 1000;
    }
    printf("%d passed, %d failed\n", passed, failed);
    exit(failed ? 1 : 0);
}
