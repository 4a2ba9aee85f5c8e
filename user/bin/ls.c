/* ls [-l] [path...]: list directories (their entries, in directory order) and
 * name files. -l adds type (d directory, - file, c device), links, inode and
 * size in bytes. */
#include "user.h"
#include "stat.h"
#include "fcntl.h"

static int long_format;

static char type_char(int type)
{
    return type == T_DIR ? 'd' : type == T_DEVICE ? 'c' : type == T_FILE ? '-' : '?';
}

static void show(const char *name, const struct stat *st)
{
    if (long_format)
        printf("%c %3d %5u %9lu %s\n", type_char(st->type), st->nlink, st->ino, st->size, name);
    else
        printf("%s\n", name);
}

/* 0, or 1 after printing why path could not be listed. */
static int list(const char *path)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        perror_path("ls", path);
        if (fd >= 0) close(fd);
        return 1;
    }
    if (st.type != T_DIR) {
        show(path, &st);
        close(fd);
        return 0;
    }
    struct dirent d;
    char full[256], name[DIRSIZ + 1];
    int n, status = 0;
    while ((n = read(fd, &d, sizeof d)) == sizeof d) {
        if (d.inum == 0) continue;
        memmove(name, d.name, DIRSIZ);
        name[DIRSIZ] = 0;
        if (!long_format) {
            show(name, &st);
            continue;
        }
        snprintf(full, sizeof full, "%s/%s", path, name);
        struct stat est;
        if (stat(full, &est) < 0) {
            perror_path("ls", full);
            status = 1;
            continue;
        }
        show(name, &est);
    }
    if (n < 0) {
        perror_path("ls", path);
        status = 1;
    }
    close(fd);
    return status;
}

int main(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-l") != 0) {
            fprintf(2, "usage: ls [-l] [path...]\n");
            exit(2);
        }
        long_format = 1;
    }
    if (i == argc) exit(list("."));
    int status = 0;
    for (; i < argc; i++) status |= list(argv[i]);
    exit(status);
}
