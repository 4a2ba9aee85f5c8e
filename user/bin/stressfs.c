/* stressfs [-p procs] [-k KiB]: several processes at once each write a file
 * of their own (stressfs.N in the current directory) in 512-byte writes with
 * a pattern that names the writer and the offset, read it back, check every
 * byte and remove it. Prints one line per failure and a summary; status 0 if
 * every file came back intact. */
#include "user.h"
#include "fcntl.h"

#define CHUNK 512

static void fill(char *buf, int who, int chunk)
{
    for (int i = 0; i < CHUNK; i++) buf[i] = (char)(who * 31 + chunk * 7 + i);
}

/* One writer; returns its exit status. */
static int writer(int who, int kib)
{
    char name[32], buf[CHUNK], back[CHUNK];
    snprintf(name, sizeof name, "stressfs.%d", who);
    int chunks = kib * 1024 / CHUNK;
    int fd = open(name, O_CREATE | O_TRUNC | O_WRONLY);
    if (fd < 0) {
        perror_path("stressfs", name);
        return 1;
    }
    for (int c = 0; c < chunks; c++) {
        fill(buf, who, c);
        if (write(fd, buf, CHUNK) != CHUNK) {
            perror_path("stressfs: write", name);
            return 1;
        }
    }
    close(fd);
    if ((fd = open(name, O_RDONLY)) < 0) {
        perror_path("stressfs", name);
        return 1;
    }
    for (int c = 0; c < chunks; c++) {
        fill(buf, who, c);
        int n = read(fd, back, CHUNK);
        if (n != CHUNK || memcmp(buf, back, CHUNK) != 0) {
            fprintf(2, "stressfs: %s: block %d %s\n", name, c, n == CHUNK ? "differs" : "short");
            return 1;
        }
    }
    if (read(fd, back, 1) != 0) {
        fprintf(2, "stressfs: %s: longer than written\n", name);
        return 1;
    }
    close(fd);
    if (unlink(name) < 0) {
        perror_path("stressfs: unlink", name);
        return 1;
    }
    return 0;
}

static void usage(void)
{
    fprintf(2, "usage: stressfs [-p procs] [-k KiB]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int procs = 4, kib = 40;
    for (int i = 1; i < argc; i++) {
        if (i + 1 == argc) usage();
        if (strcmp(argv[i], "-p") == 0)
            procs = atoi(argv[++i]);
        else if (strcmp(argv[i], "-k") == 0)
            kib = atoi(argv[++i]);
        else
            usage();
    }
    if (procs < 1 || procs > 64 || kib < 1 || kib > 65536) usage();
    for (int p = 0; p < procs; p++) {
        int pid = fork();
        if (pid < 0) {
            perror("stressfs: fork");
            procs = p;
            break;
        }
        if (pid == 0) exit(writer(p, kib));
    }
    int bad = 0, status;
    for (int p = 0; p < procs; p++)
        if (wait(&status) < 0 || status != 0) bad++;
    printf("stressfs: %d writers of %d KiB, %d failed\n", procs, kib, bad);
    exit(bad ? 1 : 0);
}
