/* Helpers for the in-QEMU test programs: the running case's name, one FAIL
 * line per case, EXPECT, and children that explain why they failed. The
 * programs print "ok NAME" / "FAIL NAME: ..." and end with "N passed, M failed". */
#ifndef PAGODA_USER_TESTCASE_H
#define PAGODA_USER_TESTCASE_H

extern const char *test_case; /* the case now running */
extern int test_case_failed;  /* has it failed yet? */

void test_fail(const char *fmt, ...);                /* FAIL line (later ones: "also") */
void test_info(const char *fmt, ...);                /* "  # case: ..." */
int test_child_fail(int code, const char *fmt, ...); /* explain, return code */
/* The last cases, selfcheck (the kernel's invariants) and no_leak (free
 * pages back to where they were), then the summary line; exits 0 if nothing
 * failed. */
_Noreturn void test_end(int passed, int failed, int pages_before, int pages_after);
int test_selected(int argc, char **argv, const char *name); /* no names: all */

/* In a case function: on failure print the FAIL line and leave the case. */
#define EXPECT(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            test_fail(__VA_ARGS__);                                                                \
            return;                                                                                \
        }                                                                                          \
    } while (0)

#endif
