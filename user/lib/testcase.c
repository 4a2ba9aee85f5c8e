/* Reporting for the test programs (testcase.h). */
#include <stdarg.h>
#include "user.h"
#include "testcase.h"
#include "syscall.h"

const char *test_case;
int test_case_failed;

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

_Noreturn void test_end(int passed, int failed, int pages_before, int pages_after)
{
    /* the kernel's own invariants (docs/security.md), while all is quiet */
    test_case = "selfcheck";
    test_case_failed = 0;
    long bad = sys_selfcheck();
    if (bad != 0) {
        test_fail("the kernel found %ld broken invariants (its log is above)", bad);
        failed++;
    } else {
        printf("ok selfcheck\n");
        passed++;
    }
    test_case = "no_leak";
    test_case_failed = 0;
    if (pages_after != pages_before)
        test_fail("%d free pages at the start, %d at the end", pages_before, pages_after);
    if (test_case_failed) {
        failed++;
    } else {
        printf("ok no_leak\n");
        passed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    exit(failed ? 1 : 0);
}
