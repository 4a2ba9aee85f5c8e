/* What mkfs needs to know about host files and folders, kept apart because
 * the host's struct stat and struct dirent clash with Pagoda's. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host.h"

int host_kind(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "mkfs: %s: %s\n", path, strerror(errno));
        return HOST_MISSING;
    }
    if (S_ISREG(st.st_mode)) return HOST_FILE;
    if (S_ISDIR(st.st_mode)) return HOST_DIR;
    return HOST_OTHER;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **host_list(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "mkfs: %s: %s\n", dir, strerror(errno));
        return NULL;
    }
    char **names = malloc(sizeof(*names));
    size_t n = 0, cap = 1;
    struct dirent *e;
    while (names && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (n + 1 >= cap) {
            cap *= 2;
            char **more = realloc(names, cap * sizeof(*names));
            if (!more) {
                host_list_free(names, n);
                names = NULL;
                break;
            }
            names = more;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (!names) {
        fprintf(stderr, "mkfs: out of memory\n");
        return NULL;
    }
    qsort(names, n, sizeof(*names), cmp_names);
    *count = n;
    return names;
}

void host_list_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}
