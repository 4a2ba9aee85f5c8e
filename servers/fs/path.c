/* Path resolution: absolute paths start at "/", others at the caller's
 * cwd; empty components ("a//b") are skipped; "." and ".." are ordinary
 * directory entries ("/" names itself as ".."). */
#include "core.h"

int is_dot_or_dotdot(const char *name)
{
    return name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0));
}

/* Copy the component at *p into name and advance *p past it and its
 * slashes: 1 if there was one, 0 at the end, -ENAMETOOLONG. */
static int next_component(const char **p, char *name)
{
    const char *s = *p;
    while (*s == '/') s++;
    if (*s == 0) {
        *p = s;
        return 0;
    }
    int n = 0;
    while (s[n] && s[n] != '/') n++;
    if (n > DIRSIZ) return -ENAMETOOLONG;
    memcpy(name, s, (unsigned)n);
    name[n] = 0;
    s += n;
    while (*s == '/') s++;
    *p = s;
    return 1;
}

static int require_dir(uint32_t ino)
{
    struct dinode di;
    int r = iread(ino, &di);
    if (r < 0) return r == -EINVAL ? -ENOENT : r;
    if (di.type == 0) return -ENOENT;
    return di.type == T_DIR ? 0 : -ENOTDIR;
}

/* Walk path; with want_parent, stop before the last component. */
static int walk(uint32_t cwd, const char *path, int want_parent, uint32_t *out, char *last)
{
    if (path[0] == 0) return -ENOENT;
    uint32_t len = 0;
    while (path[len] && len <= PATH_MAX_LEN) len++;
    if (len > PATH_MAX_LEN) return -ENAMETOOLONG;
    uint32_t cur = path[0] == '/' ? FS_ROOT_INO : cwd;
    const char *p = path;
    char name[DIRSIZ + 1];
    if (last) last[0] = 0;
    for (;;) {
        int r = require_dir(cur);
        if (r < 0) return r;
        r = next_component(&p, name);
        if (r < 0) return r;
        if (r == 0) break;
        if (want_parent && *p == 0) {
            memcpy(last, name, DIRSIZ + 1);
            break;
        }
        uint32_t next;
        r = dir_lookup(cur, name, &next, 0);
        if (r < 0) return r;
        cur = next;
        if (*p == 0) {
            /* the last component may be anything, but must exist */
            struct dinode di;
            r = iread(cur, &di);
            if (r < 0) return r;
            if (di.type == 0) return -ENOENT;
            /* "name/" asks for a directory */
            if (path[len - 1] == '/' && di.type != T_DIR) return -ENOTDIR;
            *out = cur;
            return 0;
        }
    }
    *out = cur;
    return 0;
}

int path_walk(uint32_t cwd, const char *path, uint32_t *ino)
{
    return walk(cwd, path, 0, ino, 0);
}

int path_parent(uint32_t cwd, const char *path, uint32_t *parent, char *name)
{
    return walk(cwd, path, 1, parent, name);
}
