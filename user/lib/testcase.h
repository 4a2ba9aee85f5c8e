/* The harness of the in-QEMU test programs (user/bin/NAMEtest.c).
 *
 * A suite is a table of cases, each a name and a function. test_run() runs
 * the cases named on the command line (none: all of them, in order), prints
 * "ok NAME" or "FAIL NAME: why" for each, and test_summary() prints the last
 * line, "N passed, M failed", which ctest looks for. Inside a case, EXPECT
 * fails the case and leaves it, CHECK fails it and goes on (later failures
 * print as "also" lines). Anything that might crash or hang runs in a child
 * (test_in_child), so a kernel bug shows up as a FAIL line, not as a dead
 * suite. */
#ifndef PAGODA_USER_TESTCASE_H
#define PAGODA_USER_TESTCASE_H

struct testcase {
    const char *name; /* one word: `prog NAME` runs just this case */
    void (*run)(void);
};

extern const char *test_case; /* the case now running */
extern int test_case_failed;  /* has it failed yet? */
extern int test_passed, test_failed;

/* Run the cases named in argv[1..] (all when there are none); a name that
 * is no case fails as such. Returns how many ran. */
int test_run(const struct testcase *cases, int n, int argc, char **argv);
void test_run_case(const struct testcase *c);
/* The same by hand, for a case that is not in a table: */
void test_begin(const char *name);
void test_finish(void); /* the ok/FAIL line, counted */
/* The selfcheck case (the kernel checks its own invariants, docs/security.md),
 * then "N passed, M failed"; exit 0 only if none failed. */
_Noreturn void test_summary(void);

void test_fail(const char *fmt, ...);                       /* FAIL line (later ones: "also") */
void test_info(const char *fmt, ...);                       /* "  # case: ..." */
int test_child_fail(int code, const char *fmt, ...);        /* a child explains, returns code */
int test_selected(int argc, char **argv, const char *name); /* no names: all */
/* The last case, no_leak (free pages back to where they were), then the
 * summary line; exits 0 if nothing failed. For suites that count by hand. */
_Noreturn void test_end(int passed, int failed, int pages_before, int pages_after);

/* freepages() once the count has stopped moving (two reads a tick apart
 * agree; at most max_ticks): the fs server frees what an exited client held
 * when it gets to that client's exit event, which may be after the parent
 * reaped it. A count taken before that makes the next case look as if it
 * gave back pages it never took. */
int test_steady_freepages(int max_ticks);

/* Fork, run fn(arg) in the child (its return value is the exit status) and
 * wait for that very child. Returns the status wait() reported: fn's value,
 * or -1 if the kernel killed the child (a fault, kill()). On a failed fork or
 * wait it fails the case and returns TEST_NO_STATUS. */
#define TEST_NO_STATUS 0x7eadbeef
int test_in_child(int (*fn)(long), long arg);
const char *test_how(int status); /* "exit 3", "killed (-1)": for FAIL lines */

/* Poll (one tick apart, at most max_ticks) until process pid is in state
 * (PS_*), or gone when state is 0. 1 if it got there. Looks the pid up
 * directly (procinfo_pid), so exits of other processes do not disturb it. */
int test_wait_pid(int pid, int state, int max_ticks);

/* In a case: on failure, the FAIL line, and leave the case (EXPECT) or go
 * on checking (CHECK). */
#define EXPECT(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            test_fail(__VA_ARGS__);                                                                \
            return;                                                                                \
        }                                                                                          \
    } while (0)
#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) test_fail(__VA_ARGS__);                                                       \
    } while (0)

#endif
