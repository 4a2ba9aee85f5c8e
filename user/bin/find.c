/* find [dir [name]]: print every path under dir (default ".") whose last
 * component is name (default: every path). Written in xv6's user-program
 * style against xv6's header names only (kernel/types.h, kernel/stat.h,
 * kernel/fs.h, user/user.h): Pagoda builds it with user/xv6 on the include
 * path and nothing else changed; README "Porting an xv6 user program". */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fs.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define PATHMAX 256

/* The part of path after its last '/'. */
static char *last_part(char *path)
{
    char *p = path + strlen(path);
    while (p > path && p[-1] != '/') p--;
    return p;
}

static void walk(char *path, char *name)
{
    int fd;
    struct stat st;
    if ((fd = open(path, O_RDONLY)) < 0) {
        fprintf(2, "find: cannot open %s\n", path);
        return;
    }
    if (fstat(fd, &st) < 0) {
        fprintf(2, "find: cannot stat %s\n", path);
        close(fd);
        return;
    }
    if (name == 0 || strcmp(last_part(path), name) == 0) printf("%s\n", path);
    if (st.type == T_DIR) {
        struct dirent de;
        int len = strlen(path);
        int sep = path[len - 1] == '/' ? 0 : 1; /* "/" needs no second slash */
        while (read(fd, &de, sizeof(de)) == sizeof(de)) {
            if (de.inum == 0) continue;
            if (strcmp(de.name, ".") == 0 || strcmp(de.name, "..") == 0) continue;
            if (len + sep + DIRSIZ + 1 > PATHMAX) {
                fprintf(2, "find: path too long under %s\n", path);
                break;
            }
            path[len] = '/';
            memmove(path + len + sep, de.name, DIRSIZ);
            path[len + sep + DIRSIZ] = 0;
            walk(path, name);
            path[len] = 0;
        }
    }
    close(fd);
}

int main(int argc, char *argv[])
{
    char path[PATHMAX];
    if (argc > 3) {
        fprintf(2, "usage: find [dir [name]]\n");
        exit(1);
    }
    strcpy(path, argc > 1 ? argv[1] : ".");
    if (strlen(path) > 1 && path[strlen(path) - 1] == '/') path[strlen(path) - 1] = 0;
    walk(path, argc > 2 ? argv[2] : 0);
    exit(0);
}
