/* Error codes as names and short texts, so programs can say why a call failed
 * in one line: "rm: x: ENOENT (no such file or directory)". */
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
    {EXDEV, "EXDEV", "cross-device link"},
    {ENOTDIR, "ENOTDIR", "not a directory"},
    {EISDIR, "EISDIR", "is a directory"},
    {EINVAL, "EINVAL", "invalid argument"},
    {ENFILE, "ENFILE", "too many open files in the system"},
    {EMFILE, "EMFILE", "too many open files"},
    {EFBIG, "EFBIG", "file too large"},
    {ENOSPC, "ENOSPC", "no space left on device"},
    {ESPIPE, "ESPIPE", "illegal seek"},
    {EPIPE, "EPIPE", "broken pipe"},
    {ENAMETOOLONG, "ENAMETOOLONG", "file name too long"},
    {ENOSYS, "ENOSYS", "not implemented"},
    {ENOTEMPTY, "ENOTEMPTY", "directory not empty"},
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
