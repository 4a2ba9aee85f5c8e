/* Error codes as names and short texts, so programs can say why a call failed
 * in one line: "rm: x: ENOENT (no such file or directory)". Codes the kernel
 * or a server does not define yet are left out by the #ifdefs. */
#include "user.h"

struct errinfo {
    int code;
    const char *name;
    const char *text;
};

static const struct errinfo errors[] = {
    {EPERM, "EPERM", "not permitted"},
    {ENOENT, "ENOENT", "no such file or directory"},
    {ESRCH, "ESRCH", "no such process"},
    {EINTR, "EINTR", "interrupted"},
    {EIO, "EIO", "input/output error"},
    {E2BIG, "E2BIG", "argument list too long"},
    {ENOEXEC, "ENOEXEC", "not an executable"},
    {EBADF, "EBADF", "bad file descriptor"},
    {ECHILD, "ECHILD", "no child processes"},
    {EAGAIN, "EAGAIN", "try again"},
    {ENOMEM, "ENOMEM", "out of memory"},
    {EFAULT, "EFAULT", "bad address"},
    {EBUSY, "EBUSY", "busy"},
    {EEXIST, "EEXIST", "file exists"},
#ifdef EXDEV
    {EXDEV, "EXDEV", "cross-device link"},
#endif
#ifdef ENOTDIR
    {ENOTDIR, "ENOTDIR", "not a directory"},
#endif
#ifdef EISDIR
    {EISDIR, "EISDIR", "is a directory"},
#endif
    {EINVAL, "EINVAL", "invalid argument"},
#ifdef ENFILE
    {ENFILE, "ENFILE", "too many open files in the system"},
#endif
#ifdef EMFILE
    {EMFILE, "EMFILE", "too many open files"},
#endif
#ifdef EFBIG
    {EFBIG, "EFBIG", "file too large"},
#endif
#ifdef ENOSPC
    {ENOSPC, "ENOSPC", "no space left on device"},
#endif
#ifdef ESPIPE
    {ESPIPE, "ESPIPE", "illegal seek"},
#endif
    {EPIPE, "EPIPE", "broken pipe"},
#ifdef ENAMETOOLONG
    {ENAMETOOLONG, "ENAMETOOLONG", "file name too long"},
#endif
    {ENOSYS, "ENOSYS", "not implemented"},
#ifdef ENOTEMPTY
    {ENOTEMPTY, "ENOTEMPTY", "directory not empty"},
#endif
};

static const struct errinfo *find(int code)
{
    for (uint i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
        if (errors[i].code == code) return &errors[i];
    return 0;
}

const char *errname(int code)
{
    const struct errinfo *e = find(code);
    return e ? e->name : "E?";
}

const char *strerror(int code)
{
    const struct errinfo *e = find(code);
    return e ? e->text : "unknown error";
}

void perror(const char *what)
{
    int code = errno; /* fprintf may change errno */
    if (find(code))
        fprintf(2, "%s: %s (%s)\n", what, errname(code), strerror(code));
    else
        fprintf(2, "%s: error %d\n", what, code);
}

void perror_path(const char *prog, const char *path)
{
    char what[192];
    snprintf(what, sizeof what, "%s: %s", prog, path);
    perror(what);
}
