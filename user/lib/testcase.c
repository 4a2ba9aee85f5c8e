/* The test harness (testcase.h): case tables, reporting, children. Each
 * line is flushed at once, so a hang shows which case it happened in. */
#include <stdarg.h>
#include "user.h"
#include "testcase.h"
#include "syscall.h"

const char *test_case;
int test_case_failed;
int test_passed, test_failed;

void test_fail(const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (test_case_failed)
        printf("  also %s: %s\n", test_case, msg);
    else
        printf("FAIL %s: %s\n", test_case, msg);
    printf_flush();
    test_case_failed = 1;
}

void test_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("  # %s: ", test_case);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

int test_child_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("  child %d (%s): ", getpid(), test_case);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    printf_flush();
    return code;
}

int test_selected(int argc, char **argv, const char *name)
{
    if (argc < 2) return 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0) return 1;
    return 0;
}

void test_begin(const char *name)
{
    test_case = name;
    test_case_failed = 0;
}

void test_finish(void)
{
    if (test_case_failed) {
        test_failed++;
    } else {
        printf("ok %s\n", test_case);
        test_passed++;
    }
    printf_flush();
}

void test_run_case(const struct testcase *c)
{
    test_begin(c->name);
    c->run();
    test_finish();
}

int test_run(const struct testcase *cases, int n, int argc, char **argv)
{
    int ran = 0;
    for (int i = 0; i < n; i++)
        if (test_selected(argc, argv, cases[i].name)) test_run_case(&cases[i]), ran++;
    for (int a = 1; a < argc; a++) {
        int known = 0;
        for (int i = 0; i < n && !known; i++) known = strcmp(argv[a], cases[i].name) == 0;
        if (!known) {
            test_begin(argv[a]);
            test_fail("no such case");
            test_finish();
        }
    }
    return ran;
}

_Noreturn void test_summary(void)
{
    /* the kernel's own invariants, while all is quiet */
    test_begin("selfcheck");
    long bad = sys_selfcheck();
    if (bad != 0) test_fail("the kernel found %ld broken invariants (its log is above)", bad);
    test_finish();
    printf("%d passed, %d failed\n", test_passed, test_failed);
    exit(test_failed ? 1 : 0);
}

_Noreturn void test_end(int passed, int failed, int pages_before, int pages_after)
{
    test_passed = passed, test_failed = failed;
    test_begin("no_leak");
    /* Fewer free pages is a leak. More is not this suite's doing: memory a
     * process that ended before the start count still held (its reaping, a
     * server's exit handling) came back meanwhile. */
    if (pages_after < pages_before)
        test_fail("%d free pages at the start, %d at the end", pages_before, pages_after);
    else if (pages_after > pages_before)
        test_info("%d pages more free at the end than at the start: freed late by what ran before",
                  pages_after - pages_before);
    test_finish();
    test_summary();
}

int test_steady_freepages(int max_ticks)
{
    int last = freepages();
    for (int t = 0; t < max_ticks; t++) {
        sleep(1);
        int now = freepages();
        if (now == last) break;
        last = now;
    }
    return last;
}

int test_in_child(int (*fn)(long), long arg)
{
    int pid = fork();
    if (pid < 0) {
        test_fail("fork failed (errno %d)", errno);
        return TEST_NO_STATUS;
    }
    if (pid == 0) exit(fn(arg));
    int status = TEST_NO_STATUS, w;
    while ((w = wait(&status)) >= 0 && w != pid) { /* an older child: not ours to judge */
    }
    if (w != pid) {
        test_fail("wait returned %d, not child %d", w, pid);
        return TEST_NO_STATUS;
    }
    return status;
}

const char *test_how(int status)
{
    static char buf[32];
    if (status == TEST_NO_STATUS) return "no status";
    if (status == -1) return "killed (-1)";
    snprintf(buf, sizeof buf, "exit %d", status);
    return buf;
}

int test_wait_pid(int pid, int state, int max_ticks)
{
    struct procinfo pi;
    for (int t = 0; t <= max_ticks; t++) {
        int found = procinfo_pid(pid, &pi) == 0;
        if (state == 0 ? !found : found && pi.state == state) return 1;
        sleep(1);
    }
    return 0;
}
