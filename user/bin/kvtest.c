/* kvtest: the key-value server (servers/kv) and its client library
 * (user/lib/kv.c), the ipc-server lab (docs/labs/ipc-server.md). Starts its
 * own server (exec of the boot-image program kv), runs the cases, stops the
 * server. `kvtest NAME` runs one case; the last line is "N passed, M failed".
 */
#include "user.h"
#include "ipc.h"
#include "kv.h"
#include "testcase.h"

static int server_pid;

static int start_server(void)
{
    int pid = fork();
    if (pid == 0) {
        char *argv[] = {"kv", 0};
        exec("kv", argv);
        exit(99);
    }
    if (pid < 0) return -1;
    for (int t = 0; t < 300; t++) {
        int h = ep_lookup(KV_NAME);
        if (h >= 0) {
            ep_close(h);
            return pid;
        }
        sleep(1);
    }
    kill(pid);
    wait(0);
    return -1;
}

static void t_put_get(void)
{
    long v = 0;
    EXPECT(kv_put(1, 100) == 0 && kv_put(2, 200) == 0 && kv_put(-3, -300) == 0, "put failed");
    EXPECT(kv_get(1, &v) == 0 && v == 100, "get 1: %ld", v);
    EXPECT(kv_get(-3, &v) == 0 && v == -300, "get -3: %ld", v);
    EXPECT(kv_put(1, 111) == 0 && kv_get(1, &v) == 0 && v == 111, "overwrite: %ld", v);
    long r = kv_get(424242, &v);
    EXPECT(r == -ENOENT, "missing key: %ld, want -ENOENT", r);
}

static int child_wait(long key)
{
    long v = 0;
    long r = kv_wait(key, &v);
    if (r != 0) return test_child_fail(2, "kv_wait returned %ld", r);
    return v == 4242 ? 0 : test_child_fail(3, "kv_wait value %ld, want 4242", v);
}

/* The waiter's reply is deferred: it sleeps, the server serves others, and
 * the put answers it. */
static void t_wait_deferred(void)
{
    int pid = fork();
    if (pid == 0) exit(child_wait(777));
    EXPECT(pid > 0, "fork failed");
    int asleep = test_wait_pid(pid, PS_SLEEPING, 200);
    long v = 0;
    long r = kv_put(5, 55) == 0 && kv_get(5, &v) == 0 && v == 55;
    int early = procinfo_pid(pid, &(struct procinfo){0}) < 0;
    long p = kv_put(777, 4242);
    int st = -5;
    int w = wait(&st);
    EXPECT(asleep, "the waiting child never slept");
    EXPECT(r, "the server did not serve others while a reply was deferred");
    EXPECT(!early, "the waiter finished before the key was put");
    EXPECT(p == 0, "put 777: %ld", p);
    EXPECT(w == pid && st == 0, "waiter: %s", test_how(st));
}

static void t_wait_existing(void)
{
    long v = 0;
    EXPECT(kv_put(888, 4242) == 0, "put failed");
    EXPECT(kv_wait(888, &v) == 0 && v == 4242, "kv_wait on a present key: %ld", v);
}

static void t_get_many(void)
{
    static long keys[KV_BATCH_MAX], values[KV_BATCH_MAX];
    static unsigned char found[KV_BATCH_MAX];
    for (int i = 0; i < 10; i++) EXPECT(kv_put(1000 + i, i * i) == 0, "put %d failed", i);
    for (int i = 0; i < KV_BATCH_MAX; i++) keys[i] = 995 + i;
    long n = kv_get_many(KV_BATCH_MAX, keys, values, found);
    EXPECT(n == 10, "found %ld keys, want 10", n);
    for (int i = 0; i < KV_BATCH_MAX; i++) {
        int want = keys[i] >= 1000 && keys[i] < 1010;
        EXPECT(found[i] == want, "key %ld: found %d", keys[i], found[i]);
        if (want)
            EXPECT(values[i] == (keys[i] - 1000) * (keys[i] - 1000), "key %ld: %ld", keys[i],
                   values[i]);
    }
    /* again, on the same connection, and from a forked child (a page of its own) */
    EXPECT(kv_get_many(3, keys + 5, values, found) == 3, "second batch");
    int pid = fork();
    if (pid == 0) exit(kv_get_many(3, keys + 5, values, found) == 3 && values[2] == 4 ? 0 : 1);
    int st = -5;
    EXPECT(pid > 0 && wait(&st) == pid && st == 0, "batch from a child: %s", test_how(st));
}

static void t_bad(void)
{
    int h = ep_lookup(KV_NAME);
    EXPECT(h >= 0, "lookup: %d", h);
    long w[4] = {99, 0, 0, 0};
    CHECK(ipc_call(h, w) == 0 && w[0] == -EINVAL, "unknown op: %ld", w[0]);
    long many[4] = {KV_GETMANY, KV_BATCH_MAX + 1, 0, 0};
    CHECK(ipc_call(h, many) == 0 && many[0] == -EINVAL, "too many keys: %ld", many[0]);
    long neg[4] = {KV_GETMANY, -1, 0, 0};
    CHECK(ipc_call(h, neg) == 0 && neg[0] == -EINVAL, "negative count: %ld", neg[0]);
    long v = 0;
    CHECK(kv_get_many(KV_BATCH_MAX + 1, &v, &v, (unsigned char *)&v) == -EINVAL,
          "library: too many keys");
    ep_close(h);
    EXPECT(kv_put(3, 33) == 0 && kv_get(3, &v) == 0 && v == 33, "server hurt by bad requests");
}

static const struct testcase cases[] = {
    {"kv_put_get", t_put_get},
    {"kv_wait_deferred", t_wait_deferred},
    {"kv_wait_existing", t_wait_existing},
    {"kv_get_many", t_get_many},
    {"kv_bad", t_bad},
};

int main(int argc, char **argv)
{
    server_pid = start_server();
    if (server_pid < 0) {
        test_begin("server");
        test_fail("the kv server did not register '%s'", KV_NAME);
        test_finish();
        test_summary();
    }
    test_run(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
    kill(server_pid);
    wait(0);
    test_summary();
}
